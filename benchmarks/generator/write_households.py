"""Writing the citizens' accounts, households and persons as the
registration and ``accounts.households`` make them.
"""

from datetime import timedelta
from generator import words
from generator.writing import add
from generator.writing import dt
from generator.writing import iso
from generator.writing import new_content
from generator.writing import owner_of
from generator.writing import stamp
from generator.writing import user_exists
from persistent.list import PersistentList
from zope.annotation.interfaces import IAnnotations


PASSWORD = "Bench-Citoyen-2026"


def create_user(ctx, plan):
    """The citizen's account, as ``accounts.registration.register`` makes it
    (inline, among its checks, captcha and welcome email: no function to
    call). Taken logins are looked up in the user source alone, not in
    every PAS plugin."""
    from illkirch.eservices.accounts.identifiers import unique_identifier
    from illkirch.eservices.folding import fold
    from plone import api

    source = ctx.pas.source_users
    holder = plan.holder
    login = unique_identifier(
        holder.first_name,
        holder.last_name,
        taken=lambda folded: user_exists(source, folded),
    )
    userid = fold(login)
    holder.email = f"{userid}@{words.EMAIL_DOMAINS[plan.index % 3]}"
    source.addUser(userid, login, PASSWORD)
    user = api.user.get(userid=userid)
    user.setMemberProperties({"email": holder.email, "fullname": holder.title})
    api.user.grant_roles(user=user, roles=["Member"])
    return userid


def write_household(ctx, plan):
    """The Household as ``accounts.households.create_household`` makes it
    at the registration, then validated by an agent.

    ``create_household`` itself cannot be used: it draws a random id, dates
    the household and its history now and adds it, then each person, with
    every event (« container modified » reindexes the households' folder
    and the household each time)."""
    from illkirch.eservices.accounts.households import HOUSEHOLD_FIELDS
    from illkirch.eservices.billing.basket import BASKET_KEY

    userid = plan.holder_id = create_user(ctx, plan)
    household = new_content("Household", plan.id, plan.uid, {userid: ["Owner"]})
    household.title = plan.holder.title
    household.holder_id = userid
    for name in HOUSEHOLD_FIELDS:  # the fields given, as create_household
        if plan.address.get(name):
            setattr(household, name, plan.address[name])
    household.billing_account = plan.billing_account
    stamp(
        ctx,
        household,
        "household_workflow",
        [
            (None, None, "", "pending", plan.registered),
            ("validate", plan.agent, plan.comment, "validated", plan.validated),
        ],
        # the agent's change of the billing account makes them its creator
        (plan.agent,),
    )
    write_household_history(household, plan, userid)
    if plan.payments:  # emptied by the last checkout
        IAnnotations(household)[BASKET_KEY] = PersistentList()
    household = add(ctx.households, household, owner_of(userid))
    for person in plan.persons:
        write_person(ctx, household, person, userid, plan)
    return household


def write_household_history(household, plan, userid):
    """The entries ``history.record`` makes (it dates them now)."""
    from illkirch.eservices import history

    entries = [
        (plan.registered, userid, "household_created", ""),
        (plan.validated, plan.agent, "household_updated", "billing_account"),
        (plan.validated, plan.agent, "transition_validate", plan.comment),
    ]
    entries += [
        (person.added, userid, "person_added", person.title)
        for person in plan.persons
        if person.added is not None
    ]
    IAnnotations(household)[history.KEY] = PersistentList(
        history.entry(action, details, actor, time=iso(when))
        for when, actor, action, details in sorted(entries, key=lambda e: e[0])
    )


def write_person(ctx, household, person, userid, plan):
    """A Person declared at the registration (by an anonymous visitor) or
    added since by the citizen (``households.add_person``), with the fields
    given, as ``households._create_person`` stores them."""
    from illkirch.eservices.accounts.households import PERSON_FIELDS

    later = person.added is not None
    obj = new_content(
        "Person", person.id, person.uid, {userid: ["Owner"]} if later else {}
    )
    for name in PERSON_FIELDS:
        if getattr(person, name) not in (None, ""):
            setattr(obj, name, getattr(person, name))
    obj.creation_date = obj.modification_date = dt(
        person.added if later else plan.registered + timedelta(milliseconds=5)
    )
    if later:
        obj.creators = (userid,)
    obj = add(household, obj, owner_of(userid))
    if not later:  # no local role either, as the anonymous registration
        del obj.__ac_local_roles__
    return obj

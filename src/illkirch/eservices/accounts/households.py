"""Households: creation, look-up, changes and their history.

The pages and the REST services call these functions; they hold the rules:
who may change what and when (a household awaiting validation is read-only
for its citizen), the consistency of the members (a child is born after the
adults who are its parents) and the history of every change.
"""

from AccessControl import Unauthorized
from AccessControl import getSecurityManager
from datetime import date
from illkirch.eservices import _
from illkirch.eservices.catalog_stamp import catalog as site_catalog
from illkirch.eservices.catalog_stamp import committed_stamp
from illkirch.eservices.content.billing_accounts import billing_account_taken
from illkirch.eservices.history import record
from illkirch.eservices.roles import may
from illkirch.eservices.site_folders import ensure_households_folder
from plone import api
from Products.CMFCore.utils import getToolByName
from zope.annotation.interfaces import IAnnotations
from zope.globalrequest import getRequest
from zope.interface import Invalid

import secrets


EDITABLE_STATE = "validated"
PARENT_RELATIONSHIPS = ("holder", "spouse")


class HouseholdError(Invalid):
    """A rule was broken; ``field`` names the field concerned, if any."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


# look-up -------------------------------------------------------------------


# #22: the household's path of each account holder looked up, shared by
# the worker threads: {(catalog's path, userid): (counter, path or None)}.
_HOLDERS = {}
_HOLDERS_KEPT = 2000


def household_of(userid):
    """The household whose account holder is ``userid``, or None.

    Its path is kept (#22: the search was about 5 % of every citizen's page
    or REST GET) by the catalog's counter and its committed serial: a
    household created, removed, moved or given another holder is
    reindexed, which moves the counter. Not kept while the running
    transaction has changed the catalog (it may be aborted and another
    reach the same counter)."""
    if not userid:
        return None
    catalog = site_catalog()
    stamp = committed_stamp(catalog)
    key = None
    if stamp is not None:
        key = (catalog.getPhysicalPath(), userid)
        kept = _HOLDERS.get(key)
        if kept is not None and kept[0] == stamp:
            # what the brain's _unrestrictedGetObject does
            return catalog.unrestrictedTraverse(kept[1]) if kept[1] else None
    path = None
    found = None
    # household_holder alone: a lookup in one index, whatever the number of
    # households (with portal_type, the catalog intersects them all).
    for brain in catalog.unrestrictedSearchResults(household_holder=userid):
        if brain.portal_type == "Household":
            path = brain.getPath()
            found = brain._unrestrictedGetObject()
            break
    if key is not None:
        if len(_HOLDERS) >= _HOLDERS_KEPT:
            _HOLDERS.clear()
        _HOLDERS[key] = (stamp, path)
    return found


def own_brains(household, portal_type):
    """The catalog brains of the household's children of ``portal_type``
    (its requests, invoices, payments…), in the catalog's order.

    Only the household's own entries are read (path, depth 1) and their
    type checked here: adding ``portal_type`` to the query made the catalog
    intersect them with a type index that holds the objects of the whole
    town, and the household's pages slowed down as the town grew
    (docs/performance.md)."""
    return [
        brain for brain in own_entries(household) if brain.portal_type == portal_type
    ]


OWN_ENTRIES_KEY = "illkirch.eservices.own_entries"


def own_entries(household):
    """The catalog brains of all the household's children.

    Read once per request while the catalog does not change (#22): a page
    or a REST answer asks for its requests, invoices and payments several
    times (« Mon espace », ``GET /@dashboard``: six searches of the same
    path). Kept on the request, keyed by the household's path and the
    catalog's committed counter, which any indexing moves; not kept once
    the catalog has changed in the transaction (a POST that writes reads
    them each time, as before)."""
    path = "/".join(household.getPhysicalPath())
    request = getRequest()
    cache = None
    if request is not None:
        try:
            annotations = IAnnotations(request)
        except TypeError:
            annotations = None
        if annotations is not None:
            cache = annotations.setdefault(OWN_ENTRIES_KEY, {})
    kept = cache.get(path) if cache is not None else None
    # the catalog this request found (its stamp read on it again: #22, the
    # look-up of the tool cost more than the stamp)
    catalog = kept[0] if kept is not None else site_catalog()
    counter = committed_stamp(catalog)
    if counter is None:
        # the catalog changed in this transaction, not committed: a
        # savepoint's rollback or an abort could bring the counter back
        cache = None
    if kept is not None and counter is not None and kept[1] == counter:
        return kept[2]
    entries = tuple(catalog.unrestrictedSearchResults(path={"query": path, "depth": 1}))
    if cache is not None:
        cache[path] = (catalog, counter, entries)
    return entries


def own_object(household, brain):
    """The household's child of that brain, taken from the household (no
    traversal from the site)."""
    obj = household._getOb(brain.getId, None)
    if obj is None or obj.UID() != brain.UID:
        obj = brain._unrestrictedGetObject()
    return obj


def current_userid():
    """The id of the logged-in user, None for anonymous.

    The user PAS authenticated for this request: ``api.user.get_current``
    wraps it as member data (the member data tool, its properties), a
    cost every page paid once or more (#22)."""
    user = getSecurityManager().getUser()
    # what ``api.user.is_anonymous`` (the membership tool) asks, without
    # plone.api's look-ups (#22: several calls a page)
    if user is None or user.getUserName() == "Anonymous User":
        return None
    return user.getId()


def current_household():
    """The household of the logged-in user, or None (anonymous, staff…)."""
    return household_of(current_userid())


def state(household):
    """The household's review state: what ``api.content.get_state`` answers
    (the workflow tool's ``review_state``, an error when there is none),
    without plone.api's check of its arguments (#22: « Mon espace » and
    ``GET /@dashboard`` ask it several times)."""
    return getToolByName(household, "portal_workflow").getInfoFor(
        household, "review_state"
    )


def is_editable_by_citizen(household):
    """A citizen may change their household once the town has validated it."""
    return state(household) == EDITABLE_STATE


# creation ------------------------------------------------------------------


HOUSEHOLD_FIELDS = (
    "street",
    "address_complement",
    "postal_code",
    "city",
    "contact_preference",
    "phone",
    "mobile",
)
PERSON_FIELDS = (
    "member_type",
    "civility",
    "first_name",
    "last_name",
    "birth_date",
    "birth_place",
    "relationship",
    "email",
    "phone",
)


def create_household(holder_id, holder_name, address, persons=()):
    """Create the household of a new account, awaiting validation.

    ``address`` holds the household fields, ``persons`` the members (the
    account holder first). Runs with the rights of the site: the new
    household is then given to its holder (Owner).
    """
    portal = api.portal.get()
    folder = ensure_households_folder(portal)
    with api.env.adopt_roles(["Manager"]):
        household = api.content.create(
            container=folder,
            type="Household",
            id=f"foyer-{secrets.token_hex(6)}",
            title=holder_name,
            holder_id=holder_id,
            **{k: address.get(k) for k in HOUSEHOLD_FIELDS if address.get(k)},
        )
        for person in persons:
            _create_person(household, person)
        household.manage_setLocalRoles(holder_id, ["Owner"])
        user = portal.acl_users.getUserById(holder_id)
        if user is not None:
            household.changeOwnership(user.__of__(portal.acl_users), recursive=True)
        household.reindexObjectSecurity()
        # self-registration runs as an anonymous visitor: the holder did it
        record(household, "household_created", actor=holder_id)
    return household


def _create_person(household, data):
    values = {k: data[k] for k in PERSON_FIELDS if data.get(k) not in (None, "")}
    return api.content.create(
        container=household,
        type="Person",
        id=f"membre-{secrets.token_hex(4)}",
        **values,
    )


# rules ---------------------------------------------------------------------


def check_person(household, data, person=None):
    """Raise HouseholdError when ``data`` breaks a rule of the household.

    ``person`` is the member being edited (None for a new one).
    """
    birth = data.get("birth_date")
    if isinstance(birth, date) and birth > date.today():
        raise HouseholdError(
            _("error_date_in_future", default="This date cannot be in the future."),
            "birth_date",
        )
    if data.get("relationship") == "holder" and (
        person is None or person.relationship != "holder"
    ):
        raise HouseholdError(
            _("error_one_holder", default="The household has one account holder."),
            "relationship",
        )
    if (
        person is not None
        and person.relationship == "holder"
        and (data.get("relationship") != "holder" or data.get("member_type") != "adult")
    ):
        raise HouseholdError(
            _(
                "error_holder_stays",
                default="The account holder stays an adult and the holder of the "
                "household.",
            ),
            "relationship",
        )
    if data.get("member_type") == "child":
        if data.get("email") or data.get("phone"):
            raise HouseholdError(
                _(
                    "error_child_contact",
                    default="Email and telephone are for adults only.",
                ),
                "email" if data.get("email") else "phone",
            )
        parents = [
            p
            for p in household.persons()
            if p is not person
            and p.member_type == "adult"
            and p.relationship in PARENT_RELATIONSHIPS
            and p.birth_date
        ]
        if isinstance(birth, date) and any(birth <= p.birth_date for p in parents):
            raise HouseholdError(
                _(
                    "error_child_before_parent",
                    default="A child cannot be born before the adults of the "
                    "household who are its parents.",
                ),
                "birth_date",
            )
    if data.get("member_type") == "adult" and isinstance(birth, date):
        children = [
            p
            for p in household.persons()
            if p is not person and p.member_type == "child" and p.birth_date
        ]
        if data.get("relationship") in PARENT_RELATIONSHIPS and any(
            c.birth_date <= birth for c in children
        ):
            raise HouseholdError(
                _(
                    "error_child_before_parent",
                    default="A child cannot be born before the adults of the "
                    "household who are its parents.",
                ),
                "birth_date",
            )


EDIT_PERMISSION = "illkirch.eservices: Edit household"


def _require_editable(household):
    """Only through this layer may a household change: the workflow gives
    its own permission (Edit household) to the citizen once validated, while
    Plone's "Modify portal content" stays with the town's staff."""
    if not may("View", household):
        raise Unauthorized("Cannot see this household")
    if not is_editable_by_citizen(household) and not _is_staff(household):
        raise HouseholdError(
            _(
                "error_household_locked",
                default="Your account awaits validation by the town: it cannot be "
                "changed yet.",
            )
        )
    if not may(EDIT_PERMISSION, household):
        raise Unauthorized("Cannot change this household")


def _is_staff(household):
    roles = api.user.get_roles(obj=household)
    return bool({"Agent", "Manager", "Site Administrator"} & set(roles))


# billing accounts ----------------------------------------------------------


MANAGE_BILLING_ACCOUNT = "illkirch.eservices: Manage billing account"


def check_billing_account(household, account):
    """Raise HouseholdError when the current user may not give ``account``
    to ``household``: only those allowed to manage billing accounts (the
    agents who validate accounts), and only a number no other household
    holds."""
    if not may(MANAGE_BILLING_ACCOUNT, household):
        raise HouseholdError(
            _(
                "error_field_not_editable",
                default="This field cannot be changed: ${field}.",
                mapping={"field": "billing_account"},
            ),
            "billing_account",
        )
    message = billing_account_taken(household, account)
    if message is not None:
        raise HouseholdError(message, "billing_account")


# changes -------------------------------------------------------------------


def update_household(household, changes):
    """Change the household's own fields (address, contact, phones)."""
    _require_editable(household)
    allowed = set(HOUSEHOLD_FIELDS)
    if may(MANAGE_BILLING_ACCOUNT, household):
        allowed.add("billing_account")
    unknown = set(changes) - allowed
    if unknown:
        raise HouseholdError(
            _(
                "error_field_not_editable",
                default="This field cannot be changed: ${field}.",
                mapping={"field": ", ".join(sorted(unknown))},
            ),
            sorted(unknown)[0],
        )
    if "billing_account" in changes:
        # stored as the billing software writes it, without spaces around
        changes = dict(
            changes, billing_account=(changes["billing_account"] or "").strip() or None
        )
        if changes["billing_account"] != (household.billing_account or None):
            check_billing_account(household, changes["billing_account"])
    merged = {name: getattr(household, name, None) for name in HOUSEHOLD_FIELDS}
    merged.update(changes)
    if merged.get("contact_preference") == "phone" and not (
        merged.get("phone") or merged.get("mobile")
    ):
        raise HouseholdError(
            _(
                "error_phone_needed",
                default="Give a telephone number to be contacted by telephone.",
            ),
            "mobile",
        )
    changed = []
    for name, value in changes.items():
        if getattr(household, name, None) != value:
            setattr(household, name, value)
            changed.append(name)
    if changed:
        household.reindexObject()
        record(household, "household_updated", ", ".join(sorted(changed)))
    return sorted(changed)


def add_person(household, data):
    _require_editable(household)
    check_person(household, data)
    with api.env.adopt_roles(["Manager"]):
        person = _create_person(household, data)
    record(household, "person_added", person.Title())
    return person


def update_person(household, person, changes):
    _require_editable(household)
    merged = {name: getattr(person, name, None) for name in PERSON_FIELDS}
    merged.update(changes)
    check_person(household, merged, person=person)
    changed = [
        name for name, value in changes.items() if getattr(person, name, None) != value
    ]
    for name in changed:
        setattr(person, name, changes[name])
    if changed:
        person.reindexObject()
        record(household, "person_updated", person.Title())
    return person


def remove_person(household, person):
    _require_editable(household)
    if person.relationship == "holder":
        raise HouseholdError(
            _(
                "error_remove_holder",
                default="The account holder cannot be removed from the household.",
            )
        )
    title = person.Title()
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(obj=person, check_linkintegrity=False)
    record(household, "person_removed", title)


def modified_by_staff(household, event):
    """Subscriber: record the changes the town's staff make through Plone's
    edit form or the REST API (the domain functions record their own)."""
    fields = sorted(
        {
            name.split(".")[-1]
            for description in getattr(event, "descriptions", ()) or ()
            for name in getattr(description, "attributes", ())
        }
    )
    if fields:
        record(household, "household_updated", ", ".join(fields))

"""Generate a realistic town for the benchmarks: households, citizens,
requests, invoices and payments, as the portal itself would have stored them.

    .venv/bin/python benchmarks/generate.py -c instance/etc/zope.conf \\
        --households N [--seed 2026] [--batch 50] [--manifest PATH] \\
        [--site Plone] [--admin admin]

Run it with the instance stopped (a running Zope locks the FileStorage),
against a site made by ``eservices-create-site`` (the add-on and its demo
profile: services, régies, agents). For each household ``0 … N-1`` it
creates:

- a citizen account (login ``prénom.nom``, made unique as the registration
  does, password ``Bench-Citoyen-2026`` for all) and its Household with
  about 2.5 persons (adults and children), validated by an agent;
- 6 requests over the last 5 years to the site's services, with answers
  to their real questions, numbered ``AAAA-NNNNNN`` by the add-on's
  counters, in realistic states with their workflow and request histories;
- 15 invoices over the last 3 years of the régies « ville » and « ccas »
  (as the import makes them), about half of them paid by card: the paid
  ones with the ``Payment`` of their basket, as the bank's notification
  leaves it (a few refused payments too);

plus a few account-less civil-status requests with tracking codes. Every
object is made as the add-on's code makes it (same types, fields, local
roles, ownership, creators, workflow states and histories, catalog
indexes; tests/integration/test_benchmark_generator.py compares them),
with its dates in the past. No email is sent: the MailHost of this process
only counts. Nothing is changed in the add-on; this process skips some
work of the add events that is useless here (``faster_adds``).

Reproducible: household ``i`` only depends on ``--seed``, ``i`` and the
date of the first run (kept in the site; one seed per site), so the same N
and seed give the same data. Resumable: households are written ``--batch``
at a time, each batch in one transaction with the site's checkpoint; a
rerun (or a larger N) skips the households done and redoes an unfinished
one.

At the end it writes the manifest read by ``benchmarks/run.py`` (default:
``<clienthome>/generated.json``, the instance's var folder): citizens to
log in as, agents and the Guichet filters that show them requests, numbers
and tracking codes of account-less requests.
"""

from BTrees.IIBTree import IITreeSet
from BTrees.IOBTree import IOBTree
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from zope.annotation.interfaces import IAnnotations
from zope.component.hooks import setSite

import argparse
import importlib.util
import json
import random
import sys
import time as clock
import transaction
import uuid


def load_word_lists():
    """``generator_data.py`` beside this file (benchmarks/ is no package)."""
    path = Path(__file__).resolve().with_name("generator_data.py")
    spec = importlib.util.spec_from_file_location("generator_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


data = load_word_lists()


SITE_ID = "Plone"
PASSWORD = "Bench-Citoyen-2026"
CHECKPOINT_KEY = "illkirch.eservices.benchmark_generator"
REQUESTS_PER_HOUSEHOLD = 6
INVOICES_PER_HOUSEHOLD = 15
REQUEST_DAYS = 5 * 365
INVOICE_MONTHS = 36
RECENT_INVOICES = 9  # unpaid invoices are among the most recent ones
CACHE_SIZE = 300000  # ZODB objects kept in memory while generating
MANIFEST_CITIZENS = 24
MANIFEST_LOOKUPS = 8
# Demo agents and the passwords the demo profile gives them (README).
DEMO_AGENTS = {"agent.voirie": "Agent-Voirie-2026",
               "agent.accueil": "Agent-Mairie-2026"}
# The account holder, in the plans (their user id is known once created).
HOLDER = "<holder>"

# Household sizes: (persons, with children, weight); 2.5 persons on average.
COMPOSITIONS = (
    (1, False, 23), (2, False, 12),
    (2, True, 19), (3, True, 26), (4, True, 16), (5, True, 4),
)
# Services a request goes to, by kind of household (service id → weight).
FAMILY_SERVICES = {"inscription-periscolaire": 30, "rendez-vous-passeport-cni": 25,
                   "signalement-voie-publique": 25, "acte-de-naissance": 12,
                   "acte-de-mariage": 4, "acte-de-deces": 4}
OTHER_SERVICES = {"rendez-vous-passeport-cni": 35, "signalement-voie-publique": 40,
                  "acte-de-naissance": 10, "acte-de-mariage": 7, "acte-de-deces": 8}
# The transitions leading to each final state (request_workflow).
PATHS = {
    "submitted": (),
    "incomplete": ("ask_documents",),
    "complete": ("mark_complete",),
    "accepted": ("mark_complete", "accept"),
    "rejected": ("mark_complete", "reject"),
    "closed": ("mark_complete", "accept", "close"),
    "sent": ("mark_complete", "accept", "send"),
}
NEW_STATE = {"ask_documents": "incomplete", "resubmit": "submitted",
             "mark_complete": "complete", "accept": "accepted", "reject": "rejected",
             "send": "sent", "close": "closed"}
# Final states by the age of the request (days): (max age, {state: weight}).
STATES_BY_AGE = (
    (7, {"submitted": 60, "incomplete": 10, "complete": 20, "accepted": 5,
         "rejected": 5}),
    (45, {"submitted": 15, "incomplete": 12, "complete": 18, "accepted": 15,
          "rejected": 5, "closed": 35}),
    (None, {"closed": 90, "rejected": 6, "accepted": 3, "incomplete": 1}),
)


# plans: what to write, computed from the seed alone -------------------------


@dataclass
class PersonPlan:
    id: str
    uid: str
    member_type: str
    civility: str
    first_name: str
    last_name: str
    birth_date: date
    birth_place: str
    relationship: str
    email: str = ""
    phone: str = ""
    added: datetime = None  # None: declared at registration

    @property
    def title(self):
        return f"{self.first_name} {self.last_name}"


@dataclass
class RequestPlan:
    key: tuple  # sorts the requests of one moment
    service: object  # ServiceInfo
    submitted: datetime
    answers: dict
    member: PersonPlan = None
    by_post: bool = False
    steps: list = field(default_factory=list)  # [(transition, time, actor, comment)]
    assignee: str = ""
    assigned_at: datetime = None
    posted_on: date = None
    uid: str = ""
    code: str = ""  # clear tracking code (civil-status services)
    requester: dict = None  # account-less: {"name", "email", "phone"}
    number: str = ""  # given when the batch is written


@dataclass
class InvoicePlan:
    uid: str
    regie: str
    number: str
    domain: str
    member_name: str
    issue_date: date
    lines: list
    paid_on: datetime = None
    payment: str = ""  # id of the Payment that paid it


@dataclass
class PaymentPlan:
    id: str
    uid: str
    regie: str
    invoices: list
    created: datetime
    status: str
    reference: str = ""


@dataclass
class HouseholdPlan:
    index: int
    id: str
    uid: str
    registered: datetime
    validated: datetime
    agent: str
    comment: str
    address: dict
    persons: list
    billing_account: str
    requests: list = field(default_factory=list)
    invoices: list = field(default_factory=list)
    payments: list = field(default_factory=list)

    @property
    def holder(self):
        return self.persons[0]


# the site: services, agents, workflows --------------------------------------


@dataclass
class ServiceInfo:
    id: str
    uid: str
    title: str
    group: str
    processing_days: int
    concerns: str
    civil_status_act: str
    account_required: bool
    documents_required: bool
    fields: list  # [(name, field, kind)]
    obj: object = None


class Context:
    """What the generation reads once from the site."""

    def __init__(self, portal, seed, now, importer_id):
        from illkirch.eservices.business_days import TIMEZONE
        from illkirch.eservices.setuphandlers import ensure_households_folder
        from illkirch.eservices.setuphandlers import ensure_requests_folder

        self.portal = portal
        self.seed = seed
        self.now = now
        self.paris = TIMEZONE
        self.today = now.astimezone(TIMEZONE).date()
        self.importer_id = importer_id
        self.request = portal.REQUEST
        self.pas = portal.acl_users
        self.households = ensure_households_folder(portal)
        self.requests_folder = ensure_requests_folder(portal)
        self.wf_tool = portal.portal_workflow
        self.workflows = {wf_id: self.wf_tool.getWorkflowById(wf_id) for wf_id in (
            "household_workflow", "request_workflow", "invoice_workflow",
            "payment_workflow")}
        self.services = load_services(portal)
        self.group_agents = {}
        self.fullnames = {}
        self.validators = self.agents_of("Agents") or [importer_id]
        self.posted_note = {}
        self.permissions = {}

    def rng(self, *parts):
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def agents_of(self, group_id):
        """Users of the group who also are agents, by id (cached)."""
        if group_id not in self.group_agents:
            members = self.portal.portal_groups.getGroupMembers(group_id) or ()
            agents = set(self.portal.portal_groups.getGroupMembers("Agents") or ())
            users = sorted(m for m in members
                           if group_id == "Agents" or m in agents)
            self.group_agents[group_id] = users
        return self.group_agents[group_id]

    def fullname(self, userid):
        if userid not in self.fullnames:
            user = self.pas.getUserById(userid)
            name = user.getProperty("fullname") if user is not None else ""
            self.fullnames[userid] = name or userid
        return self.fullnames[userid]


def load_services(portal):
    """The published services of the site with their questions."""
    from illkirch.eservices.content.service import IService
    from illkirch.eservices.requests import forms
    from plone import api

    services = {}
    catalog = portal.portal_catalog
    for brain in catalog.unrestrictedSearchResults(
            object_provides=IService.__identifier__, sort_on="getId"):
        service = brain._unrestrictedGetObject()
        if api.content.get_state(service, default=None) not in (None, "published"):
            continue
        services[service.getId()] = ServiceInfo(
            id=service.getId(), uid=service.UID(), title=service.Title(),
            group=service.agents_group or "",
            processing_days=service.processing_days or 0,
            concerns=service.concerns, civil_status_act=service.civil_status_act or "",
            account_required=bool(service.account_required),
            documents_required=any(doc.required for doc in service.documents()),
            fields=[(name, fld, forms.kind(fld))
                    for name, fld in forms.answer_fields(service)],
            obj=service)
    return services


@contextmanager
def cached_service_forms():
    """Parse each service's easyform model once in this process (collective
    easyform parses the XML on every call): the add-on's own ``answers``
    code then checks and stores the generated answers at little cost."""
    from illkirch.eservices.requests import forms

    original = forms.answer_fields
    cache = {}

    def answer_fields(service):
        key = service.UID()
        if key not in cache:
            cache[key] = original(service)
        return cache[key]

    forms.answer_fields = answer_fields
    try:
        yield
    finally:
        forms.answer_fields = original


@contextmanager
def muted_mail():
    """No email leaves this process: the MailHost's send only counts."""
    from Products.MailHost.MailHost import MailBase

    sent = []
    original = MailBase.send

    def send(self, messageText, mto=None, mfrom=None, subject=None, *args, **kw):
        sent.append(mto)

    MailBase.send = send
    try:
        yield sent
    finally:
        MailBase.send = original


@contextmanager
def faster_adds(portal):
    """Skip, in this process and for the objects this script adds, the work
    of the add events that changes nothing for them:

    - z3c.relationfield looks for relation fields anew on each add: cached
      here by the interfaces the object provides, when it has none;
    - the workflow tool reindexes the workflow variables and the security of
      the new object and of its sub-objects (it has none yet): the catalog
      indexes all of it once, at the commit;
    - handlers that find nothing to do for these types: link integrity (no
      rich text), content rules (when the site has none), five.intid's
      « moved » handler (it stores again the same intid), CMFUid (when it
      does not assign uids on add).
    """
    from five.intid.intid import moveIntIdSubscriber
    from plone.app.contentrules.handlers import added
    from plone.app.linkintegrity.handlers import modifiedContent
    from Products.CMFCore.WorkflowTool import WorkflowTool
    from Products.CMFUid.UniqueIdAnnotationTool import handleUidAnnotationEvent
    from z3c.relationfield import event
    from z3c.relationfield.interfaces import IRelation
    from z3c.relationfield.interfaces import IRelationList
    from zope.component import getGlobalSiteManager
    from zope.interface import providedBy
    from zope.schema import getFields

    potential_relations = event._potential_relations
    reindex_variables = WorkflowTool._reindexWorkflowVariables
    without_relations = set()

    def _potential_relations(obj):
        spec = providedBy(obj)
        if spec in without_relations:
            return iter(())
        if not any(IRelation.providedBy(f) or IRelationList.providedBy(f)
                   for iface in spec.flattened() for f in getFields(iface).values()):
            without_relations.add(spec)
            return iter(())
        return potential_relations(obj)

    def _reindexWorkflowVariables(self, ob):
        if not getattr(ob, "_v_generated", False):
            reindex_variables(self, ob)

    quiet = {modifiedContent, moveIntIdSubscriber}
    if not content_rules():
        quiet.add(added)
    uid_tool = getattr(portal, "portal_uidannotation", None)
    if uid_tool is None or not uid_tool.getProperty("assign_on_add", False):
        quiet.add(handleUidAnnotationEvent)
    registry = getGlobalSiteManager()
    swapped = [(reg, skipping_generated(reg.handler))
               for reg in list(registry.registeredHandlers()) if reg.handler in quiet]
    for reg, wrapper in swapped:
        registry.unregisterHandler(reg.handler, reg.required, reg.name)
        registry.registerHandler(wrapper, reg.required, reg.name, reg.info)
    event._potential_relations = _potential_relations
    WorkflowTool._reindexWorkflowVariables = _reindexWorkflowVariables
    try:
        yield
    finally:
        event._potential_relations = potential_relations
        WorkflowTool._reindexWorkflowVariables = reindex_variables
        for reg, wrapper in swapped:
            registry.unregisterHandler(wrapper, reg.required, reg.name)
            registry.registerHandler(reg.handler, reg.required, reg.name, reg.info)


def content_rules():
    """The content rules of the current site."""
    from plone.contentrules.engine.interfaces import IRuleStorage
    from zope.component import queryUtility

    storage = queryUtility(IRuleStorage)
    return list(storage.values()) if storage is not None else []


def skipping_generated(handler):
    """``handler``, doing nothing when an object of this script is added."""
    from zope.lifecycleevent.interfaces import IObjectAddedEvent

    def wrapper(*args):
        event = args[-1]
        if IObjectAddedEvent.providedBy(event) and getattr(
                event.object, "_v_generated", False):
            return None
        return handler(*args)

    return wrapper


# random helpers ---------------------------------------------------------------


def hex_id(rng, length):
    return f"{rng.getrandbits(length * 4):0{length}x}"


def new_uid(rng):
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def weighted(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def phone(rng, mobile=True):
    first = rng.choice(("06", "07")) if mobile else "03 88"
    digits = 4 if mobile else 3
    return " ".join([first] + [f"{rng.randrange(100):02d}" for _ in range(digits)])


def years_before(day, years, rng, spread=365):
    return day - timedelta(days=int(years * 365.25) + rng.randrange(spread))


def moment(ctx, day, rng, start=8, end=19):
    """An aware datetime of ``day`` during office hours (Paris)."""
    local = datetime.combine(day, time(rng.randrange(start, end), rng.randrange(60),
                                       rng.randrange(60)), tzinfo=ctx.paris)
    return min(local.astimezone(UTC), ctx.now - timedelta(minutes=5))


# households -------------------------------------------------------------------


def plan_household(ctx, index):
    rng = ctx.rng("household", index)
    size, children = rng.choices([(s, c) for s, c, _w in COMPOSITIONS],
                                 weights=[w for *_x, w in COMPOSITIONS])[0]
    persons = plan_persons(ctx, rng, size, children)
    registered = ctx.now - timedelta(days=rng.randrange(60, REQUEST_DAYS + 120),
                                     seconds=rng.randrange(86400))
    validated = registered + timedelta(hours=rng.uniform(2, 70))
    for person in persons[1:]:
        if person.birth_date > registered.date():  # born since: added later
            person.added = moment(ctx, person.birth_date + timedelta(
                days=rng.randrange(20, 90)), rng)
    plan = HouseholdPlan(
        index=index, id=f"foyer-{hex_id(rng, 12)}", uid=new_uid(rng),
        registered=registered, validated=min(validated, ctx.now - timedelta(hours=1)),
        agent=rng.choice(ctx.validators), comment=rng.choice(data.VALIDATION_COMMENTS),
        address=plan_address(rng), persons=persons,
        billing_account=f"ILK-{ctx.seed % 100:02d}{index:06d}")
    plan.requests = plan_requests(ctx, ctx.rng("requests", index), plan)
    plan.invoices, plan.payments = plan_invoices(ctx, ctx.rng("invoices", index), plan)
    return plan


def plan_address(rng):
    address = {"street": f"{rng.randrange(1, 120)} {rng.choice(data.STREETS)}",
               "postal_code": data.POSTAL_CODE, "city": data.CITY,
               "contact_preference": "email"}
    if rng.random() < 0.25:
        address["address_complement"] = rng.choice(data.COMPLEMENTS)
    if rng.random() < 0.8:
        address["mobile"] = phone(rng)
    if rng.random() < 0.3:
        address["phone"] = phone(rng, mobile=False)
    if rng.random() < 0.15:
        address["contact_preference"] = "phone"
        address.setdefault("mobile", phone(rng))
    return address


def new_person(ctx, rng, member_type, relationship, last_name, birth, civility=None):
    civility = civility or rng.choice(("m", "mme"))
    names = data.MALE_FIRST_NAMES if civility == "m" else data.FEMALE_FIRST_NAMES
    return PersonPlan(
        id=f"membre-{hex_id(rng, 8)}", uid=new_uid(rng), member_type=member_type,
        civility=civility, first_name=rng.choice(names), last_name=last_name,
        birth_date=birth, birth_place=rng.choice(data.BIRTH_PLACES),
        relationship=relationship)


def plan_persons(ctx, rng, size, children):
    today = ctx.today
    adults = 1 if size == 1 or (children and (size == 2 or rng.random() < 0.15)) else 2
    age = rng.randrange(26, 52) if children else rng.choice(
        (rng.randrange(20, 40), rng.randrange(40, 88)))
    last_name = rng.choice(data.LAST_NAMES)
    holder = new_person(ctx, rng, "adult", "holder", last_name,
                        years_before(today, age, rng))
    holder.phone = phone(rng) if rng.random() < 0.5 else ""
    persons = [holder]
    if adults == 2:
        relationship = "spouse" if children or rng.random() < 0.9 else "parent"
        other_age = age + rng.randrange(-4, 6) if relationship == "spouse" else age + 26
        other_name = last_name if rng.random() < 0.7 else rng.choice(data.LAST_NAMES)
        civility = ("mme" if holder.civility == "m" else "m") if rng.random() < 0.93 \
            else holder.civility
        birth = years_before(today, max(other_age, 19), rng)
        persons.append(new_person(ctx, rng, "adult", relationship, other_name, birth,
                                  civility))
    youngest_parent = min(p.birth_date for p in persons)
    for _n in range(size - adults):
        earliest = max(youngest_parent + timedelta(days=int(19 * 365.25)),
                       today - timedelta(days=int(17.5 * 365.25)))
        span = max((today - timedelta(days=30) - earliest).days, 1)
        birth = earliest + timedelta(days=rng.randrange(span))
        persons.append(new_person(ctx, rng, "child", "child", last_name, birth))
    return persons


# requests ---------------------------------------------------------------------


def service_weights(ctx, plan):
    kids = any(p.member_type == "child" for p in plan.persons)
    wanted = FAMILY_SERVICES if kids else OTHER_SERVICES
    weights = {sid: w for sid, w in wanted.items() if sid in ctx.services}
    for sid in ctx.services:  # services the demo does not know: a little
        weights.setdefault(sid, 5)
    return weights


def request_dates(ctx, rng, start, count):
    """``count`` moments after ``start``, more of them recently (the portal's
    use grew over the years)."""
    span = (ctx.now - start).total_seconds()
    return sorted(start + timedelta(seconds=span * rng.random() ** 0.6)
                  for _n in range(count))


def plan_requests(ctx, rng, plan):
    weights = service_weights(ctx, plan)
    start = max(plan.validated, ctx.now - timedelta(days=REQUEST_DAYS))
    result = []
    for position, submitted in enumerate(request_dates(ctx, rng, start,
                                                       REQUESTS_PER_HOUSEHOLD)):
        service, member = pick_service(ctx, rng, weights, plan, submitted)
        request = RequestPlan(key=(plan.index, position), service=service,
                              submitted=submitted, member=member, uid=new_uid(rng),
                              answers=answers_for(ctx, rng, service, member, submitted,
                                                  plan))
        request.by_post = service.documents_required
        if service.civil_status_act:
            request.code = tracking_code(rng)
        plan_processing(ctx, rng, request, HOLDER)
        result.append(request)
    return result


def pick_service(ctx, rng, weights, plan, submitted):
    """A service and the member concerned (who existed then)."""
    for _attempt in range(20):
        service = ctx.services[weighted(rng, weights)]
        members = eligible(service, plan, submitted)
        if service.concerns == "none":
            return service, None
        if members:
            return service, rng.choice(members)
    service = next(s for s in ctx.services.values() if s.concerns == "none")
    return service, None


def eligible(service, plan, submitted):
    day = submitted.date()
    persons = [p for p in plan.persons
               if p.birth_date < day and (p.added is None or p.added <= submitted)]
    if service.concerns == "child":
        if service.id == "inscription-periscolaire":
            return [p for p in persons if p.member_type == "child"
                    and 3 <= age_on(p.birth_date, day) <= 11]
        return [p for p in persons if p.member_type == "child"]
    if service.concerns == "adult":
        return [p for p in persons if p.member_type == "adult"]
    return persons


def age_on(birth, day):
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def tracking_code(rng):
    from illkirch.eservices.requests.tracking import ALPHABET
    from illkirch.eservices.requests.tracking import CODE_LENGTH

    return "".join(rng.choice(ALPHABET) for _n in range(CODE_LENGTH))


def final_state(rng, age_days, civil):
    for max_age, weights in STATES_BY_AGE:
        if max_age is None or age_days < max_age:
            state = weighted(rng, weights)
            break
    if civil and state in ("accepted", "closed") and rng.random() < 0.85:
        state = "sent" if state == "accepted" or rng.random() < 0.1 else state
    return state


def transitions_to(rng, state, civil):
    path = list(PATHS[state])
    if civil and state == "closed":
        path = ["mark_complete", "accept", "send", "close"]
    if state != "incomplete" and rng.random() < 0.12:
        path[:0] = ["ask_documents", "resubmit"]  # documents asked, then given
    return path


def plan_processing(ctx, rng, request, holder_id):
    """The transitions of the request up to its state, their times, actors
    and messages; its assignment."""
    service = request.service
    age_days = (ctx.now - request.submitted).days
    civil = bool(service.civil_status_act)
    path = transitions_to(rng, final_state(rng, age_days, civil), civil)
    agents = ctx.agents_of(service.group) or [ctx.importer_id]
    agent = rng.choice(agents)
    delays = [rng.uniform(0.1, 4.0) * (3 if name == "resubmit" else 1) for name in path]
    room = (ctx.now - request.submitted).total_seconds() / 86400 * 0.9
    if sum(delays) > room:
        delays = [d * room / sum(delays) for d in delays]
    when = request.submitted
    for name, delay in zip(path, delays, strict=True):
        when = when + timedelta(days=delay)
        request.steps.append((name, when, holder_id if name == "resubmit" else agent,
                              transition_comment(rng, name)))
    if (path and rng.random() < 0.8) or (not path and rng.random() < 0.2):
        request.assignee = agent
        first = request.steps[0][1] if path else ctx.now
        request.assigned_at = request.submitted + (first - request.submitted) / 2
    if "send" in path:
        sent = next(step[1] for step in request.steps if step[0] == "send")
        request.posted_on = sent.astimezone(ctx.paris).date()


def transition_comment(rng, name):
    if name == "ask_documents":
        return rng.choice(data.ASK_MESSAGES)
    if name == "reject":
        return rng.choice(data.REJECT_MESSAGES)
    if name == "accept" and rng.random() < 0.2:
        return "Votre demande est acceptée."
    return ""


# answers to the services' questions ------------------------------------------


def answers_for(ctx, rng, service, member, submitted, plan):
    """Raw answers (as ``POST /@requests`` sends them) to the service's
    questions, plausible for its kind and the member concerned."""
    specific = ANSWERS.get(service.id)
    answers = specific(ctx, rng, service, member, submitted, plan) if specific else {}
    for name, fld, kind in service.fields:
        optional = specific is None and rng.random() < 0.4
        if name not in answers and (fld.required or optional):
            value = generic_answer(rng, service, fld, kind, submitted)
            if value is not None:
                answers[name] = value
    return answers


def choices_of(service, fld):
    from illkirch.eservices.requests import forms

    return [choice["value"] for choice in forms.choices(fld, service.obj)]


def field_named(service, name):
    for fname, fld, _kind in service.fields:
        if fname == name:
            return fld
    return None


def pick(rng, service, name, preferred=None):
    values = choices_of(service, field_named(service, name))
    if preferred in values:
        return preferred
    return rng.choice(values)


def generic_answer(rng, service, fld, kind, submitted):
    day = submitted.date()
    if kind == "choice":
        return rng.choice(choices_of(service, fld))
    if kind == "multichoice":
        values = choices_of(service, fld)
        return rng.sample(values, rng.randrange(1, len(values) + 1))
    if kind == "boolean":
        return rng.random() < 0.7
    if kind == "date":
        return (day + timedelta(days=rng.randrange(1, 30))).isoformat()
    if kind == "datetime":
        return (submitted + timedelta(days=rng.randrange(1, 30))).strftime(
            "%Y-%m-%dT%H:%M")
    if kind == "integer":
        low = fld.min if fld.min is not None else 1
        high = fld.max if fld.max is not None else low + 4
        return rng.randrange(low, min(high, low + 4) + 1)
    if kind == "decimal":
        return f"{rng.uniform(1, 100):.2f}"
    if kind == "email":
        return "contact@example.org"
    if kind == "url":
        return "https://www.example.org/"
    if kind in ("text", "textarea"):
        text = rng.choice(("Sans objet", "Voir avec le service", "Merci d'avance"))
        text = text.ljust(fld.min_length or 0, ".")
        return text[:fld.max_length].strip() if fld.max_length else text
    return None


def periscolaire_answers(ctx, rng, service, member, submitted, plan):
    day = submitted.date()
    age = age_on(member.birth_date, day)
    classes = ("Petite section", "Moyenne section", "Grande section", "CP", "CE1",
               "CE2", "CM1", "CM2")
    level = classes[min(max(age - 3, 0), len(classes) - 1)]
    schools = choices_of(service, field_named(service, "ecole"))
    kindergarten = [s for s in schools if "maternelle" in s.lower()]
    primary = [s for s in schools if s not in kindergarten]
    school = rng.choice((kindergarten if age < 6 else primary) or schools)
    start = date(day.year, 9, 1) if day.month in (5, 6, 7, 8) else day + timedelta(
        days=rng.randrange(7, 21))
    times = choices_of(service, field_named(service, "accueils"))
    answers = {"ecole": school, "classe": pick(rng, service, "classe", level),
               "accueils": rng.sample(times, rng.randrange(1, len(times) + 1)),
               "date_debut": start.isoformat(), "droit_image": rng.random() < 0.8}
    if rng.random() < 0.15:
        answers["allergies"] = rng.choice(data.ALLERGIES)
    if rng.random() < 0.3:
        answers["personne_autorisee"] = (
            f"{rng.choice(data.AUTHORISED_PEOPLE)} : "
            f"{rng.choice(data.FEMALE_FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}, "
            f"{phone(rng)}")
    return answers


def passport_answers(ctx, rng, service, member, submitted, plan):
    answers = {"titre": pick(rng, service, "titre"),
               "motif": pick(rng, service, "motif"),
               "jour_souhaite": (submitted.date() + timedelta(
                   days=rng.randrange(3, 25))).isoformat(),
               "moment": pick(rng, service, "moment")}
    if rng.random() < 0.6:
        answers["predemande"] = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
                                        for _n in range(10))
    return answers


def report_answers(ctx, rng, service, member, submitted, plan):
    nature = pick(rng, service, "nature")
    number = rng.randrange(1, 120)
    texts = data.REPORT_DESCRIPTIONS.get(nature) or data.REPORT_DESCRIPTIONS["Autre"]
    answers = {"nature": nature,
               "description": rng.choice(texts).format(number=number),
               "adresse": f"{number} {rng.choice(data.STREETS)}"}
    if rng.random() < 0.6:
        answers["constate_le"] = (submitted.date() - timedelta(
            days=rng.randrange(0, 5))).isoformat()
    return answers


def civil_status_answers(ctx, rng, service, member, submitted, plan):
    """Birth, marriage or death act: its rules (requests/civil_status.py)."""
    from illkirch.eservices.requests import civil_status as rules

    day = submitted.date()
    act = service.civil_status_act
    answers = {"nombre_exemplaires": rng.choice((1, 1, 1, 2, 3))}
    documents = choices_of(service, field_named(service, rules.DOCUMENT))
    answers[rules.DOCUMENT] = rng.choice(documents)
    if field_named(service, rules.QUALITY) is not None:
        qualities = choices_of(service, field_named(service, rules.QUALITY))
        quality = rng.choice(qualities[:3]) if rng.random() < 0.9 else qualities[-1]
        answers[rules.QUALITY] = quality
        if quality not in rules.ENTITLED_QUALITIES:
            answers[rules.LEGAL_GROUND] = rng.choice(data.LEGAL_GROUNDS)
    people = [p for p in (plan.persons if plan else ()) if p.birth_date < day]
    concerned = rng.choice(people) if people else None
    last = concerned.last_name if concerned else rng.choice(data.LAST_NAMES)
    first = concerned.first_name if concerned else rng.choice(data.MALE_FIRST_NAMES)
    if act == "marriage":
        answers.update({"nom_epoux1": last, "prenoms_epoux1": first,
                        "nom_epoux2": rng.choice(data.LAST_NAMES),
                        "prenoms_epoux2": rng.choice(data.FEMALE_FIRST_NAMES),
                        rules.EVENT_DATE: years_before(day, rng.randrange(1, 30),
                                                       rng).isoformat()})
    elif act == "death":
        event = day - timedelta(days=rng.randrange(5, 400))
        answers.update({"nom": rng.choice(data.LAST_NAMES),
                        "prenoms": rng.choice(data.MALE_FIRST_NAMES),
                        rules.EVENT_DATE: event.isoformat()})
        if rng.random() < 0.5:
            answers[rules.BIRTH_DATE] = years_before(event, rng.randrange(60, 95),
                                                     rng).isoformat()
    else:
        birth = concerned.birth_date if concerned else years_before(day, 30, rng)
        answers.update({"nom": last, "prenoms": first,
                        rules.EVENT_DATE: birth.isoformat()})
        if rng.random() < 0.7:
            answers["nom_pere"] = f"{last} {rng.choice(data.MALE_FIRST_NAMES)}"
            answers["nom_mere"] = f"{rng.choice(data.LAST_NAMES)} " \
                f"{rng.choice(data.FEMALE_FIRST_NAMES)}"
    answers.update(delivery_address(rng, plan, f"{first} {last}"))
    return answers


def delivery_address(rng, plan, name):
    from illkirch.eservices.requests import civil_status as rules

    if plan is not None and rng.random() < 0.85:
        return {rules.COUNTRY_KIND: "France", "destinataire": plan.holder.title,
                "adresse": plan.address["street"],
                rules.POSTAL_CODE: plan.address["postal_code"],
                "ville": plan.address["city"]}
    if rng.random() < 0.9:
        postal_code, town = rng.choice(data.DELIVERY_TOWNS)
        return {rules.COUNTRY_KIND: "France", "destinataire": name,
                "adresse": f"{rng.randrange(1, 90)} {rng.choice(data.STREETS)}",
                rules.POSTAL_CODE: postal_code, "ville": town}
    town, country = rng.choice(data.ABROAD_TOWNS)
    return {rules.COUNTRY_KIND: rules.ABROAD, "destinataire": name,
            "adresse": f"{rng.randrange(1, 90)} Hauptstraße", "ville": town,
            rules.COUNTRY: country}


ANSWERS = {
    "inscription-periscolaire": periscolaire_answers,
    "rendez-vous-passeport-cni": passport_answers,
    "signalement-voie-publique": report_answers,
    "acte-de-naissance": civil_status_answers,
    "acte-de-mariage": civil_status_answers,
    "acte-de-deces": civil_status_answers,
}


# account-less requests ---------------------------------------------------------


def anonymous_count(households):
    return max(5, households // 100)


def anonymous_of(households, index):
    """The account-less requests written with household ``index``."""
    count = anonymous_count(households)
    return [j for j in range(count) if j * households // count == index]


def plan_anonymous(ctx, number):
    """An account-less civil-status request, with its requester."""
    from illkirch.eservices.accounts.identifiers import fold

    rng = ctx.rng("anonymous", number)
    civil = [s for s in ctx.services.values() if not s.account_required]
    service = rng.choice(civil)
    submitted = request_dates(ctx, rng, ctx.now - timedelta(days=REQUEST_DAYS), 1)[0]
    if rng.random() < 0.5:  # recent: still followed with the code
        submitted = ctx.now - timedelta(days=rng.uniform(1, 40))
    first = rng.choice(data.FEMALE_FIRST_NAMES + data.MALE_FIRST_NAMES)
    last = rng.choice(data.LAST_NAMES)
    email = f"{fold(first)}.{fold(last)}.{number}@{rng.choice(data.EMAIL_DOMAINS)}"
    email = email.replace(" ", "-").replace("'", "")
    request = RequestPlan(
        key=(-1, number), service=service, submitted=submitted, uid=new_uid(rng),
        answers=civil_status_answers(ctx, rng, service, None, submitted, None),
        code=tracking_code(rng),
        requester={"name": f"{first} {last}", "email": email,
                   "phone": phone(rng) if rng.random() < 0.6 else ""})
    plan_processing(ctx, rng, request, "")
    return request


# invoices and payments -----------------------------------------------------------


def issue_day(ctx, rng, months_ago):
    today = ctx.today
    month = today.month - months_ago
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = date(year, month, rng.randrange(2, 11))
    return min(day, today)


def plan_invoices(ctx, rng, plan):
    """15 invoices, more of them recently; the 9 most recent are the unpaid
    ones but one or two, the older ones are paid, each with its card
    payment. The régie « ville » bills the children (or, in households
    without any, a grandchild's holiday centre), the CCAS the adults."""
    months = [0] + weighted_sample(rng, range(1, INVOICE_MONTHS),
                                   INVOICES_PER_HOUSEHOLD - 1)
    recent = months[:RECENT_INVOICES]
    unpaid = {0} | set(rng.sample(recent[1:], rng.choice((6, 7))))
    children = [p for p in plan.persons if p.member_type == "child"]
    ville_share = 0.8 if children else 0.25
    invoices, to_pay = [], []
    for k, months_ago in enumerate(reversed(months)):  # oldest first
        regie = "ville" if months_ago == 0 or rng.random() < ville_share else "ccas"
        invoice = new_invoice(ctx, rng, plan, k, regie, issue_day(ctx, rng, months_ago),
                              children)
        invoices.append(invoice)
        if months_ago not in unpaid:
            to_pay.append(invoice)
    return invoices, plan_payments(ctx, rng, to_pay)


def weighted_sample(rng, values, count):
    """``count`` distinct values, the smaller ones likelier, sorted."""
    values = list(values)
    keys = {v: rng.random() ** (1 + v / 6) for v in values}
    return sorted(sorted(values, key=keys.get, reverse=True)[:count])


def plan_payments(ctx, rng, invoices):
    """Card payments of the paid invoices, oldest first: a basket often
    holds the next invoice of the same régie too; a payment is sometimes
    refused first."""
    payments, basket = [], []
    for invoice in invoices:
        if basket and (basket[0].regie != invoice.regie or len(basket) == 3
                       or rng.random() < 0.35):
            pay(ctx, rng, basket, payments)
            basket = []
        basket.append(invoice)
    if basket:
        pay(ctx, rng, basket, payments)
    return payments


def new_invoice(ctx, rng, plan, k, regie, issued, children):
    if regie == "ville":
        catalogue = data.VILLE_LINES if children else data.HOLIDAY_LINES
        member = rng.choice(children).title if children else \
            f"{rng.choice(data.FEMALE_FIRST_NAMES)} {plan.holder.last_name}"
    else:
        catalogue = data.CCAS_LINES
        member = rng.choice([p for p in plan.persons if p.member_type == "adult"]).title
    domain = rng.choice(catalogue)[0]
    choices = [line for line in catalogue if line[0] == domain]
    lines = rng.sample(choices, rng.randrange(1, min(3, len(choices)) + 1))
    prefix = "V" if regie == "ville" else "C"
    number = f"{prefix}-{issued.year}-{plan.index * INVOICES_PER_HOUSEHOLD + k + 1:06d}"
    return InvoicePlan(
        uid=new_uid(rng), regie=regie, number=number, domain=domain,
        member_name=member, issue_date=issued,
        lines=[(label, rng.randrange(low, high + 1), unit)
               for _d, label, unit, (low, high) in lines])


def pay(ctx, rng, invoices, payments):
    """A card payment of the invoices (sometimes after a refused one)."""
    last = max(invoice.issue_date for invoice in invoices)
    when = moment(ctx, min(last + timedelta(days=rng.randrange(1, 28)), ctx.today),
                  rng, 7, 23)
    regie = invoices[0].regie
    if rng.random() < 0.08:
        payments.append(PaymentPlan(
            id=new_uid(rng), uid=new_uid(rng), regie=regie, invoices=list(invoices),
            created=when - timedelta(minutes=rng.randrange(5, 90)), status="failed"))
    payment = PaymentPlan(id=new_uid(rng), uid=new_uid(rng), regie=regie,
                          invoices=list(invoices), created=when, status="paid")
    for invoice in invoices:
        invoice.paid_on = when + timedelta(seconds=rng.randrange(20, 200))
        invoice.payment = payment.id
    payments.append(payment)


# writing ---------------------------------------------------------------------------
#
# Each object is built whole before it is added (fields, local roles, dates,
# creators, workflow history and the permissions of its state), then added
# with the events the portal fires: the catalog indexes it once, when the
# batch commits, and the workflow tool keeps the history it finds.


def dt(value):
    """A DateTime in the server's zone, as ``DateTime()`` gives Plone."""
    from DateTime import DateTime

    return DateTime(value.timestamp())


def iso(value):
    return value.astimezone(UTC).isoformat(timespec="seconds")


def new_content(portal_type, object_id, uid, local_roles=None):
    """A new object of the type with its UID, not added yet. Local roles
    set now keep the current user from getting the Owner role."""
    from plone.dexterity.utils import createContent

    obj = createContent(portal_type, **{"_plone.uuid": uid})
    obj.id = object_id
    vars(obj).pop("creators", None)  # not the current user: set by the writers
    if local_roles is not None:
        obj.__ac_local_roles__ = {principal: list(roles)
                                  for principal, roles in local_roles.items()}
    return obj


def stamp(ctx, obj, wf_id, entries, creators, modified=None):
    """Creation and modification dates (default: the last entry's),
    creators, and the workflow history ``entries`` (``(action, actor,
    comments, state, time)``, the first one the creation) with the
    permissions of the last state."""
    from Persistence import PersistentMapping as WorkflowHistory

    obj.creation_date = dt(entries[0][4])
    obj.modification_date = dt(modified or entries[-1][4])
    obj.creators = tuple(creators)
    obj.workflow_history = WorkflowHistory({wf_id: tuple(
        {"action": action, "actor": actor, "comments": comments,
         "review_state": state, "time": dt(when)}
        for action, actor, comments, state, when in entries)})
    apply_permissions(ctx, obj, wf_id, entries[-1][3])


def apply_permissions(ctx, obj, wf_id, state):
    """The permissions the workflow gives in ``state`` (what
    ``updateRoleMappingsFor`` sets), computed once per type and state."""
    key = (wf_id, state, obj.portal_type)
    settings = ctx.permissions.get(key)
    if settings is None:
        ctx.workflows[wf_id].updateRoleMappingsFor(obj)
        settings = ctx.permissions[key] = {
            name: value for name, value in vars(obj).items()
            if name.startswith("_") and name.endswith("_Permission")}
        return
    for name, value in settings.items():
        setattr(obj, name, list(value) if isinstance(value, list) else value)


def add(container, obj, owner=None):
    """Add ``obj`` without the container's modified event (it changes
    nothing stored and its subscribers cost more than the add itself). The
    id is known to be free: no name chooser (it lists the whole folder)."""
    from illkirch.eservices.content.adding import add_without_container_modified

    # The catalog's indexObject marks the object modified now by the current
    # user (creator when it has none): keep the date and creators it had.
    modified, creators = obj.modification_date, vars(obj).get("creators")
    obj._v_generated = True
    obj = add_without_container_modified(container, obj.id, obj)
    del obj._v_generated
    obj.modification_date = modified
    if creators is None:
        vars(obj).pop("creators", None)
        obj._p_changed = True
    else:
        obj.creators = creators
    if owner is not None:
        obj._owner = owner
    return obj


def owner_of(userid):
    return (["Plone", "acl_users"], userid) if userid else None


def user_exists(source, userid):
    try:
        source.getUserInfo(userid)
    except KeyError:
        return False
    return True


def create_user(ctx, plan):
    """The citizen's account, as ``accounts.registration.register`` makes it."""
    from illkirch.eservices.accounts.identifiers import fold
    from illkirch.eservices.accounts.identifiers import unique_identifier
    from plone import api

    source = ctx.pas.source_users
    holder = plan.holder
    login = unique_identifier(holder.first_name, holder.last_name,
                              taken=lambda folded: user_exists(source, folded))
    userid = fold(login)
    holder.email = f"{userid}@{data.EMAIL_DOMAINS[plan.index % 3]}"
    source.addUser(userid, login, PASSWORD)
    user = api.user.get(userid=userid)
    user.setMemberProperties({"email": holder.email, "fullname": holder.title})
    api.user.grant_roles(user=user, roles=["Member"])
    return userid


def write_household(ctx, plan):
    """The Household as ``accounts.households.create_household`` makes it
    at the registration, then validated by an agent."""
    from illkirch.eservices.billing.basket import BASKET_KEY

    userid = plan.holder_id = create_user(ctx, plan)
    household = new_content("Household", plan.id, plan.uid, {userid: ["Owner"]})
    household.title = plan.holder.title
    household.holder_id = userid
    for name, value in plan.address.items():
        setattr(household, name, value)
    household.billing_account = plan.billing_account
    stamp(ctx, household, "household_workflow", [
        (None, None, "", "pending", plan.registered),
        ("validate", plan.agent, plan.comment, "validated", plan.validated)],
        # the agent's change of the billing account makes them its creator
        (plan.agent,))
    write_household_history(household, plan, userid)
    if plan.payments:  # emptied by the last checkout
        IAnnotations(household)[BASKET_KEY] = PersistentList()
    household = add(ctx.households, household, owner_of(userid))
    for person in plan.persons:
        write_person(ctx, household, person, userid, plan)
    return household


def write_household_history(household, plan, userid):
    from illkirch.eservices.accounts.households import HISTORY_KEY

    entries = [(plan.registered, userid, "household_created", ""),
               (plan.validated, plan.agent, "household_updated", "billing_account"),
               (plan.validated, plan.agent, "transition_validate", plan.comment)]
    entries += [(person.added, userid, "person_added", person.title)
                for person in plan.persons if person.added is not None]
    IAnnotations(household)[HISTORY_KEY] = PersistentList(
        {"time": iso(when), "actor": actor, "action": action, "details": details}
        for when, actor, action, details in sorted(entries, key=lambda e: e[0]))


def write_person(ctx, household, person, userid, plan):
    """A Person declared at the registration (by an anonymous visitor) or
    added since by the citizen (``households.add_person``)."""
    later = person.added is not None
    obj = new_content("Person", person.id, person.uid,
                      {userid: ["Owner"]} if later else {})
    for name in ("member_type", "civility", "first_name", "last_name", "birth_date",
                 "birth_place", "relationship"):
        setattr(obj, name, getattr(person, name))
    if person.member_type == "adult":
        if person.email:
            obj.email = person.email
        if person.phone:
            obj.phone = person.phone
    obj.creation_date = obj.modification_date = dt(
        person.added if later else plan.registered + timedelta(milliseconds=5))
    if later:
        obj.creators = (userid,)
    obj = add(household, obj, owner_of(userid))
    if not later:  # no local role either, as the anonymous registration
        del obj.__ac_local_roles__
    return obj


def write_request(ctx, container, request, household_plan=None):
    """A Request as ``requests.submission.create_request`` stores it, then
    moved through ``request_workflow`` as the agents did."""
    from illkirch.eservices.business_days import add_business_days
    from illkirch.eservices.requests import answers as answers_rules
    from illkirch.eservices.requests import tracking
    from illkirch.eservices.roles import PROCESSOR_ROLE

    service = request.service
    holder_id = household_plan.holder_id if household_plan else ""
    roles = {holder_id: ["Owner"]} if holder_id else {}
    if service.group:
        roles[service.group] = [PROCESSOR_ROLE]
    obj = new_content("Request", request.number, request.uid, roles)
    values, errors = answers_rules.validate(service.obj, request.answers)
    if errors:
        raise ValueError(f"generated answers refused by {service.id}: {errors}")
    obj.number = request.number
    obj.service_uid = service.uid
    obj.service_title = service.title
    obj.member_id = request.member.id if request.member else ""
    obj.member_name = request.member.title if request.member else ""
    obj.answers = answers_rules.stored(service.obj, values, ctx.request)
    obj.by_post = request.by_post
    obj.submitted = request.submitted
    obj.due_date = add_business_days(request.submitted, service.processing_days)
    obj.postal_delivery = bool(service.civil_status_act)
    if household_plan is not None:
        obj.requester_name = household_plan.holder.title
        obj.requester_email = household_plan.holder.email
    else:
        obj.requester_name = request.requester["name"]
        obj.requester_email = request.requester["email"]
        obj.requester_phone = request.requester["phone"]
    if request.code:
        obj.tracking_digest = tracking.code_digest(request.number, request.code)
    if request.assignee:
        obj.assignee = request.assignee
    if request.posted_on:
        obj.posted_on = request.posted_on
    workflow = write_request_history(ctx, obj, request, holder_id)
    # modified when filed: the transitions reindex the state, not the date
    stamp(ctx, obj, "request_workflow", workflow, (holder_id,) if holder_id else (),
          request.submitted)
    return add(container, obj, owner_of(holder_id))


def write_request_history(ctx, obj, request, holder_id):
    """The request's own history (``processing.record``); returns its
    workflow history."""
    from illkirch.eservices.requests.processing import HISTORY_KEY

    events = [(request.submitted, "submitted", holder_id, "", "submitted")]
    workflow = [(None, holder_id or None, "", "submitted", request.submitted)]
    for name, when, actor, comment in request.steps:
        actor = holder_id if actor == HOLDER else actor
        state = NEW_STATE[name]
        note = comment
        if name == "send" and request.posted_on:
            posted = posted_note(ctx, request.posted_on)
            note = "\n".join(text for text in (comment, posted) if text)
        events.append((when, f"transition_{name}", actor, note, state))
        workflow.append((name, actor, comment, state, when))
    if request.assignee:
        events.append((request.assigned_at, "assigned", request.assignee,
                       ctx.fullname(request.assignee), state_at(request,
                                                                request.assigned_at)))
    IAnnotations(obj)[HISTORY_KEY] = PersistentList(
        PersistentMapping(time=iso(when), action=action, actor=actor, comment=comment,
                          state=state)
        for when, action, actor, comment, state in sorted(events, key=lambda e: e[0]))
    return workflow


def state_at(request, when):
    state = "submitted"
    for name, step_time, _actor, _comment in request.steps:
        if step_time <= when:
            state = NEW_STATE[name]
    return state


def posted_note(ctx, posted_on):
    from illkirch.eservices import mail
    from illkirch.eservices.requests.processing import POSTED_NOTE
    from zope.i18nmessageid import Message

    if posted_on not in ctx.posted_note:
        ctx.posted_note[posted_on] = mail._text(Message(POSTED_NOTE, mapping={
            "date": posted_on.strftime("%d/%m/%Y")}), None)
    return ctx.posted_note[posted_on]


def write_invoice(ctx, household, invoice):
    """An Invoice as ``billing.importer`` creates it (as the administrator
    who runs the import), paid as ``payments.notification.mark_paid`` does."""
    from illkirch.eservices.billing import importer

    obj = new_content("Invoice", importer.invoice_id(invoice.regie, invoice.number),
                      invoice.uid, {ctx.importer_id: ["Owner"]})
    lines = [{"label": label, "quantity": importer.stored_quantity(Decimal(quantity)),
              "unit_price_cents": unit,
              "total_cents": importer.line_total(Decimal(quantity), unit)}
             for label, quantity, unit in invoice.lines]
    importer._set_fields(obj, {
        "number": invoice.number, "regie": invoice.regie, "domain": invoice.domain,
        "member_name": invoice.member_name,
        "period": (invoice.issue_date.replace(day=1) - timedelta(days=1)).strftime(
            "%m/%Y"),
        "issue_date": invoice.issue_date,
        "due_date": invoice.issue_date + timedelta(days=30),
        "lines": lines, "total_cents": sum(line["total_cents"] for line in lines)})
    imported = datetime.combine(invoice.issue_date, time(5, 30), tzinfo=ctx.paris)
    entries = [(None, ctx.importer_id, "", "unpaid", imported)]
    if invoice.paid_on is not None:
        obj.paid_cents = obj.total_cents
        obj.paid_on = invoice.paid_on
        obj.payment_reference = invoice.payment
        entries.append(("pay", None, "", "paid", invoice.paid_on))
    stamp(ctx, obj, "invoice_workflow", entries, (ctx.importer_id,))
    return add(household, obj, (["acl_users"], ctx.importer_id))


def write_payment(ctx, household, payment, userid):
    """A Payment as ``payments.checkout.start`` records it and the bank's
    notification (``payments.notification``) closes it (``dummy`` bank)."""
    obj = new_content("Payment", payment.id, payment.uid, {userid: ["Owner"]})
    amount = sum(invoice_total(invoice) for invoice in payment.invoices)
    obj.transaction_id = payment.id
    obj.regie = payment.regie
    obj.invoice_uids = [invoice.uid for invoice in payment.invoices]
    obj.amount_cents = amount
    obj.status = payment.status
    obj.created_at = payment.created
    obj.updated_at = payment.created + timedelta(seconds=90)
    obj.bank_form = None
    obj.bank_data = {"transaction_id": payment.id,
                     "amount": f"{Decimal(amount) / 100:.2f}", "signed": "1"}
    if payment.status == "paid":
        obj.bank_data["ok"] = "1"
        obj.reference = payment.id
    stamp(ctx, obj, "payment_workflow",
          [(None, userid, "", "recorded", payment.created)], (userid,), obj.updated_at)
    return add(household, obj, owner_of(userid))


def invoice_total(invoice):
    from illkirch.eservices.billing import importer

    return sum(importer.line_total(Decimal(quantity), unit)
               for _label, quantity, unit in invoice.lines)


# checkpoint, batches --------------------------------------------------------------


def checkpoint(portal, seed, now=None):
    """The site's record of the generation: seed, reference time, the
    households done, the numbers of the account-less requests."""
    annotations = IAnnotations(portal)
    state = annotations.get(CHECKPOINT_KEY)
    if state is None:
        if now is None:
            return None
        state = annotations[CHECKPOINT_KEY] = PersistentMapping(
            seed=seed, now=now.isoformat(), done=IITreeSet(), households=IOBTree(),
            anonymous=IOBTree())
    if state["seed"] != seed:
        raise SystemExit(f"This site was generated with --seed {state['seed']}; "
                         f"one seed per site.")
    return state


def remove_unfinished(ctx, plan):
    """A household left by an interrupted run (never with one transaction
    per batch, but with savepoints or by hand): delete it and its account."""
    if plan.id not in ctx.households.objectIds():
        return
    household = ctx.households[plan.id]
    holder_id = household.holder_id
    ctx.households._delObject(plan.id)
    if holder_id and user_exists(ctx.pas.source_users, holder_id):
        ctx.pas.source_users.removeUser(holder_id)
        ctx.pas.mutable_properties.deleteUser(holder_id)
        ctx.pas.portal_role_manager.removeRoleFromPrincipal("Member", holder_id)


def write_batch(ctx, state, indices, anonymous_ids):
    """Households ``indices`` and account-less requests ``anonymous_ids``,
    numbered in the order they were filed; return the counts."""
    from illkirch.eservices.requests.numbering import next_number

    plans = [plan_household(ctx, index) for index in indices]
    anonymous = {j: plan_anonymous(ctx, j) for j in anonymous_ids
                 if j not in state["anonymous"]}
    for plan in plans:
        remove_unfinished(ctx, plan)
    requests = [r for plan in plans for r in plan.requests] + list(anonymous.values())
    for request in sorted(requests, key=lambda r: (r.submitted, r.key)):
        request.number = next_number(request.submitted)
    counts = {"households": 0, "persons": 0, "requests": 0, "invoices": 0,
              "payments": 0, "anonymous": 0}
    for plan in plans:
        household = write_household(ctx, plan)
        for request in plan.requests:
            write_request(ctx, household, request, plan)
        for invoice in plan.invoices:
            write_invoice(ctx, household, invoice)
        for payment in plan.payments:
            write_payment(ctx, household, payment, plan.holder_id)
        state["done"].insert(plan.index)
        state["households"][plan.index] = plan.id
        counts["households"] += 1
        counts["persons"] += len(plan.persons)
        counts["requests"] += len(plan.requests)
        counts["invoices"] += len(plan.invoices)
        counts["payments"] += len(plan.payments)
    for j, request in anonymous.items():
        write_request(ctx, ctx.requests_folder, request)
        state["anonymous"][j] = request.number
        counts["anonymous"] += 1
    return counts


def generate(portal, households, seed=2026, batch=50, progress=True,
             commit=transaction.commit, importer_id="admin", now=None):
    """Create households ``0 … households-1`` not created yet; return the
    counts of what was created. ``commit`` ends each batch."""
    setSite(portal)
    state = checkpoint(portal, seed, now or datetime.now(UTC))
    ctx = Context(portal, seed, datetime.fromisoformat(state["now"]), importer_id)
    done = state["done"]
    todo = [i for i in range(households) if i not in done]
    totals = {"households": 0, "persons": 0, "requests": 0, "invoices": 0,
              "payments": 0, "anonymous": 0, "skipped": households - len(todo),
              "mails": 0, "cpu_write": 0.0, "cpu_commit": 0.0}
    bar = progress_bar(len(todo), progress)
    with muted_mail() as mails, cached_service_forms(), faster_adds(portal):
        for start in range(0, len(todo), batch):
            indices = todo[start:start + batch]
            anonymous = [j for index in indices
                         for j in anonymous_of(households, index)]
            add_counts(totals, write_batch_and_commit(ctx, state, indices, anonymous,
                                                      commit))
            bar.update(len(indices))
            bar.set_postfix(objects=objects_of(totals))
        # those attached to households done by an earlier, smaller run
        missing = [j for j in range(anonymous_count(households))
                   if j not in state["anonymous"]]
        if missing:
            add_counts(totals, write_batch_and_commit(ctx, state, [], missing, commit))
        totals["mails"] = len(mails)
    bar.close()
    return totals


def write_batch_and_commit(ctx, state, indices, anonymous, commit):
    """Write a batch, commit it; its counts with the CPU time of each part."""
    began = clock.process_time()
    counts = write_batch(ctx, state, indices, anonymous)
    written = clock.process_time()
    commit()  # the catalog indexes the batch now
    counts["cpu_write"] = written - began
    counts["cpu_commit"] = clock.process_time() - written
    return counts


def add_counts(totals, counts):
    for key, value in counts.items():
        totals[key] += value


def objects_of(counts):
    return sum(counts[key] for key in ("households", "persons", "requests",
                                       "invoices", "payments", "anonymous"))


def progress_bar(total, enabled):
    from tqdm import tqdm

    return tqdm(total=total, unit="foyer", disable=not enabled, desc="Foyers",
                smoothing=0.1)


# manifest -------------------------------------------------------------------------


def typical(household):
    """6 requests, 15 invoices, an unpaid « ville » invoice in the window."""
    from illkirch.eservices.billing.invoices import window_start
    from plone import api

    values = household.objectValues()
    requests = [o for o in values if o.portal_type == "Request"]
    invoices = [o for o in values if o.portal_type == "Invoice"]
    start = window_start()
    payable = [i for i in invoices if i.regie == "ville" and i.issue_date >= start
               and api.content.get_state(i) == "unpaid"]
    return len(requests) == REQUESTS_PER_HOUSEHOLD and \
        len(invoices) == INVOICES_PER_HOUSEHOLD and bool(payable)


def manifest_citizens(ctx, households, by_index):
    wanted = min(MANIFEST_CITIZENS, households)
    chosen = []
    for k in range(wanted):
        for index in range(k * households // wanted, households):
            household = by_index.get(index)
            if household is not None and index not in chosen and typical(household):
                chosen.append(index)
                break
    pas = ctx.pas
    return [{"login": pas.source_users.getLoginForUserId(by_index[i].holder_id),
             "household": "/".join(by_index[i].getPhysicalPath())} for i in chosen]


def generated_households(ctx, state):
    """Household index → Household, for the households of this generation."""
    result = {}
    for index, household_id in state["households"].items():
        household = ctx.households.get(household_id)
        if household is not None:
            result[index] = household
    return result


def manifest_agents(ctx):
    """Agents, each with a service of their groups and the state in which
    that service has the most open requests."""
    catalog = ctx.portal.portal_catalog
    result = []
    for userid in ("agent.voirie", "agent.accueil"):
        login, password = agent_login(ctx, userid)
        if login is None:
            continue
        groups = set(ctx.portal.portal_groups.getGroupsForPrincipal(
            ctx.pas.getUserById(userid)))
        for service in sorted(ctx.services.values(), key=lambda s: s.id):
            if service.group not in groups:
                continue
            counts = {state: len(catalog.unrestrictedSearchResults(
                portal_type="Request", service_uid=service.uid, review_state=state))
                for state in ("submitted", "complete", "incomplete", "accepted")}
            # the queue's first state when it holds a few, else the fullest
            state = next((s for s, n in counts.items() if n >= 3),
                         max(counts, key=counts.get))
            if counts[state]:
                result.append({"login": login, "password": password,
                               "service": service.id, "status": state})
                break
    return result


def agent_login(ctx, userid):
    """The login and password of a demo agent, if the password still is the
    demo's one."""
    source = ctx.pas.source_users
    if not user_exists(source, userid):
        return None, None
    login = source.getLoginForUserId(userid)
    password = DEMO_AGENTS[userid]
    if source.authenticateCredentials({"login": login, "password": password}):
        return login, password
    return None, None


def manifest_lookups(ctx, state, households):
    lookups = []
    for j, number in sorted(state["anonymous"].items())[:MANIFEST_LOOKUPS]:
        code = plan_anonymous(ctx, j).code
        lookups.append({"number": number, "code": code})
    return lookups


def build_manifest(portal, households, seed, seconds):
    setSite(portal)
    state = checkpoint(portal, seed)
    ctx = Context(portal, seed, datetime.fromisoformat(state["now"]), "admin")
    with cached_service_forms():
        by_index = generated_households(ctx, state)
        return {
            "households": households, "seed": seed, "site": portal.getId(),
            "citizen_password": PASSWORD,
            "citizens": manifest_citizens(ctx, households, by_index),
            "agents": manifest_agents(ctx),
            "status_lookups": manifest_lookups(ctx, state, households),
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(seconds, 1),
        }


# command line -------------------------------------------------------------------


def default_manifest_path():
    from App.config import getConfiguration

    return Path(getConfiguration().clienthome) / "generated.json"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--zope-conf", required=True)
    parser.add_argument("--households", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--manifest", help="default: <clienthome>/generated.json")
    parser.add_argument("--site", default=SITE_ID)
    parser.add_argument("--admin", default="admin",
                        help="the Zope user who imports the invoices (default: admin)")
    args = parser.parse_args(argv)
    from illkirch.eservices.cli.zope_app import open_site
    from illkirch.eservices.cli.zope_app import zope_app

    started, cpu = clock.perf_counter(), clock.process_time()
    with zope_app(args.zope_conf) as app:
        portal = open_site(app, args.site, args.admin)
        if portal is None:
            return 2
        # Keep the catalog's BTrees in memory across batches (this process only).
        database = app._p_jar.db()
        database.setCacheSize(max(database.getCacheSize(), CACHE_SIZE))
        totals = generate(portal, args.households, args.seed, args.batch,
                          importer_id=args.admin)
        seconds = clock.perf_counter() - started
        manifest = build_manifest(portal, args.households, args.seed, seconds)
        transaction.abort()
        path = Path(args.manifest) if args.manifest else default_manifest_path()
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    created = totals["households"]
    print(f"{created} foyer(s) créé(s), {totals['skipped']} déjà faits ; "
          f"{totals['persons']} personnes, {totals['requests']} demandes "
          f"(+{totals['anonymous']} sans compte), {totals['invoices']} factures, "
          f"{totals['payments']} paiements en {seconds:.1f} s "
          f"({created / seconds:.2f} foyers/s, {objects_of(totals) / seconds:.0f} "
          f"objets/s ; {clock.process_time() - cpu:.1f} s de CPU dont "
          f"{totals['cpu_write']:.1f} à créer et {totals['cpu_commit']:.1f} à indexer "
          f"et enregistrer) ; "
          f"{totals['mails']} courriel(s) retenu(s). Manifeste : {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

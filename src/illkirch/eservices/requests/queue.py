"""The agents' queue « Guichet »: the requests of the services their groups
process, filtered, sorted and counted (assignment and transitions in bulk:
``assignment.py``; the CSV export: ``queue_export.py``).

The page ``@@guichet`` (browser/queue.py) and ``GET /@requests`` for
agents (restapi/requests/get.py) both read their parameters with
``parse`` and list with ``search``; the rules live here.

Security: every search is a restricted catalog query run as the current
user, so an agent only ever finds the requests they may View (the local
role RequestProcessor of their groups' services); on top of it, an agent's
queue holds the requests of the services whose ``agents_group`` is one of
their groups (a Manager or Site Administrator's holds every request). The
citizen's listing (``household_search``) is always confined to their own
household, whatever they ask for.
"""

from AccessControl import getSecurityManager
from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from BTrees.IIBTree import IITreeSet
from BTrees.IIBTree import intersection
from BTrees.IIBTree import multiunion
from dataclasses import dataclass
from dataclasses import field
from DateTime import DateTime
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from illkirch.eservices import _
from illkirch.eservices import business_days
from illkirch.eservices import dates
from illkirch.eservices.accounts import households
from illkirch.eservices.catalog_stamp import catalog as site_catalog
from illkirch.eservices.catalog_stamp import committed_stamp
from illkirch.eservices.content.indexers import name_words
from illkirch.eservices.content.service import IService
from illkirch.eservices.errors import FieldErrors
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import processors
from illkirch.eservices.requests import scanning
from illkirch.eservices.roles import PROCESSOR_ROLE
from illkirch.eservices.vocabularies.agents_groups import RESERVED_GROUPS
from illkirch.eservices.vocabularies.agents_groups import RESERVED_ROLES
from illkirch.eservices.vocabularies.agents_groups import designated
from illkirch.eservices.vocabularies.agents_groups import is_agents_group
from itertools import islice
from operator import itemgetter
from plone import api
from plone.indexer.interfaces import IIndexableObject
from Products.CMFCore.indexing import processQueue
from zope.component import queryMultiAdapter
from zope.component import queryUtility
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.interface import Interface
from ZTUtils.Lazy import LazyMap


PROCESS_PERMISSION = "illkirch.eservices: Process requests"
GUICHET_PERMISSION = "illkirch.eservices: Use guichet"
STAFF_ROLES = ("Manager", "Site Administrator")
# Sort keys → the catalog's sort index (None: sorted here, on the brains'
# metadata). Sorting by date is sorting by number: numbers are taken in
# filing order, the filings of all instances serialized by their one
# counter (numbering.py), and one index sorts with a limit to the page.
SORTS = {
    "number": "request_number",
    "date": "request_number",
    "due": None,
    "status": None,
}
ORDERS = ("ascending", "descending")
DEFAULT_SORT = ("date", "descending")
YES = ("1", "true", "on", "yes", "oui")
NO = ("", "0", "false", "off", "no", "non")
# The parameters a citizen may use on their own requests (GET /@requests).
CITIZEN_PARAMETERS = (
    "review_state",
    "service",
    "from",
    "to",
    "number",
    "unread",
    "sort_on",
    "sort_order",
)
MAX_BULK = 500
# The agents' transitions (the citizen's own are not offered in bulk).
AGENT_TRANSITIONS = tuple(
    tid for tid in processing.TRANSITIONS if tid not in processing.CITIZEN_TRANSITIONS
)

UNKNOWN_SERVICE = _(
    "error_queue_service", default="Unknown service, or a service you do not process."
)
UNKNOWN_STATE = _("error_queue_state", default="Unknown request status.")
BAD_DATE = _("error_queue_date", default="Give a date as DD/MM/YYYY (or YYYY-MM-DD).")
DATES_ORDER = _(
    "error_queue_dates_order", default="The start date must not be after the end date."
)
BAD_ASSIGNEE = _(
    "error_queue_assignee", default="Choose “me”, “none” or the identifier of an agent."
)
BAD_FLAG = _("error_queue_flag", default="Answer yes or no.")
BAD_SORT = _("error_queue_sort", default="Sort by number, date, due date or status.")
BAD_ORDER = _("error_queue_order", default="Sort in ascending or descending order.")
BAD_VALUE = _("error_queue_value", default="Give one value only, as text.")
NOT_FOUND = _("error_queue_not_found", default="This request was not found.")
NOT_PROCESSOR = _(
    "error_assign_not_allowed",
    default="You may not assign this request: only the agents who process it may.",
)
NOT_IN_GROUP = _(
    "error_assign_not_in_group",
    default="This person is not an agent of the service's group.",
)
UNKNOWN_TRANSITION = _("error_bulk_transition", default="Choose an action.")
NO_SELECTION = _("error_bulk_selection", default="Select at least one request.")
TOO_MANY = _(
    "error_bulk_too_many",
    default="Select at most ${count} requests at once.",
    mapping={"count": MAX_BULK},
)

CSV_HEADER = (
    "Numéro",
    "Démarche",
    "Date",
    "Personne concernée",
    "Demandeur",
    "Statut",
    "Échéance",
    "En retard",
    "Assignée à",
)
CSV_YES, CSV_NO = "Oui", "Non"


class QueueError(FieldErrors):
    """Bad filter values or a refused action, by parameter (or ``""``)."""


class IUnreadFilter(Interface):
    """The filter « Messages non lus » (a utility: ``conversation.unread``
    provides it; the requests' package knows no conversation)."""

    def criteria(user_id):
        """The catalog criteria of the requests with messages ``user_id``
        (an agent) has not read."""

    def keeps(brain, user_id):
        """Whether the request of ``brain`` (a citizen's own) has messages
        ``user_id`` has not read, from the brain's metadata."""


class IStatusCounts(Interface):
    """The requests per service and status now, kept as they change (a
    utility: ``statistics.counts`` provides it from the aggregates kept by
    events; the requests' package knows no statistics)."""

    def counts(services):
        """``{state: count}`` of the requests of ``services`` (UIDs; None:
        every service), or None when the counts cannot be trusted (not
        built yet: the queue then counts by searching)."""


def status_counts_utility():
    return queryUtility(IStatusCounts)


def unread_filter():
    return queryUtility(IUnreadFilter)


def site_text(message):
    """A message in the site's language (the CSV export)."""
    if not isinstance(message, Message):
        return message
    return translate(message, target_language=api.portal.get_default_language())


# who sees what ----------------------------------------------------------------


def current_user():
    """The user PAS authenticated for this request (``api.user.get_current``
    wraps it as member data, a cost each listing paid several times: #22)."""
    return getSecurityManager().getUser()


def may_use_guichet(user=None):
    if user is None:  # the current user: their security manager
        return bool(
            getSecurityManager().checkPermission(GUICHET_PERMISSION, api.portal.get())
        )
    return api.user.has_permission(GUICHET_PERMISSION, user=user, obj=api.portal.get())


def sees_all(user=None):
    """Managers and Site Administrators see the requests of every service
    (the user's roles on the site: global ones and their groups')."""
    user = user or current_user()
    return bool(set(user.getRoles() or ()) & set(STAFF_ROLES))


def group_ids(user):
    """The ids of the user's groups (``api.group.get_groups`` without
    making each group's object)."""
    groups = api.portal.get_tool("portal_groups")
    try:
        return set(groups.getGroupsForPrincipal(user))
    except AttributeError as error:  # a user of Zope's root acl_users
        if "portal_groups" in str(error):
            return set()
        raise


class Containers:
    """The objects of brains (unrestricted), each container on their paths
    taken once from its own container (``_getOb``), not every object
    traversed from the root, step by step (#22)."""

    def __init__(self, portal=None):
        self.portal = portal or api.portal.get()
        self.site_path = "/".join(self.portal.getPhysicalPath())
        self._found = {self.site_path: self.portal}

    def get(self, path):
        """The object at ``path`` (physical, as the catalog's), or None."""
        if path not in self._found:
            parent, name = path.rsplit("/", 1)
            if parent.startswith(self.site_path):
                get_child = getattr(aq_base(self.get(parent)), "_getOb", None)
                obj = self.get(parent)._getOb(name, None) if get_child else None
            else:  # outside the site
                obj = self.portal.unrestrictedTraverse(path, None)
            self._found[path] = obj
        return self._found[path]

    def object(self, brain):
        """``brain._unrestrictedGetObject()``, faster."""
        obj = self.get(brain.getPath())
        if obj is None or obj.UID() != brain.UID:
            obj = brain._unrestrictedGetObject()
        return obj


# The services' paths and UIDs by title, per catalog (its path), with the
# catalog's committed stamp they were found at: (stamp, ((path, uid), …)).
_SERVICES = {}


def all_services():
    """Every service, by title (unrestricted: drafts have requests too).

    The catalog's answer — the services' paths and UIDs, in the order of
    their titles, the same for every user — is kept per committed state of
    the catalog (``catalog_stamp``: adding, removing, renaming or moving a
    service reindexes it), not searched for at each listing (#22); the
    services themselves are taken from their containers at each call."""
    catalog = site_catalog()
    containers = Containers()
    stamp = committed_stamp(catalog)
    key = catalog.getPhysicalPath()
    kept = _SERVICES.get(key) if stamp is not None else None
    if kept is not None and kept[0] == stamp:
        services = [containers.get(path) for path, _uid in kept[1]]
        if all(
            service is not None and service.UID() == uid
            for service, (_path, uid) in zip(services, kept[1], strict=True)
        ):
            return services
    brains = catalog.unrestrictedSearchResults(
        object_provides=IService.__identifier__, sort_on="sortable_title"
    )
    services = [containers.object(brain) for brain in brains]
    if stamp is not None:
        _SERVICES[key] = (stamp, tuple((b.getPath(), b.UID) for b in brains))
    return services


def queue_services(user=None):
    """The services whose requests the user processes: those of their
    groups (``agents_group``), every one for managers."""
    user = user or current_user()
    services = all_services()
    if sees_all(user):
        return services
    groups = group_ids(user)
    return [service for service in services if service.agents_group in groups]


def visible_services():
    """The services the current user may see (a citizen's filter)."""
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(object_provides=IService.__identifier__, sort_on="sortable_title")
    return [brain.getObject() for brain in brains]


# filters ----------------------------------------------------------------------


@dataclass
class Filters:
    """The filters and sort of a listing, checked."""

    service: str = ""  # UID
    review_state: str = ""
    date_from: date | None = None
    date_to: date | None = None
    names: str = ""  # as typed
    number: str = ""
    assignee: str = ""  # "me", "none" or a user id
    late: bool = False
    unread: bool = False  # only requests with messages the user has not read
    sort_on: str = DEFAULT_SORT[0]
    sort_order: str = DEFAULT_SORT[1]
    service_key: str = ""  # as given (id or UID)
    words: list = field(default_factory=list)

    def params(self, **changes):
        """The query-string parameters giving these filters (``changes``
        override them; a None value drops one)."""
        default_sort = (self.sort_on, self.sort_order) == DEFAULT_SORT
        values = {
            "service": self.service_key,
            "review_state": self.review_state,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "q": self.names,
            "number": self.number,
            "assignee": self.assignee,
            "late": "1" if self.late else "",
            "unread": "1" if self.unread else "",
            "sort_on": "" if default_sort else self.sort_on,
            "sort_order": "" if default_sort else self.sort_order,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value}


def _value(form, name, errors):
    value = form.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = BAD_VALUE
        return ""
    return value.strip()


def parse(form, services, allowed=None):
    """Check the parameters of a listing (a mapping of strings); return
    Filters or raise QueueError with every error at once.

    ``services``: those the user may filter on (or a function giving them,
    called only when a service is asked for); ``allowed``: the
    parameter names read (others are ignored), all by default.
    """
    errors = {}
    if allowed is not None:
        form = {key: value for key, value in form.items() if key in allowed}
    filters = Filters()
    key = _value(form, "service", errors)
    if key:
        services = services() if callable(services) else services
        found = [s for s in services if key in (s.UID(), s.getId())]
        if found:
            filters.service, filters.service_key = found[0].UID(), key
        else:
            errors["service"] = UNKNOWN_SERVICE
    state = _value(form, "review_state", errors)
    if state and state not in processing.STATES:
        errors["review_state"] = UNKNOWN_STATE
    filters.review_state = state if state in processing.STATES else ""
    for name, attribute in (("from", "date_from"), ("to", "date_to")):
        raw = _value(form, name, errors)
        if raw:
            try:
                setattr(filters, attribute, dates.parse_date(raw))
            except ValueError:
                errors[name] = BAD_DATE
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors["to"] = DATES_ORDER
    filters.names = _value(form, "q", errors)[:200]
    filters.words = name_words(filters.names)
    filters.number = _value(form, "number", errors)[:40]
    assignee = _value(form, "assignee", errors)
    if assignee and (len(assignee) > 100 or not assignee.isprintable()):
        errors["assignee"] = BAD_ASSIGNEE
    else:
        filters.assignee = assignee
    late = _value(form, "late", errors).lower()
    if late not in YES + NO:
        errors["late"] = BAD_FLAG
    filters.late = late in YES
    unread = _value(form, "unread", errors).lower()
    if unread not in YES + NO:
        errors["unread"] = BAD_FLAG
    filters.unread = unread in YES
    sort_on = _value(form, "sort_on", errors) or DEFAULT_SORT[0]
    if sort_on not in SORTS:
        errors["sort_on"] = BAD_SORT
    sort_order = _value(form, "sort_order", errors) or (
        DEFAULT_SORT[1] if sort_on == DEFAULT_SORT[0] else "ascending"
    )
    if sort_order not in ORDERS:
        errors["sort_order"] = BAD_ORDER
    if errors:
        raise QueueError(errors)
    filters.sort_on, filters.sort_order = sort_on, sort_order
    return filters


# searching --------------------------------------------------------------------


def _day_start(day):
    return datetime.combine(day, time.min, tzinfo=business_days.TIMEZONE)


def date_bounds(filters):
    """``(low, high)``: the filing dates of ``filters`` as aware datetimes,
    ``low <= created < high`` (Paris days, both ends included)."""
    low = _day_start(filters.date_from or date(1970, 1, 1))
    high = _day_start((filters.date_to or date(9998, 12, 31)) + timedelta(days=1))
    return low, high


def filter_query(filters, review_state=None):
    """The catalog criteria of ``filters`` (None: nothing can match).

    ``review_state`` overrides the filter's status (counts per status).
    """

    query = {"portal_type": "Request"}
    if filters.service:
        query["service_uid"] = filters.service
    state = review_state if review_state is not None else filters.review_state
    if filters.late:
        states = [s for s in processing.WAITING_STATES if not state or s == state]
        if not states:
            return None
        query["review_state"] = states
        query["request_due"] = {
            "query": business_days.last_overdue_deadline(processing.today()),
            "range": "max",
        }
    elif state:
        query["review_state"] = state
    if filters.date_from or filters.date_to:
        low, high = date_bounds(filters)
        query["created"] = {
            "query": (DateTime(low), DateTime(high) - 1 / 86400.0),
            "range": "min:max",
        }
    if filters.words:
        query["request_names"] = {"query": filters.words, "operator": "and"}
    if filters.number:
        query["request_number"] = filters.number
    if filters.assignee:
        query["request_assignee"] = {
            "me": households.current_userid() or "",
            "none": "",
        }.get(filters.assignee, filters.assignee)
    if filters.unread:
        unread = unread_filter()
        if unread is None:
            return None
        query.update(unread.criteria(households.current_userid() or ""))
    return query


def _sort_key(filters):
    """The key of a sort done here, on the brains' metadata."""
    if filters.sort_on == "due":

        def key(brain):
            return (brain.due_date or date.max, brain.request_number)
    elif filters.sort_on == "status":
        order = list(processing.STATES)

        def key(brain):
            state = brain.review_state
            rank = order.index(state) if state in order else len(order)
            return (rank, brain.request_number)
    else:  # by number, which is by date (see SORTS)

        def key(brain):
            return brain.request_number or ""

    return key


def _sorted(brains, filters, by_catalog=True):
    """``brains`` in the filters' order: sorted by the catalog already when
    it could (``by_catalog``), sorted here otherwise."""
    if by_catalog and SORTS[filters.sort_on] is not None:
        return brains
    return sorted(
        brains, key=_sort_key(filters), reverse=filters.sort_order == "descending"
    )


def _sort_query(filters):
    index = SORTS[filters.sort_on]
    if index is None:
        return {}
    return {"sort_on": index, "sort_order": filters.sort_order}


def scope_of(services, user=None):
    """The UIDs of the services of a queue (None: every service), from the
    user's ``queue_services`` computed once per page."""
    if sees_all(user or current_user()):
        return None
    return [service.UID() for service in services]


def _scope(user=None):
    """The services of an agent's queue (None: every service)."""
    return scope_of(queue_services(user), user)


_UNSET = object()


def search(
    filters, review_state=None, sort=True, scope=_UNSET, page=None, services=None
):
    """The requests of the current user's queue matching ``filters``
    (restricted catalog brains, sorted as the filters say).

    ``page``: ``(b_start, b_size)`` of the batch to show; when the catalog
    sorts, it then sorts for that page only and returns only its brains,
    with the total as ``actual_result_count`` (plone.batching's optimized
    batches); ``services``: the user's ``queue_services`` when the caller
    has them (the page's walk checks who processes them)."""
    query = filter_query(filters, review_state)
    scope = _scope() if scope is _UNSET else scope
    if query is None or scope == []:
        return []
    if scope is not None and not filters.service:
        query["service_uid"] = scope
    elif scope is not None and filters.service not in scope:
        return []
    catalog = api.portal.get_tool("portal_catalog")
    if not sort:
        return catalog(**query)
    sort_query = _sort_query(filters)
    if sort_query and page is not None:
        start, size = max(0, page[0]), max(1, page[1])
        walked = walk_page(
            catalog, query, filters, scope, sort_query, start, size, services
        )
        if walked is not None:
            return walked
        found = catalog(**query)  # unsorted: the record ids, no brain made
        paged = index_page(catalog, found, sort_query, start, size)
        if paged is not None:
            return paged
        sort_query.update(b_start=start, b_size=size)
    return _sorted(catalog(**query, **sort_query), filters)


# Walking the sort index costs about this many times one record of the
# result set sorted by ZCatalog (a range of the OOBTree per key, against a
# lookup of the record's key in the index's ``_unindex``).
WALK_COST = 3


def _below(key):
    """A bound just below the text ``key``: no text lies between them but
    those with four more characters above U+10FFFF's predecessor, which
    request numbers never have (``maxKey`` has no ``excludemax``)."""
    if key[-1] == "\0":
        return key[:-1]
    return key[:-1] + chr(ord(key[-1]) - 1) + "\U0010ffff" * 4


def _keys_items(tree, reverse):
    """The ``(key, rids)`` of a FieldIndex's ``_index`` of texts, in order.

    Descending, each key is the tree's ``maxKey`` below the last one: one
    descent of the tree, the buckets on its path loaded (a range's
    ``items(max=…)[-1]`` counts the range's length first, bucket by bucket
    from the first one). The index of the numbers holds the requests'
    alone (``content/indexers.py``, upgrade 1018): it no longer holds the
    invoices' « V-… » numbers, above every request's, which a walk from the
    top had to skip (1–2 s at 1,000 households, measured)."""
    if not reverse:
        yield from tree.items()
        return
    try:
        key = tree.maxKey()
    except ValueError:  # an empty tree
        return
    while True:
        yield key, tree[key]
        if not key:
            return
        try:
            key = tree.maxKey(_below(key))
        except ValueError:  # no key below
            return


def _step_down(key, step):
    """A key ``step`` numbers below ``key`` when it ends with digits
    (« 2026-003518 » → « 2026-003454 »; « 2026- » below « 2026-000010 »),
    else None: a bound for the next range of a walk down the numbers."""
    digits = len(key) - len(key.rstrip("0123456789"))
    if not digits:
        return None
    number = int(key[-digits:])
    if number == 0:
        return key[:-digits]
    return key[:-digits] + str(max(0, number - step)).zfill(digits)


def _keys_items_desc(tree, step=64):
    """The ``(key, rids)`` of a FieldIndex's ``_index`` of texts, from the
    greatest key down (``_key_chunks_desc``, one by one)."""
    for chunk in _key_chunks_desc(tree, step):
        yield from reversed(chunk)


def _key_chunks_desc(tree, step=64, part="items"):
    """The ``(key, rids)`` of a FieldIndex's ``_index`` of texts (or their
    ``rids`` alone: ``part="values"``), from the greatest key down, read by
    ranges of about ``step`` numbers (one descent of the tree and a forward
    read each), not one ``maxKey`` descent per key (``_keys_items``): a key
    that does not end with digits, or a range that would not go down, goes
    on key by key. Every key is given once, whatever the ranges (each one
    is the keys in ``[low, top)``, ``top`` the last range's low end).
    Given as lists, one per range (or per key), the ranges from the top
    down, each list in ascending order (as the tree reads it)."""
    read = getattr(tree, part)
    try:
        top = tree.maxKey()
    except ValueError:  # an empty tree
        return
    include_top = True
    while True:
        low = _step_down(top, step)
        if low is None or low >= top:
            if include_top:
                yield [(top, tree[top]) if part == "items" else tree[top]]
            try:
                top = tree.maxKey(_below(top)) if top else None
            except ValueError:  # no key below
                return
            if top is None:
                return
            include_top = True
            continue
        chunk = list(read(min=low, max=top, excludemax=not include_top))
        if chunk:
            yield chunk
        top, include_top = low, False


def _key_chunks(tree, size=64):
    """The ``rids`` of each key of ``tree`` in ascending order, as lists of
    ``size`` keys."""
    values = iter(tree.values())
    while chunk := list(islice(values, size)):
        yield chunk


def index_page(catalog, found, sort_query, start, size):
    """The page ``[start, start + size)`` of the brains ``found`` (an
    unsorted search), in the order of the sort index, as ZCatalog's
    ``b_start``/``b_size`` search gives it (only the page's brains, the
    total as ``actual_result_count``); None when ZCatalog's own sort is
    the cheaper (a result set small beside the index).

    ZCatalog sorts a page by looking up the sort key of every record of the
    result set (N-best): a cost that grows with the queue, so with the
    town (#22, docs/performance.md). Here the sort index is walked from its
    end (or start), each record kept if it is in the result set, until the
    page is full: ``start + size`` records found among about ``(start +
    size) × len(index) / len(found)`` keys read, the same for a queue
    that is a given share of a town of any size."""
    total = len(found)
    limit = start + size
    if total == 0:
        return found
    if start >= total:
        return LazyMap(catalog._catalog.__getitem__, [], 0, actual_result_count=total)
    index = catalog._catalog.getIndex(sort_query["sort_on"])
    tree = getattr(index, "_index", None)
    # the number of keys (``len(index)``: a counter; ``len(tree)`` counts
    # the tree's buckets one by one)
    keys = len(index) if tree is not None else 0
    if not keys or not hasattr(tree, "maxKey"):
        return None
    if not isinstance(tree.minKey(), str):
        return None  # the walk knows the order of texts only (``_below``)
    if limit * keys * WALK_COST > total * total:
        return None  # ZCatalog's sort of the result set reads fewer records
    rids = getattr(found, "_seq", None)
    if rids is None:
        return None
    members = rids if hasattr(rids, "has_key") else IITreeSet(rids)
    reverse = sort_query.get("sort_order") == "descending"
    kept = []
    for _key, value in _keys_items(tree, reverse):
        # each record of the key looked up in the result set (a search in
        # it), not ``intersection``, which merges the whole result set
        same = (value,) if isinstance(value, int) else list(value)
        kept.extend(
            rid for rid in (reversed(same) if reverse else same) if rid in members
        )
        if len(kept) >= limit:
            break
    else:
        if len(kept) < total:  # records with no number, or none that sorts
            return None  # ZCatalog sorts them as it does
    page = kept[start:limit]
    return LazyMap(
        catalog._catalog.__getitem__, page, len(page), actual_result_count=total
    )


# The criteria ``walk_page`` tests on each record it walks (those of a
# queue filtered by nothing but a service and a status).
WALKED_CRITERIA = frozenset(("portal_type", "service_uid", "review_state"))
# The most records ``walk_page`` expects to read for a page (beyond, the
# restricted search and ``index_page`` are the cheaper: a far page).
WALK_MAX = 3000


class _Unsure(Exception):
    """A record ``walk_page`` cannot judge as the catalog would."""


def _processors_see_all(catalog, roles):
    """Whether one of ``roles`` holds View, not acquired, in every state of
    the requests' one workflow (the local role RequestProcessor, or a
    manager's global role)."""
    workflow_tool = getattr(catalog, "portal_workflow", None)
    if workflow_tool is None:
        return False
    chain = tuple(workflow_tool.getChainForPortalType("Request"))
    if len(chain) != 1:
        return False
    workflow = workflow_tool.getWorkflowById(chain[0])
    states = getattr(workflow, "states", None)
    if workflow is None or not states:
        return False
    for state in states.objectValues():
        view = (state.permission_roles or {}).get("View")
        # a tuple: not acquired (a list: acquired from the container)
        if not isinstance(view, tuple) or not set(view) & set(roles):
            return False
    return True


def _sees_whole_scope(catalog, user, tokens, scope, services):
    """Whether the restricted search finds every request of the queue's
    services (``scope``; None: every service), so that its total is the
    count kept per service and status.

    Managers and Site Administrators: their role holds View in every state.
    Agents: each service of the scope gives the local role RequestProcessor
    to a group that is one of the user's tokens (``processors``: the group
    its requests were last given to is the service's current agents'
    group), and that role holds View in every state."""
    if scope is None:
        staff = [role for role in STAFF_ROLES if role in tokens]
        return bool(staff) and _processors_see_all(catalog, staff)
    by_uid = {service.UID(): service for service in services}
    groups = set()
    for uid in scope:
        service = by_uid.get(uid)
        if service is None:
            return False
        # the group its requests were given to (``processors``) is the
        # service's ``processor_group``: its agents' group, designated
        given = getattr(aq_base(service), processors.PROCESSORS_ATTR, None)
        if not given or getattr(service, "agents_group", None) != given:
            return False
        if f"user:{given}" not in tokens:
            return False
        groups.add(given)
    if not _are_agents_groups(user, groups):
        return False
    return _processors_see_all(catalog, (PROCESSOR_ROLE,))


def _are_agents_groups(user, groups):
    """Whether each of ``groups`` — the user's own, among their tokens, so
    groups PAS knows — is an agents' group (``is_agents_group``), without
    looking each group up: designated, not reserved, and holding no
    reserved role (a group's roles are its members': none of the user's
    roles is reserved). Else each group is looked up."""
    if set(user.getRoles() or ()) & RESERVED_ROLES:
        return all(is_agents_group(group) for group in groups)
    chosen = set(designated())
    return all(group in chosen and group not in RESERVED_GROUPS for group in groups)


def _kept_total(query, scope):
    """The number of requests of ``scope`` (None: every service) in the
    query's status (every status when it has none), from the counts kept
    as requests change; None when there are none to trust."""
    utility = status_counts_utility()
    if utility is None:
        return None
    services = query.get("service_uid", scope)
    if isinstance(services, str):
        services = [services]
    kept = utility.counts(None if services is None else list(services))
    if kept is None:
        return None
    state = query.get("review_state")
    if state is not None:
        return kept.get(state, 0)
    return sum(kept.values())


def _members(index, value):
    """The records an index's ``_index`` holds for ``value`` (an empty tuple
    for none; the index keeps a lone record as an int)."""
    found = index._index.get(value)
    if found is None:
        return ()
    return (found,) if isinstance(found, int) else found


def _record_test(catalog, query, tokens, moment):
    """``(keeps, first)``: ``keeps``, a function telling whether a record
    (its id) matches ``query`` plus
    what Plone's restricted search adds — the user's ``tokens`` in
    ``allowedRolesAndUsers`` and, unless ``moment`` is None, effective at
    ``moment`` (``effectiveRange``) — as each index's own query selects it:
    the record in the index's set of a value asked for (``_index``: the
    sets the search would intersect, looked up one record at a time), and
    for ``effectiveRange`` its own dates (``_unindex``); it raises
    ``_Unsure`` for a record ``effectiveRange`` does not hold. ``first``:
    the records of a list that pass the first (most selective) criterion,
    in order (``_first_test``), the others needing no ``keeps``."""
    indexes = catalog._catalog.indexes
    criteria = []
    # the most selective first: a status, then a service, the type last
    order = ("review_state", "service_uid", "portal_type")
    for name in sorted(query, key=lambda name: (order + (name,)).index(name)):
        wanted = query[name]
        values = (wanted,) if isinstance(wanted, str) else tuple(wanted)
        criteria.append([_members(indexes[name], value) for value in values])
    allowed = [_members(indexes["allowedRolesAndUsers"], token) for token in tokens]
    effective = None
    if moment is not None:
        index = indexes["effectiveRange"]
        effective, term = index._unindex, index._convertDateTime(moment)

    def keeps(rid):
        # loops, not ``any`` over generators: a walk tests hundreds (#22)
        for sets in criteria:
            for found in sets:
                if rid in found:
                    break
            else:
                return False
        for found in allowed:
            if rid in found:
                break
        else:
            return False
        if effective is not None:
            bounds = effective.get(rid)
            if bounds is None:
                raise _Unsure(rid)
            since, until = bounds
            if since is not None and since > term:
                return False
            if until is not None and until < term:
                return False
        return True

    first = _first_test(criteria[0]) if criteria else list
    return keeps, first


def _first_test(sets):
    """A function: records (their ids, a list) → those in one of ``sets``
    (the walk's first criterion, the most selective), in their order. A
    record it drops, ``keeps`` refuses on that criterion; a record it
    keeps is then tested by ``keeps``."""
    if len(sets) == 1:
        (only,) = sets
        return lambda rids: [rid for rid in rids if rid in only]
    return lambda rids: [rid for rid in rids if any(rid in found for found in sets)]


def _inactive_requests(catalog, moment):
    """Whether a request is not effective at ``moment`` (the records the
    ``effectiveRange`` index excludes, as its query computes them: a few
    pages published later or expired, checked one by one)."""
    index = catalog._catalog.getIndex("effectiveRange")
    term = index._convertDateTime(moment)
    excluded = []
    for tree, low, high in (
        (index._until_only, None, term - 1),
        (index._since_only, term + 1, None),
        (index._until, None, term - 1),
        (index._since, term + 1, None),
    ):
        for value in tree.values(low, high):
            excluded.append(IITreeSet((value,)) if isinstance(value, int) else value)
    if not excluded:
        return False
    types = catalog._catalog.getIndex("portal_type")._unindex
    return any(types.get(rid) == "Request" for rid in multiunion(excluded))


def walk_page(catalog, query, filters, scope, sort_query, start, size, services=None):
    """The page ``[start, start + size)`` of the restricted search of
    ``query``, as ``index_page`` gives it, without that search: None when
    it cannot be answered so (then the search is made).

    The restricted search (Plone's ``searchResults``: the user's
    ``allowedRolesAndUsers`` tokens, ``effectiveRange``) materialises the
    whole queue, which grows with the town (#22). Here the index of the
    numbers is walked from its end, and each record tested against the
    query and those two criteria on the indexes' reverse entries
    (``_record_test``) until the page is full: about ``(start + size) ×
    keys / total`` records read, whatever the town's size. The total is
    the count kept per service and status, which is the restricted
    search's only when the user sees every request of the queue's services
    (``_sees_whole_scope``) and every request is effective now (or the
    user may see inactive content): otherwise, or for any filter but a
    service and a status, None. A walk that reaches the end of the index
    checks the total against what it found."""
    if set(query) - WALKED_CRITERIA or query.get("portal_type") != "Request":
        return None
    if not only_service(filters) or sort_query.get("sort_on") != "request_number":
        return None
    processQueue()  # as Plone's searchResults does first
    user = current_user()
    tokens = catalog._listAllowedRolesAndUsers(user)
    if services is None and scope is not None:
        services = queue_services(user)
    if not _sees_whole_scope(catalog, user, tokens, scope, services):
        return None
    total = _kept_total(query, scope)
    if total is None:
        return None
    moment = None
    if not catalog.allow_inactive(query):
        moment = DateTime()
        if _inactive_requests(catalog, moment):
            return None
    if start >= total:
        return LazyMap(catalog._catalog.__getitem__, [], 0, actual_result_count=total)
    index = catalog._catalog.getIndex("request_number")
    tree = getattr(index, "_index", None)
    keys = len(index) if tree is not None else 0
    if not keys or not hasattr(tree, "maxKey"):
        return None
    if not isinstance(tree.minKey(), str):
        return None
    limit = min(start + size, total)
    expected = limit * keys / total
    if expected > WALK_MAX:
        return None
    budget = 2 * expected + 200  # a queue whose share varies with the date
    keeps, first = _record_test(catalog, query, tokens, moment)
    reverse = sort_query.get("sort_order") == "descending"
    chunks = _key_chunks_desc(tree, part="values") if reverse else _key_chunks(tree)
    try:
        kept = _walk(chunks, keeps, first, reverse, start + size, budget)
    except _Unsure:
        return None
    if kept is None or (len(kept) < start + size and len(kept) != total):
        # over the budget; or the end of the index reached with records
        # with no number, or counts that are off
        return None
    page = kept[start : start + size]
    return LazyMap(
        catalog._catalog.__getitem__, page, len(page), actual_result_count=total
    )


def _walk(chunks, keeps, first, reverse, wanted, budget):
    """The records ``keeps`` keeps, in the walk's order, until ``wanted``
    are found (then at least ``wanted``) or the keys end (then all of
    them); None when more than ``budget`` records were read with fewer than
    ``wanted`` found, after a key. ``chunks``: lists of the keys' records
    (an int, or a set of ints), each list in ascending order of the keys
    (``_key_chunks_desc``, ``_key_chunks``); ``reverse``: the walk goes
    down (the chunks from the top, each read backwards, and each key's
    records too).

    A chunk that cannot pass the budget is tested at once: its records
    flattened (in C, a comprehension; backwards by reversing the flat
    list), passed through ``first``, a comprehension too, and only those
    left through ``keeps`` (most records fail the first criterion: a walk
    reads 843 records for agent.voirie's page of « submitted », #22). The
    chunk that may pass it goes key by key, the budget checked after each
    key as the walk always did."""
    kept = []
    read = 0
    for values in chunks:
        rids = [
            rid
            for value in values
            for rid in ((value,) if type(value) is int else value)
        ]
        if reverse:
            rids.reverse()
        if read + len(rids) <= budget:
            read += len(rids)
            for rid in first(rids):
                if keeps(rid):
                    kept.append(rid)
                    if len(kept) >= wanted:
                        return kept
            continue
        for value in reversed(values) if reverse else values:
            same = [value] if type(value) is int else list(value)
            if reverse:
                same.reverse()
            read += len(same)
            kept.extend(rid for rid in same if keeps(rid))
            if len(kept) >= wanted:
                return kept
            if read > budget:
                return None
    return kept


def only_service(filters):
    """Whether ``filters`` hold nothing but a service (and a status or a
    sort, which the counts per status do not read)."""
    return not (
        filters.names
        or filters.words
        or filters.date_from
        or filters.date_to
        or filters.number
        or filters.assignee
        or filters.late
        or filters.unread
    )


def kept_counts(filters, scope):
    """``{state: count}`` of the services of ``filters`` (or of the
    ``scope``) from the counts kept as requests change (``IStatusCounts``),
    None when there are none to trust."""
    utility = status_counts_utility()
    if utility is None:
        return None
    result = dict.fromkeys(processing.STATES, 0)
    if filters.service:
        if scope is not None and filters.service not in scope:
            return result
        services = [filters.service]
    else:
        services = scope
    if services == []:
        return result
    kept = utility.counts(services)
    if kept is None:
        return None
    for state, count in kept.items():
        if state in result:
            result[state] = count
    return result


def counts(filters, scope=_UNSET):
    """Requests per status with the other filters: ``{state: count}``.

    One search without the status, then the status index's own sets
    intersected with its result (in C): a search per status cost seven
    times the intersections of a queue that holds the whole town's
    requests (docs/performance.md).

    With no filter but a service, the counts kept as requests change are
    read instead (``kept_counts``): the same at 1,000 and 100,000
    requests."""
    scope = _scope() if scope is _UNSET else scope
    result = dict.fromkeys(processing.STATES, 0)
    if only_service(filters):
        kept = kept_counts(filters, scope)
        if kept is not None:
            return kept
    found = search(filters, review_state="", sort=False, scope=scope)
    if not found:
        return result
    rids = IITreeSet(found._seq)  # the catalog's record ids, no brain made
    catalog = api.portal.get_tool("portal_catalog")
    by_state = catalog._catalog.getIndex("review_state")._index
    for state in result:
        in_state = by_state.get(state)
        if in_state is None:
            continue
        if isinstance(in_state, int):  # the index keeps a lone record as an int
            in_state = IITreeSet((in_state,))
        result[state] = len(intersection(rids, in_state))
    return result


def household_search(household, filters):
    """A citizen's requests: always those of ``household`` only, filtered
    by the citizen's parameters (``CITIZEN_PARAMETERS``: service, status,
    dates, number, unread messages; the agents' filters are not applied to
    a household).

    Only the household's own entries of the catalog are read
    (``households.own_brains``) and filtered here on their metadata, not
    intersected with indexes that hold the requests of the whole town."""
    if household is None:
        return []
    low, high = date_bounds(filters)
    unread = unread_filter() if filters.unread else None
    if filters.unread and unread is None:
        return []
    user_id = households.current_userid()
    found = []
    for brain in households.own_brains(household, "Request"):
        if unread is not None and not unread.keeps(brain, user_id):
            continue
        if filters.review_state and brain.review_state != filters.review_state:
            continue
        if filters.number and brain.request_number != filters.number:
            continue
        if (filters.date_from or filters.date_to) and not (
            low <= brain.created.asdatetime() < high
        ):
            continue
        if (
            filters.service
            and households.own_object(household, brain).service_uid != filters.service
        ):
            continue
        found.append(brain)
    return _sorted(found, filters, by_catalog=False)


def find(uid):
    """A request the current user may see, by UID (None otherwise)."""
    if not uid or not isinstance(uid, str):
        return None
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog(portal_type="Request", UID=uid):
        return brain.getObject()
    return None


# rows -------------------------------------------------------------------------


# The catalog's metadata columns the rows are read from (upgrade 1017).
ROW_COLUMNS = ("service_uid", "member_id", "by_post", "submitted", "household_title")


class Rows:
    """Describes brains for the page, the REST API and the CSV, caching the
    names of agents and households it looks up, the site's URL and the
    antivirus' counts (looked up once, not per row: #22)."""

    def __init__(self):
        self.today = processing.today()
        self._users = {}
        self._households = {}
        self.portal = api.portal.get()
        self.containers = Containers(self.portal)
        self._acl_users = None
        self._quarantined = None
        self._site_path = "/".join(self.portal.getPhysicalPath())
        self._site_url = self.portal.absolute_url()
        # False until the site is upgraded to 1017: the rows then read the
        # requests themselves, as before
        schema = api.portal.get_tool("portal_catalog")._catalog.schema
        self.has_columns = all(name in schema for name in ROW_COLUMNS)
        self._readers = {}
        self._late = {}

    def columns(self, brain, names):
        """The values of the metadata columns ``names`` (a tuple) of
        ``brain``, as a tuple, read at once from its record: each
        ``brain.column`` is a call of Record's ``__getattr__`` in Python,
        about ten per item of a listing (#22). None for a column the
        catalog has not (as ``getattr(brain, name, None)``)."""
        base = aq_base(brain)
        schema = base.__schema__
        found = self._readers.get(names)
        if found is None or found[0] is not schema:
            positions = [schema.get(name) for name in names]
            if None in positions or len(positions) < 2:

                def read(data, positions=positions):
                    return tuple(None if at is None else data[at] for at in positions)
            else:
                read = itemgetter(*positions)
            found = self._readers[names] = (schema, read)
        return found[1](base.__data__)

    def late(self, due_date, review_state):
        """``processing.overdue`` today, computed once per due date and
        status of the listing (working days counted: #22)."""
        key = (due_date, review_state)
        if key not in self._late:
            self._late[key] = processing.overdue(due_date, review_state, self.today)
        return self._late[key]

    def user_name(self, userid):
        """The agent's full name (PAS directly: ``api.user.get`` wraps the
        user as member data for the same property), else their id."""
        if not userid:
            return ""
        if userid not in self._users:
            if self._acl_users is None:  # not api.portal.get_tool: 3 ms
                self._acl_users = self.portal.acl_users
            user = self._current_user(userid)
            if user is None:
                user = self._acl_users.getUserById(userid)
            name = user.getProperty("fullname", "") if user is not None else ""
            self._users[userid] = name or userid
        return self._users[userid]

    def _current_user(self, userid):
        """The current user when they are ``userid`` of the site's PAS (the
        one that found them for this request, with the same plugins and
        properties as ``getUserById``: the agent of their own queue's
        assignments, a look-up of PAS of 0.2 ms spared, #22), else None."""
        user = current_user()
        if user is None or user.getId() != userid:
            return None
        if aq_base(aq_parent(aq_inner(user))) is not aq_base(self._acl_users):
            return None  # a user of Zope's root, or of another PAS
        return user if hasattr(aq_base(user), "getProperty") else None

    def url(self, brain):
        """``brain.getURL()``: the site's URL and the path below it."""
        path = brain.getPath()
        if path.startswith(self._site_path + "/"):
            return self._site_url + path[len(self._site_path) :]
        return brain.getURL()

    def quarantined_count(self, uid):
        """``scanning.quarantined_count``, its tree read once."""
        if self._quarantined is None:
            self._quarantined = scanning.quarantined_counts()
        return self._quarantined.get(uid, 0)

    def requester(self, brain, name=None, title=None):
        """The requester: the account-less requester, or the household's
        holder (the household's title). ``name``, ``title``: the brain's
        ``requester_name`` and ``household_title`` when the caller has read
        them (``columns``)."""
        if name is None:
            name = brain.requester_name
            title = getattr(brain, "household_title", None)
        if name:
            return name
        if isinstance(title, str):  # the column (upgrade 1017): no wake-up
            return title
        parent = brain.getPath().rsplit("/", 1)[0]
        if parent not in self._households:
            container = self.containers.get(parent)
            title = ""
            if container is not None and container.portal_type == "Household":
                title = container.Title()
            self._households[parent] = title
        return self._households[parent]

    def request_object(self, brain):
        """The request of ``brain`` (a restricted search's: the user may View
        it), taken from its container (``Containers``), not from the root
        with a check on each step (#22)."""
        return self.containers.object(brain)

    def row(self, brain):
        created = brain.created.asdatetime().astimezone(business_days.TIMEZONE)
        return {
            "uid": brain.UID,
            "url": self.url(brain),
            "number": brain.request_number,
            "service": brain.service_title,
            "created": created,
            "member": brain.member_name or "",
            "requester": self.requester(brain),
            "review_state": brain.review_state,
            "status": processing.state_title(brain.review_state),
            "due_date": brain.due_date,
            "late": self.late(brain.due_date, brain.review_state),
            "assignee": brain.assignee or "",
            "assignee_name": self.user_name(brain.assignee),
            # documents refused by the antivirus (#21)
            "quarantined": self.quarantined_count(brain.UID),
        }


# the rows' metadata -----------------------------------------------------------


def update_rows_metadata(request_obj, catalog=None):
    """Refresh the catalog's metadata columns of one request (the queue's
    rows read them: ``household_title``…), no index touched."""
    catalog = catalog or api.portal.get_tool("portal_catalog")
    path = "/".join(request_obj.getPhysicalPath())
    rid = catalog._catalog.uids.get(path)
    if rid is None:
        return False
    wrapper = queryMultiAdapter((request_obj, catalog), IIndexableObject)
    catalog._catalog.updateMetadata(wrapper or request_obj, path, rid)
    catalog._increment_counter()  # what the catalog's stamp reads changed
    return True


def household_closed(event):
    """Subscriber (``accounts.closure.AccountClosed``, ``event.object``: the
    household): its title became « Foyer clôturé »; its requests'
    ``household_title`` in the catalog follows."""
    household = event.object
    catalog = api.portal.get_tool("portal_catalog")
    for obj in household.contentValues():
        if getattr(obj, "portal_type", None) == "Request":
            update_rows_metadata(obj, catalog)

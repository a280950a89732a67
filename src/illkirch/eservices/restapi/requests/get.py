"""``GET /@requests[?service=…&review_state=…]``: the agents' queue
(« Guichet ») for users holding « Use guichet », their household's requests
for anyone else.

The parameters and the rules are those of ``requests.queue``, shared with
the page ``@@guichet``: a user holding « Use guichet » gets their queue (the
requests of their groups' services) with its counts per status; anyone else
their household's requests only, whatever they ask for (a user with neither
lists no request). The same list as CSV: ``requests_export``.

Each item has ``unread_messages``: the messages of the request the current
user has not read (``conversation.unread``, from the brain's metadata);
``unread=1`` keeps the requests with some (agents and citizens alike).

The agents' queue also gives ``antivirus`` (#21, ``antivirus.files.
agents_summary``): ``waiting``, the files waiting for their scan, ``active``
and, for the settings' managers, ``daemon_answers``.
"""

from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.households import current_household
from illkirch.eservices.antivirus import files as scanned_files
from illkirch.eservices.conversation import store
from illkirch.eservices.conversation import unread
from illkirch.eservices.requests import queue
from illkirch.eservices.requests import reminders
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.links import services_url
from illkirch.eservices.restapi.plain_json import plain
from illkirch.eservices.restapi.request_summary import brain_summary
from illkirch.eservices.restapi.request_summary import request_summary
from plone.restapi.batching import HypermediaBatch
from plone.restapi.services import Service
from zope.i18n import translate


class RequestsGet(Service):
    """The queue for users holding « Use guichet » (the parameters of
    ``requests.queue``); for anyone else the requests of their own
    household, which no parameter can widen."""

    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        if queue.may_use_guichet():
            return queue_listing(self.request)
        return household_listing(self.request, current_household())


def _batch(request, brains, item):
    batch = HypermediaBatch(request, brains)
    result = {
        "@id": batch.canonical_url,
        "items": [item(brain) for brain in batch],
        "items_total": batch.items_total,
    }
    if batch.links:
        result["batching"] = batch.links
    return result


def queue_listing(request):
    """``GET /@requests`` for an agent: the queue, its counts per status.

    One page (``b_start``/``b_size``) of the queue, sorted on the sort
    index without reading the sort key of every request of the queue
    (``queue.index_page``); each item from its catalog entry's metadata
    (``brain_item``: no request woken up, but those waiting for their
    citizen, for the reminders); the counts per status kept as requests
    change or intersected in the status index; what is the same for every
    item (the URL of the services, the statuses' titles, the site's URL)
    computed once (#22, docs/performance.md)."""
    user = queue.current_user()
    services = queue.queue_services(user)
    try:
        filters = queue.parse(request.form, services)
    except queue.QueueError as refused:
        return field_errors(request, refused.errors)
    scope = queue.scope_of(services, user)
    rows = queue.Rows()
    userid = user.getId()
    known = {
        "services": services_url(),
        "statuses": {},
        # the queue's services by UID: the reminders' steps (no search)
        "service_objects": {service.UID(): service for service in services},
    }

    def item(brain):
        data = brain_item(brain, request, rows, known)
        data["unread_messages"] = unread.count(brain, userid, store.AGENT)
        return data

    page = HypermediaBatch(request, ())  # the batch asked for
    brains = queue.search(
        filters, scope=scope, page=(page.b_start, page.b_size), services=services
    )
    result = _batch(request, brains, item)
    result["counts"] = queue.counts(filters, scope=scope)
    # the files waiting for their antivirus scan (#21), as the Guichet shows
    result["antivirus"] = scanned_files.agents_summary()
    return result


def household_listing(request, household):
    """``GET /@requests`` for a citizen: their household's requests only."""
    try:
        filters = queue.parse(
            request.form, queue.visible_services, allowed=queue.CITIZEN_PARAMETERS
        )
    except queue.QueueError as refused:
        return field_errors(request, refused.errors)
    brains = queue.household_search(household, filters)
    services = services_url()
    userid = households.current_userid()

    def item(brain):  # the household's own requests (household_search)
        data = request_summary(
            households.own_object(household, brain),
            request,
            brain.review_state,
            services,
        )
        data["unread_messages"] = unread.count(brain, userid, store.CITIZEN)
        return data

    return _batch(request, brains, item)


# The metadata columns of a queue's item beside its summary's
# (``brain_summary``), read at once (``queue.Rows.columns``).
QUEUE_COLUMNS = (
    "review_state",
    "service_uid",
    "requester_name",
    "household_title",
    "due_date",
    "assignee",
)


def brain_item(brain, request, rows, known):
    """A request as the queue shows it — the citizen's summary, plus the
    requester, the due date, the late flag, the assignee and the reminders
    — from its catalog entry (``brain_summary``): only a request waiting
    for its citizen is woken up, for its reminders (a page holds at most
    ``b_size`` of them). Its columns are read at once, the lateness and the
    agents' names once per listing (``queue.Rows``, #22)."""
    if rows.has_columns:
        url = rows.url(brain)
        data = brain_summary(
            brain, request, rows, known["services"], known["statuses"], url=url
        )
        review_state, service_uid, name, title, due_date, assignee = rows.columns(
            brain, QUEUE_COLUMNS
        )
        fields = {
            "requester": rows.requester(brain, name, title),
            "due_date": due_date,
            "late": rows.late(due_date, review_state),
            "assignee": assignee or "",
            "assignee_name": rows.user_name(assignee),
        }
    else:  # a catalog not upgraded to 1017 yet: the request itself
        fields = rows.row(brain)
        review_state = brain.review_state
        service_uid = getattr(brain, "service_uid", None)
        data = request_summary(
            rows.request_object(brain),
            request,
            review_state,
            known["services"],
            url=fields["url"],
            statuses=known["statuses"],
        )
    reminded = 0
    if review_state == reminders.STATE:
        reminded = reminders.unanswered(
            rows.request_object(brain),
            review_state,
            known["service_objects"].get(service_uid),
        )
    data.update(_queue_fields(fields, reminded, request))
    return data


def _queue_fields(row, reminded, request):
    """The queue's own fields of an item, each value ``plain`` (as
    ``plain`` of the whole dict gives them, without walking it: #22)."""
    assignee = row["assignee"]
    return {
        "requester_name": plain(row["requester"]),
        "due_date": plain(row["due_date"]),
        "late": plain(row["late"]),
        "assignee": {"id": plain(assignee), "fullname": plain(row["assignee_name"])}
        if assignee
        else None,
        # after the last reminder, no answer: « Relancé 2 fois, sans réponse »
        "reminded_unanswered": plain(reminded),
        "reminded_flag": plain(translate(reminders.flag(reminded), context=request))
        if reminded
        else None,
    }

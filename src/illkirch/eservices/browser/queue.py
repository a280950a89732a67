"""« Guichet »: the agents' queue of requests.

``@@guichet`` lists the requests of the services the agent's groups process
(every request for a manager): a GET filter form, the counts per status,
a sortable table in pages, and a POST form acting on a selection (one
transition with one message, or « Assigner à moi »). ``@@guichet-export.csv``
downloads the filtered list; ``@@assigner`` (on a request) assigns it. The
rules live in ``requests.queue``; these views read the form and show the
outcome (POST/redirect/GET).
"""

from illkirch.eservices import _
from illkirch.eservices.antivirus import files as scanned_files
from illkirch.eservices.browser import badges
from illkirch.eservices.conversation import store
from illkirch.eservices.conversation import unread
from illkirch.eservices.dates import format_date
from illkirch.eservices.requests import assignment
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import queue
from illkirch.eservices.requests import queue_export
from illkirch.eservices.requests import reminders
from plone import api
from plone.batching import Batch
from plone.memoize.view import memoize
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from zope.i18n import translate

import transaction


VIEW_NAME = "guichet"
EXPORT_NAME = "guichet-export.csv"
PAGE_SIZE = 25
PAGE_SIZES = (10, 25, 50, 100)
PAGES_AROUND = 2  # pagination: pages linked on each side of the current one
# The parameters a page's address keeps (filters, sort, page).
KEPT = (
    "service",
    "review_state",
    "from",
    "to",
    "q",
    "number",
    "assignee",
    "late",
    "unread",
    "sort_on",
    "sort_order",
    "b_start",
    "b_size",
)
COLUMNS = {
    "number": _("column_number", default="Number"),
    "date": _("column_date", default="Date"),
    "due": _("column_due_date", default="Due date"),
    "status": _("column_status", default="Status"),
}


class QueueView(BrowserView):
    """The queue, its filters and the actions on a selection."""

    index = ViewPageTemplateFile("templates/queue.pt")
    page_title = _("title_guichet", default="Guichet")
    badge_macros = badges.StatusBadges.template

    def __call__(self):
        if self.request.method == "POST":
            return self.handle_bulk()
        self.update()
        return self.index()

    # the listing ------------------------------------------------------------

    def update(self):
        self.services = queue.queue_services()
        self.errors = {}
        try:
            self.filters = queue.parse(self.request.form, self.services)
        except queue.QueueError as refused:
            self.errors = refused.errors
            self.filters = queue.Filters()
        self.scope = queue.scope_of(self.services)
        self.brains = (
            []
            if self.errors
            else queue.search(
                self.filters,
                scope=self.scope,
                page=(self.start, self.page_size),
                services=self.services,
            )
        )
        self.batch = Batch(self.brains, self.page_size, self.start)

    @property
    def page_size(self):
        try:
            size = int(self.request.form.get("b_size") or PAGE_SIZE)
        except (TypeError, ValueError):
            return PAGE_SIZE
        return size if size in PAGE_SIZES else PAGE_SIZE

    @property
    def start(self):
        try:
            return max(0, int(self.request.form.get("b_start") or 0))
        except (TypeError, ValueError):
            return 0

    @memoize
    def base_url(self):
        return f"{self.context.absolute_url()}/@@{VIEW_NAME}"

    def url(self, **changes):
        """This page with the current filters, ``changes`` applied."""
        params = self.filters.params(**changes)
        if self.page_size != PAGE_SIZE and "b_size" not in changes:
            params["b_size"] = self.page_size
        return f"{self.base_url()}?{urlencode(params)}" if params else self.base_url()

    def export_url(self):
        params = urlencode(self.filters.params())
        url = f"{self.context.absolute_url()}/@@{EXPORT_NAME}"
        return f"{url}?{params}" if params else url

    def query_string(self):
        """The filters, sort and page, for the bulk form to come back to."""
        params = self.filters.params()
        if self.start:
            params["b_start"] = self.start
        if self.page_size != PAGE_SIZE:
            params["b_size"] = self.page_size
        return urlencode(params)

    def field(self, name):
        value = self.request.form.get(name, "")
        return value if isinstance(value, str) else ""

    def error(self, name):
        message = self.errors.get(name)
        return translate(message, context=self.request) if message else ""

    def error_list(self):
        return [
            {"name": name, "message": translate(message, context=self.request)}
            for name, message in self.errors.items()
        ]

    def service_options(self):
        selected = self.filters.service
        return [
            {
                "value": service.UID(),
                "title": service.Title(),
                "selected": service.UID() == selected
                or service.getId() == self.field("service"),
            }
            for service in self.services
        ]

    def state_options(self):
        selected = self.field("review_state")
        return [
            {"value": key, "title": title, "selected": key == selected}
            for key, title in processing.STATES.items()
        ]

    def assignee_options(self):
        selected = self.field("assignee")
        return [
            {"value": value, "title": title, "selected": value == selected}
            for value, title in (
                ("me", _("option_assigned_to_me", default="Assigned to me")),
                ("none", _("option_not_assigned", default="Not assigned")),
            )
        ]

    def transition_options(self):
        return [
            {"value": tid, "title": processing.TRANSITIONS[tid]}
            for tid in queue.AGENT_TRANSITIONS
        ]

    @memoize
    def antivirus(self):
        """The files waiting for their scan, whether the daemon answers
        (to those who manage the settings): ``files.agents_summary``."""
        return scanned_files.agents_summary()

    def counts(self):
        """Links filtering by status, with the count of each."""
        if self.errors:
            return []
        counts = queue.counts(self.filters, scope=self.scope)
        current = self.filters.review_state
        every = _("filter_all_statuses", default="All statuses")
        result = [
            {
                "state": "",
                "title": every,
                "count": sum(counts.values()),
                "current": not current,
                "url": self.url(review_state=None),
            }
        ]
        for state, title in processing.STATES.items():
            result.append(
                {
                    "state": state,
                    "title": title,
                    "count": counts[state],
                    "current": state == current,
                    "url": self.url(review_state=state),
                }
            )
        return result

    def sort_link(self, column):
        """``{"url", "sort"}``: the header's link and its aria-sort value."""
        current = self.filters.sort_on == column
        order = self.filters.sort_order
        if current:
            next_order = "ascending" if order == "descending" else "descending"
        else:
            next_order = "descending" if column == "date" else "ascending"
        return {
            "url": self.url(sort_on=column, sort_order=next_order),
            "sort": order if current else None,
            "title": COLUMNS[column],
            "next": next_order,
        }

    def rows(self):
        rows = queue.Rows()
        userid = api.user.get_current().getId()
        result = []
        for brain in self.batch:
            row = rows.row(brain)
            # the agent's own unread messages: the brain's metadata only
            row["unread"] = badges.unread_badge(
                unread.count(brain, userid, store.AGENT)
            )
            row.update(
                {
                    "date": format_date(row["created"]),
                    "iso": row["created"].isoformat(timespec="minutes"),
                    "due": format_date(row["due_date"]),
                    "due_iso": row["due_date"].isoformat() if row["due_date"] else "",
                }
            )
            row.update(self.reminded(brain))
            result.append(row)
        return result

    def reminded(self, brain):
        """The flag of a request whose citizen was reminded for the last
        time and has not answered (only incomplete requests are read)."""
        count = 0
        if brain.review_state == reminders.STATE:
            services = {service.UID(): service for service in self.services}
            count = reminders.unanswered(
                brain.getObject(),
                brain.review_state,
                services.get(getattr(brain, "service_uid", None)),
            )
        return {
            "reminded": count,
            "reminded_flag": translate(reminders.flag(count), context=self.request)
            if count
            else "",
        }

    def pages(self):
        """The pagination's links: the first and last pages, and those
        around the current one (``PAGES_AROUND``), each ``{"number", "url",
        "current"}``, with ``{"gap": True}`` where pages are left out (a
        town's queue has hundreds of pages)."""
        batch = self.batch
        if not batch.multiple_pages:
            return []
        current, last = batch.pagenumber, batch.numpages
        shown = sorted(
            {1, last}
            | set(
                range(
                    max(1, current - PAGES_AROUND),
                    min(last, current + PAGES_AROUND) + 1,
                )
            )
        )
        result = []
        for number in shown:
            if result and number > result[-1]["number"] + 1:
                result.append({"gap": True, "number": None})
            result.append(
                {
                    "number": number,
                    "current": number == current,
                    "gap": False,
                    "url": self.url(b_start=(number - 1) * self.page_size or None),
                }
            )
        return result

    # the actions on a selection ----------------------------------------------

    def handle_bulk(self):
        CheckAuthenticator(self.request)
        form = self.request.form
        query = [
            (key, value) for key, value in parse_qsl(self.field("query")) if key in KEPT
        ]
        back = self.base_url() + (f"?{urlencode(query)}" if query else "")
        uids = form.get("uids") or []
        try:
            if form.get("bulk") == "assign":
                result = assignment.bulk_assign(uids, "me")
            else:
                result = assignment.bulk_fire(
                    uids, self.field("transition"), self.field("comment")
                )
        except queue.QueueError as refused:
            for message in refused.errors.values():
                self._message(message, "error")
            return self.request.response.redirect(back)
        if result.done and form.get("bulk") == "assign":
            self._message(
                _(
                    "message_bulk_assigned",
                    default="${count} request(s) assigned to you.",
                    mapping={"count": len(result.done)},
                )
            )
        elif result.done:
            self._message(
                _(
                    "message_bulk_done",
                    default="${count} request(s) processed.",
                    mapping={"count": len(result.done)},
                )
            )
        for item in result.refused:
            self._message(
                _(
                    "message_bulk_refused",
                    default="${number}: ${reason}",
                    mapping={
                        "number": item["number"] or item["uid"],
                        "reason": item["message"],
                    },
                ),
                "error",
            )
        return self.request.response.redirect(back)

    def _message(self, message, type="info"):
        api.portal.show_message(
            translate(message, context=self.request), request=self.request, type=type
        )


class QueueExport(BrowserView):
    """``@@guichet-export.csv``: the filtered queue as CSV (a download)."""

    def __call__(self):
        response = self.request.response
        try:
            filters = queue.parse(self.request.form, queue.queue_services())
        except queue.QueueError as refused:
            response.setStatus(400)
            response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return "\n".join(
                translate(message, context=self.request)
                for message in refused.errors.values()
            )
        queue_export.write_csv(
            response, queue.search(filters), queue_export.csv_filename()
        )
        return ""


class AssignRequest(BrowserView):
    """``@@assigner`` on a request (POST): ``assignee`` = "me", a user id of
    the service's group, or "" to remove the assignment."""

    def __call__(self):
        url = self.context.absolute_url()
        if self.request.method != "POST":
            self.request.response.redirect(url)
            return ""
        CheckAuthenticator(self.request)
        assignee = self.request.form.get("assignee", "")
        try:
            assignment.assign(
                self.context, assignee if isinstance(assignee, str) else None
            )
        except queue.QueueError as refused:
            transaction.doom()
            for message in refused.errors.values():
                api.portal.show_message(
                    translate(message, context=self.request),
                    request=self.request,
                    type="error",
                )
        else:
            api.portal.show_message(
                translate(
                    _("message_request_assigned", default="The assignment is saved."),
                    context=self.request,
                ),
                request=self.request,
            )
        self.request.response.redirect(url)
        return ""

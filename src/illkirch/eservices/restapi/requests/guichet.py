"""The agents' queue (« Guichet ») over REST.

    GET  /@requests?service=…&review_state=…   the queue (agents), or one's
                                               household's requests (citizens)
    GET  /@requests-export?…                    the same list as CSV
         (also GET /@requests with ``Accept: text/csv``)
    POST /@requests-bulk                        a transition (or an assignment)
                                                on a selection
    POST <request>/@assign                      assign a request

The parameters and the rules are those of ``requests.queue``, shared with
the page ``@@guichet``: a user holding « Use guichet » gets their queue (the
requests of their groups' services); anyone else their household's requests
only, whatever they ask for.
"""

from illkirch.eservices.accounts import households
from illkirch.eservices.requests import assignment
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import queue
from illkirch.eservices.requests import queue_export
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.requests.serialize import request_summary
from illkirch.eservices.restapi.requests.serialize import services_url
from plone.restapi.batching import HypermediaBatch
from plone.restapi.deserializer import json_body
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service

import json
import transaction


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
    """``GET /@requests`` for an agent: the queue, its counts per status."""
    services = queue.queue_services()
    try:
        filters = queue.parse(request.form, services)
    except queue.QueueError as refused:
        return field_errors(request, refused.errors)
    scope = queue.scope_of(services)
    rows = queue.Rows()

    def item(brain):
        return queue_item(brain.getObject(), rows.row(brain), request)

    page = HypermediaBatch(request, ())  # the batch asked for
    brains = queue.search(filters, scope=scope, page=(page.b_start, page.b_size))
    result = _batch(request, brains, item)
    result["counts"] = queue.counts(filters, scope=scope)
    return result


def household_listing(request, household):
    """``GET /@requests`` for a citizen: their household's requests only."""
    try:
        filters = queue.parse(request.form, queue.visible_services,
                              allowed=queue.CITIZEN_PARAMETERS)
    except queue.QueueError as refused:
        return field_errors(request, refused.errors)
    brains = queue.household_search(household, filters)
    services = services_url()

    def item(brain):  # the household's own requests (household_search)
        return request_summary(households.own_object(household, brain), request,
                               brain.review_state, services)

    return _batch(request, brains, item)


def queue_item(request_obj, row, request):
    """A request as the queue shows it: the citizen's summary, plus the
    requester, the due date, the late flag and the assignee."""
    data = request_summary(request_obj, request)
    data.update(json_compatible({
        "requester_name": row["requester"],
        "due_date": row["due_date"],
        "late": row["late"],
        "assignee": {"id": row["assignee"], "fullname": row["assignee_name"]}
        if row["assignee"] else None,
    }))
    return data


class ExportGet(Service):
    """The queue's list as CSV (same parameters as ``GET /@requests``)."""

    def render(self):
        self.check_permission()
        response = self.request.response
        response.setHeader("Cache-Control", "private, no-store")
        try:
            filters = queue.parse(self.request.form, queue.queue_services())
        except queue.QueueError as refused:
            response.setHeader("Content-Type", "application/json")
            return json.dumps(field_errors(self.request, refused.errors))
        data = queue_export.csv_export(queue.search(filters))
        set_csv_headers(response, queue_export.csv_filename())
        return data


def set_csv_headers(response, filename):
    response.setHeader("Content-Type", "text/csv; charset=utf-8")
    response.setHeader("Content-Disposition", f'attachment; filename="{filename}"')
    response.setHeader("X-Content-Type-Options", "nosniff")
    response.setHeader("Cache-Control", "private, no-store")


def bulk_json(result, request):
    return {
        "done": [{"@id": obj.absolute_url(), "UID": obj.UID(), "number": obj.number,
                  "review_state": processing.state(obj),
                  "assignee": obj.assignee or None}
                 for obj in result.done],
        "refused": [{"uid": item["uid"], "number": item["number"] or None,
                     "message": item["message"]} for item in result.refused],
    }


class BulkPost(Service):
    """``{"uids", "transition", "comment"}`` or ``{"uids", "assignee"}``."""

    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        data = json_body(self.request)
        try:
            if "assignee" in data and "transition" not in data:
                result = assignment.bulk_assign(data.get("uids"), data["assignee"])
            else:
                result = assignment.bulk_fire(data.get("uids"), data.get("transition"),
                                         data.get("comment") or "")
        except queue.QueueError as refused:
            return field_errors(self.request, refused.errors)
        return bulk_json(result, self.request)


class AssignPost(Service):
    """``POST <request>/@assign`` ``{"assignee": "<userid>" | "me" | null}``."""

    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        data = json_body(self.request)
        if "assignee" not in data:
            return field_errors(self.request, {"assignee": queue.BAD_ASSIGNEE})
        try:
            assignment.assign(self.context, data["assignee"])
        except queue.QueueError as refused:
            transaction.doom()
            if not assignment.may_assign(self.context):
                return error_answer(self.request, 403, queue.NOT_PROCESSOR)
            return field_errors(self.request, refused.errors)
        rows = queue.Rows()
        assignee = self.context.assignee or ""
        return {
            "@id": self.context.absolute_url(),
            "UID": self.context.UID(),
            "number": self.context.number,
            "assignee": {"id": assignee, "fullname": rows.user_name(assignee)}
            if assignee else None,
        }

"""``POST /@requests-bulk``: a transition (or an assignment) on a selection
of requests of the agents' queue (``requests.assignment``)."""

from illkirch.eservices.requests import assignment
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import queue
from illkirch.eservices.restapi.errors import field_errors
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service


def bulk_json(result, request):
    return {
        "done": [
            {
                "@id": obj.absolute_url(),
                "UID": obj.UID(),
                "number": obj.number,
                "review_state": processing.state(obj),
                "assignee": obj.assignee or None,
            }
            for obj in result.done
        ],
        "refused": [
            {
                "uid": item["uid"],
                "number": item["number"] or None,
                "message": item["message"],
            }
            for item in result.refused
        ],
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
                result = assignment.bulk_fire(
                    data.get("uids"), data.get("transition"), data.get("comment") or ""
                )
        except queue.QueueError as refused:
            return field_errors(self.request, refused.errors)
        return bulk_json(result, self.request)

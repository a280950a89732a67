"""``POST <request>/@assign``: assign a request (``requests.assignment``)."""

from illkirch.eservices.requests import assignment
from illkirch.eservices.requests import queue
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service

import transaction


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
            if assignee
            else None,
        }

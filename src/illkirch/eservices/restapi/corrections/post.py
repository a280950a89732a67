"""``POST <request>/@corrections``: an agent asks for more, with the
answers and documents the citizen must correct and a message
(``{"fields": [...], "documents": [...], "message": "..."}``).

Only the agents of the request's group (403 for its citizen); the rules
are ``corrections.asks.ask``'s: unknown names and a missing message answer
400 with French messages, nothing stored.
"""

from illkirch.eservices import _
from illkirch.eservices.corrections import asks
from illkirch.eservices.restapi.corrections.resource import corrections_json
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.traversal import TraversingService
from illkirch.eservices.transitions import TransitionRefused
from plone.restapi.deserializer import json_body

import transaction


AGENTS_ONLY = _(
    "error_corrections_agents_only",
    default="Only the agents who process this request ask for corrections.",
)


class CorrectionsPost(TraversingService):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        if self.params:
            return error_answer(self.request, 404, NOT_FOUND)
        if not asks.may_ask(self.context):
            return error_answer(self.request, 403, AGENTS_ONLY)
        data = json_body(self.request)
        try:
            asks.ask(
                self.context,
                data.get("fields") or [],
                data.get("documents") or [],
                data.get("message") or "",
            )
        except asks.CorrectionError as error:
            transaction.doom()
            return field_errors(self.request, error.errors)
        except TransitionRefused as error:
            transaction.doom()
            return error_answer(self.request, 400, str(error))
        return corrections_json(self.context, self.request)

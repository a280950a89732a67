"""``GET <request>/@corrections``: the open ask of corrections (what the
citizen must correct, with the current values), for the request's citizen
and its agents (View on the request)."""

from illkirch.eservices.restapi.corrections.resource import corrections_json
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.traversal import TraversingService


class CorrectionsGet(TraversingService):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        if self.params:
            return error_answer(self.request, 404, NOT_FOUND)
        return corrections_json(self.context, self.request)

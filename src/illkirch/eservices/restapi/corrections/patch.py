"""``PATCH <request>/@corrections``: the citizen sends the asked
corrections (``{"answers": {name: value}, "documents": [{"document",
"filename", "data"}], "comment": ""}``, files in base64 as ``POST
/@requests``).

Only the request's citizen (403 for its agents); the rules are
``corrections.asks.correct``'s: a name not asked, a wrong answer or a
refused file answer 400 with French messages keyed by field, and nothing
is stored. 200 with the request's new status.
"""

from illkirch.eservices import _
from illkirch.eservices.corrections import asks
from illkirch.eservices.requests import processing
from illkirch.eservices.restapi.corrections.resource import corrections_url
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.traversal import TraversingService
from illkirch.eservices.restapi.uploads import read_documents
from illkirch.eservices.transitions import TransitionRefused
from plone.restapi.deserializer import json_body
from zope.i18n import translate

import transaction


CITIZEN_ONLY = _(
    "error_corrections_citizen_only",
    default="Only the citizen who filed this request sends its corrections.",
)
COMMENT_FORMAT = _("error_corrections_comment", default="The comment must be a text.")


class CorrectionsPatch(TraversingService):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        if self.params:
            return error_answer(self.request, 404, NOT_FOUND)
        if asks.may_ask(self.context):
            return error_answer(self.request, 403, CITIZEN_ONLY)
        data = json_body(self.request)
        answers = {} if data.get("answers") is None else data["answers"]
        comment = "" if data.get("comment") is None else data["comment"]
        files, errors = read_documents(data.get("documents"))
        if not isinstance(answers, dict):
            errors["answers"] = asks.ANSWERS_FORMAT
        if not isinstance(comment, str):
            errors["comment"] = COMMENT_FORMAT
        if errors:
            return field_errors(self.request, errors)
        try:
            asks.correct(self.context, answers, files, html=False, comment=comment)
        except asks.CorrectionError as error:
            transaction.doom()
            return field_errors(self.request, error.errors)
        except TransitionRefused as error:
            transaction.doom()
            return error_answer(self.request, 400, str(error))
        review_state = processing.state(self.context)
        return {
            "@id": corrections_url(self.context),
            "status": review_state,
            "status_title": translate(
                processing.state_title(review_state), context=self.request
            ),
            "answers": self.context.answers,
        }

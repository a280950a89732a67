"""``POST /@drafts``: start a draft (201); ``POST /@drafts/<id>/submit``:
file it as a request (201, the draft deleted) or 400 with the French
errors of ``POST /@requests`` (the draft kept)."""

from illkirch.eservices import _
from illkirch.eservices.drafts import store
from illkirch.eservices.requests import submission
from illkirch.eservices.restapi.drafts.resource import DraftsResource
from illkirch.eservices.restapi.drafts.resource import draft_json
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.request_summary import filed_answer
from illkirch.eservices.restapi.uploads import read_documents
from plone.restapi.deserializer import json_body

import transaction


SERVICE_REQUIRED = _(
    "error_request_service_required", default="Choose the service of the request."
)
SERVICE_UNKNOWN = _(
    "error_request_service_unknown", default="There is no such online service."
)


class DraftsPost(DraftsResource):
    def answer(self):
        data = json_body(self.request)
        if not self.params:
            return self.create(data)
        draft = self.draft()
        if draft is None or self.params[1:] != ["submit"]:
            return self.not_found()
        return self.submit(draft, data)

    def create(self, data):
        key = data.get("service")
        if not key or not isinstance(key, str):
            return self.refused({"service": SERVICE_REQUIRED})
        service = submission.find_service(key)
        if service is None:
            transaction.doom()
            return error_answer(self.request, 404, SERVICE_UNKNOWN)
        files, errors = read_documents(data.get("documents"))
        if errors:
            return self.refused(errors)
        try:
            draft = store.create(self.household, service, data, files)
        except submission.SubmissionError as refused:
            return self.refused(refused.errors)
        except store.DraftRefused as refused:
            return self.refused(refused.errors)
        result = draft_json(draft)
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", result["@id"])
        return result

    def submit(self, draft, data):
        files, errors = read_documents(data.get("documents"))
        if errors:
            return self.refused(errors)
        try:
            request_obj = store.submit(self.household, draft, files)
        except submission.SubmissionError as refused:
            return self.refused(refused.errors)
        return filed_answer(request_obj, self.request)

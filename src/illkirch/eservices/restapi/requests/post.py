"""``POST /@requests``: file a request (201).

The service reads the JSON and calls ``requests.submission``, which holds
every rule (who may file, the member, the answers, the documents); its
errors come back as 400 with French messages keyed by field, and nothing is
stored.
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import households
from illkirch.eservices.requests import submission
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.request_summary import filed_answer
from illkirch.eservices.restapi.uploads import read_documents
from illkirch.eservices.restapi.uploads import split_locker
from illkirch.eservices.reuse import locker
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service

import transaction


SERVICE_REQUIRED = _(
    "error_request_service_required", default="Choose the service of the request."
)
SERVICE_UNKNOWN = _(
    "error_request_service_unknown", default="There is no such online service."
)
ANSWERS_FORMAT = _(
    "error_request_answers_format",
    default="The answers must be an object: question name → answer.",
)
BOOLEAN = _("error_boolean", default="Answer true or false.")


class RequestsPost(Service):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        data = json_body(self.request)
        key = data.get("service")
        if not key or not isinstance(key, str):
            return field_errors(self.request, {"service": SERVICE_REQUIRED})
        service = submission.find_service(key)
        if service is None:
            return error_answer(self.request, 404, SERVICE_UNKNOWN)
        answers = {} if data.get("answers") is None else data["answers"]
        by_post = False if data.get("by_post") is None else data["by_post"]
        member_id = data.get("member")
        uploads, chosen, errors = split_locker(data.get("documents"))
        files, upload_errors = read_documents(uploads)
        errors.update(upload_errors)
        if chosen:  # documents taken from the citizen's locker (#17)
            reused, locker_errors = locker.files(
                households.current_household(),
                chosen,
                {doc.getId(): doc for doc in service.documents()},
            )
            files += reused
            errors.update(locker_errors)
        if not isinstance(answers, dict):
            errors["answers"] = ANSWERS_FORMAT
        if not isinstance(by_post, bool):
            errors["by_post"] = BOOLEAN
        if errors:
            return field_errors(self.request, errors)
        if member_id is not None and not isinstance(member_id, str):
            member_id = str(member_id)  # the domain says it is unknown
        try:
            request_obj = submission.submit(
                service,
                answers,
                member_id,
                files,
                by_post,
                requester=data.get("requester"),
                captcha=data.get("captcha"),
            )
        except submission.SubmissionError as refused:
            transaction.doom()  # nothing of a refused request is kept
            if refused.errors == {"service": submission.LOGIN_REQUIRED}:
                return error_answer(self.request, 401, submission.LOGIN_REQUIRED)
            return field_errors(self.request, refused.errors)
        return filed_answer(request_obj, self.request)

"""``/@requests``: the logged-in citizen files requests and lists them.

    POST /@requests                      file a request (201)
    GET  /@requests[?review_state=…]     the requests of one's household

The services read the JSON and call ``requests.submission``, which holds
every rule (who may file, the member, the answers, the documents); its
errors come back as 400 with French messages keyed by field, and nothing is
stored. A user without household (town staff) lists no request.
"""

from illkirch.eservices import _
from illkirch.eservices.accounts.households import current_household
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import submission
from illkirch.eservices.services.errors import validation_error
from illkirch.eservices.services.requests.common import CORRECT
from illkirch.eservices.services.requests.common import bad_json
from illkirch.eservices.services.requests.common import error
from illkirch.eservices.services.requests.common import read_documents
from illkirch.eservices.services.requests.common import read_json
from illkirch.eservices.services.requests.serialize import request_summary
from plone.restapi.batching import HypermediaBatch
from plone.restapi.services import Service

import transaction


SERVICE_REQUIRED = _("error_request_service_required",
                     default="Choose the service of the request.")
SERVICE_UNKNOWN = _("error_request_service_unknown",
                    default="There is no such online service.")
ANSWERS_FORMAT = _("error_request_answers_format",
                   default="The answers must be an object: question name → answer.")
BOOLEAN = _("error_boolean", default="Answer true or false.")


class RequestsPost(Service):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        data = read_json(self.request)
        if data is None:
            return bad_json(self.request)
        key = data.get("service")
        if not key or not isinstance(key, str):
            return validation_error(
                self.request, {"service": SERVICE_REQUIRED}, CORRECT)
        service = submission.find_service(key)
        if service is None:
            return error(self.request, 404, "NotFound", SERVICE_UNKNOWN)
        answers = {} if data.get("answers") is None else data["answers"]
        by_post = False if data.get("by_post") is None else data["by_post"]
        member_id = data.get("member")
        files, errors = read_documents(data.get("documents"))
        if not isinstance(answers, dict):
            errors["answers"] = ANSWERS_FORMAT
        if not isinstance(by_post, bool):
            errors["by_post"] = BOOLEAN
        if errors:
            return validation_error(self.request, errors, CORRECT)
        if member_id is not None and not isinstance(member_id, str):
            member_id = str(member_id)  # the domain says it is unknown
        try:
            request_obj = submission.submit(service, answers, member_id, files, by_post)
        except submission.SubmissionError as refused:
            transaction.doom()  # nothing of a refused request is kept
            return validation_error(self.request, refused.errors, CORRECT)
        data = request_summary(request_obj, self.request)
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", data["@id"])
        return data


class RequestsGet(Service):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        review_state = self.request.form.get("review_state") or None
        if review_state is not None and (not isinstance(review_state, str)
                                         or review_state not in processing.STATES):
            return error(self.request, 400, "BadRequest", _(
                "error_unknown_request_state",
                default="Unknown request status: ${state}. Expected one of: "
                "${states}.",
                mapping={"state": str(review_state)[:60],
                         "states": ", ".join(processing.STATES)}))
        household = current_household()
        brains = [] if household is None else processing.household_requests(
            household, review_state)
        batch = HypermediaBatch(self.request, brains)
        result = {
            "@id": batch.canonical_url,
            # The household's own requests (found by household_requests).
            "items": [request_summary(brain._unrestrictedGetObject(), self.request)
                      for brain in batch],
            "items_total": batch.items_total,
        }
        if batch.links:
            result["batching"] = batch.links
        return result

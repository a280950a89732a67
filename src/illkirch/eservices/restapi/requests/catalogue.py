"""``GET /@services``: the services (démarches) open online.

    GET /@services                  the published services
    GET /@services/<id or UID>      one of them (editors also reach a draft)

Public: anonymous visitors read the catalogue too. For a logged-in citizen,
each service also lists ``members``, the persons of the household it may
concern (``submission.eligible_members``).
"""

from illkirch.eservices.accounts.households import current_household
from illkirch.eservices.requests import submission
from illkirch.eservices.restapi.base import TraversingService
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.requests.serialize import service_json
from illkirch.eservices.restapi.requests.serialize import services_url


class ServicesGet(TraversingService):
    def reply(self):
        household = current_household()
        if not self.params:
            items = [service_json(service, self.request, household)
                     for service in submission.services()
                     if submission.is_open(service)]
            return {"@id": services_url(), "items": items, "items_total": len(items)}
        service = None
        if len(self.params) == 1:
            service = submission.find_service(self.params[0])
        if service is None:
            return error_answer(self.request, 404, NOT_FOUND)
        return service_json(service, self.request, household)

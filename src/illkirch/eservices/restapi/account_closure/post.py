"""``POST /@account-closure``: the holder asks for the closure of the account."""

from illkirch.eservices import _
from illkirch.eservices.accounts import closure
from illkirch.eservices.accounts.households import current_household
from illkirch.eservices.restapi.errors import error_answer
from plone.restapi.services import Service


NO_HOUSEHOLD = _("no_household", default="No household is attached to your account.")


class ClosurePost(Service):
    def reply(self):
        household = current_household()
        if household is None:
            return error_answer(self.request, 404, NO_HOUSEHOLD)
        closure.request_closure(household, self.request)
        self.request.response.setStatus(202)
        return {"closure_requested": closure.closure_requested(household)}

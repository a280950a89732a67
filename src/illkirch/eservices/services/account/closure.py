"""``POST /@account-closure``: the holder asks for the closure of the account."""

from illkirch.eservices import _
from illkirch.eservices.accounts import closure
from illkirch.eservices.accounts.households import current_household
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.i18n import translate
from zope.interface import alsoProvides


class ClosurePost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        household = current_household()
        if household is None:
            self.request.response.setStatus(404)
            return {"error": {"type": "NotFound", "message": translate(
                _("no_household", default="No household is attached to your account."),
                context=self.request)}}
        closure.request_closure(household, self.request)
        self.request.response.setStatus(202)
        return {"closure_requested": closure.closure_requested(household)}

"""``GET /@request-status?number=&code=``: the status and history of an
account-less request, for whoever holds its number and tracking code
(``requests.tracking``: the same answer for a wrong number or code; 10
wrong tries an hour at most per client address and per number, then 429)."""

from illkirch.eservices.requests import tracking
from illkirch.eservices.restapi.errors import error_answer
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service
from zope.i18n import translate
from zope.interface import alsoProvides


class RequestStatusGet(Service):
    def reply(self):
        # Wrong tries are counted in the database, also on this GET.
        alsoProvides(self.request, IDisableCSRFProtection)
        self.request.response.setHeader("Cache-Control", "no-store")
        form = self.request.form
        try:
            request_obj = tracking.lookup(
                str(form.get("number") or "")[:20],
                str(form.get("code") or "")[:40],
                self.request.getClientAddr(),
            )
        except tracking.TrackingRefused as refused:
            return error_answer(
                self.request, 429 if refused.locked else 404, refused.message
            )
        status = tracking.public_status(request_obj)
        status["status"] = translate(status["status"], context=self.request)
        for entry in status["history"]:
            entry["label"] = translate(entry["label"], context=self.request)
            entry["status"] = translate(entry["status"], context=self.request)
        return json_compatible(status)

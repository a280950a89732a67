"""``GET /@request-status?number=&code=``: the status and history of an
account-less request, for whoever holds its number and tracking code
(``requests.tracking``: the same answer for a wrong number or code; 10
wrong tries an hour per number, then 429 for that number; past 100 wrong
tries an hour from one client address, 429 ``CaptchaRequired`` with a
challenge until ``captcha_token`` and ``captcha_answer`` solve it)."""

from illkirch.eservices.requests import tracking
from illkirch.eservices.restapi.errors import error_answer
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service
from zope.i18n import translate
from zope.interface import alsoProvides


class RequestStatusGet(Service):
    def reply(self):
        # Wrong tries (and used captchas) are counted in the database, also
        # on this GET.
        alsoProvides(self.request, IDisableCSRFProtection)
        self.request.response.setHeader("Cache-Control", "no-store")
        form = self.request.form
        try:
            request_obj = tracking.lookup(
                str(form.get("number") or "")[:20],
                str(form.get("code") or "")[:40],
                self.request.getClientAddr(),
                captcha={
                    "token": str(form.get("captcha_token") or "")[:100],
                    "answer": str(form.get("captcha_answer") or "")[:20],
                },
            )
        except tracking.TrackingRefused as refused:
            return self.refusal(refused)
        status = tracking.public_status(request_obj)
        status["status"] = translate(status["status"], context=self.request)
        for entry in status["history"]:
            entry["label"] = translate(entry["label"], context=self.request)
            entry["status"] = translate(entry["status"], context=self.request)
        return json_compatible(status)

    def refusal(self, refused):
        if refused.captcha:
            return error_answer(
                self.request,
                429,
                refused.message,
                "CaptchaRequired",
                captcha=tracking.captcha_challenge(self.context),
            )
        if refused.locked:
            self.request.response.setHeader("Retry-After", str(tracking.HOUR))
            return error_answer(self.request, 429, refused.message)
        return error_answer(self.request, 404, refused.message)

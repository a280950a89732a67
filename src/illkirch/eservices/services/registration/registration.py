"""``/@registration``: the registration of a citizen account over REST.

The same rules, captcha and messages as the registration wizard: both call
``illkirch.eservices.accounts.registration``.
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import captcha_media
from illkirch.eservices.accounts import registration
from illkirch.eservices.accounts.passwords import RULE
from illkirch.eservices.limits import RateLimited
from illkirch.eservices.services.base import TraversingService
from illkirch.eservices.services.base import json_data
from illkirch.eservices.services.errors import validation_error
from plone.restapi.services import Service
from zExceptions import NotFound
from zope.i18n import translate

import transaction


DONE = _("registration_done",
         default="Your request has been recorded. If the email address is new "
         "to us, your account is created and your identifier has been sent to "
         "it; otherwise that address has received a reminder of its account.")


def captcha_challenge(context, request):
    return dict(registration.captcha_challenge(context),
                password_rule=translate(RULE, context=request))


class CaptchaGet(TraversingService):
    """``GET /@registration/captcha``."""

    def reply(self):
        if self.params != ["captcha"]:
            raise NotFound(self.request.ACTUAL_URL)
        self.request.response.setHeader("Cache-Control", "no-store")
        try:
            captcha_media.count_challenge(self.request)
        except RateLimited as limited:
            self.request.response.setStatus(429)
            self.request.response.setHeader("Retry-After", str(captcha_media.WINDOW))
            return {"error": {"type": "TooManyRequests",
                              "message": translate(limited.message,
                                                   context=self.request)}}
        return captcha_challenge(self.context, self.request)


class RegistrationPost(Service):
    """``POST /@registration``: 201 when accepted, 400 with field errors."""

    def reply(self):
        data = json_data(self.request)
        members = data.get("members") or []
        if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
            data["members"] = []
            return validation_error(
                self.request,
                {"members": _("error_members_format",
                              default="The members must be a list of objects.")},
                _("error_registration", default="Please correct the errors."),
            )
        try:
            registration.register(data, self.request)
        except registration.RegistrationError as error:
            transaction.doom()  # nothing of a refused registration is kept
            return validation_error(
                self.request, error.errors,
                _("error_registration", default="Please correct the errors."),
            )
        except RateLimited as limited:
            transaction.doom()
            self.request.response.setStatus(429)
            return {"error": {"type": "TooManyRequests",
                              "message": translate(limited.message,
                                                   context=self.request)}}
        self.request.response.setStatus(201)
        return {"message": translate(DONE, context=self.request)}

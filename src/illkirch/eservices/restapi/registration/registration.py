"""``/@registration``: the registration of a citizen account over REST.

The same rules, captcha and messages as the registration wizard: both call
``illkirch.eservices.accounts.registration``.
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import captcha_media
from illkirch.eservices.accounts import registration
from illkirch.eservices.accounts.passwords import RULE
from illkirch.eservices.limits import RateLimited
from illkirch.eservices.restapi.base import TraversingService
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zope.i18n import translate

import transaction


MEMBERS_FORMAT = _("error_members_format",
                   default="The members must be a list of objects.")
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
            return error_answer(self.request, 404, NOT_FOUND)
        self.request.response.setHeader("Cache-Control", "no-store")
        try:
            captcha_media.count_challenge(self.request)
        except RateLimited as limited:
            self.request.response.setHeader("Retry-After", str(captcha_media.WINDOW))
            return error_answer(self.request, 429, limited.message)
        return captcha_challenge(self.context, self.request)


class RegistrationPost(Service):
    """``POST /@registration``: 201 when accepted, 400 with field errors."""

    def reply(self):
        data = json_body(self.request)
        members = data.get("members") or []
        if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
            return field_errors(self.request, {"members": MEMBERS_FORMAT})
        try:
            registration.register(data, self.request)
        except registration.RegistrationError as error:
            transaction.doom()  # nothing of a refused registration is kept
            return field_errors(self.request, error.errors)
        except RateLimited as limited:
            transaction.doom()
            return error_answer(self.request, 429, limited.message)
        self.request.response.setStatus(201)
        return {"message": translate(DONE, context=self.request)}

"""``GET /@registration/captcha``: a new captcha challenge for the
registration (anonymous), with the password rule."""

from illkirch.eservices.accounts import captcha_media
from illkirch.eservices.accounts import registration
from illkirch.eservices.accounts.passwords import RULE
from illkirch.eservices.limits import RateLimited
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.traversal import TraversingService
from zope.i18n import translate


def captcha_challenge(context, request):
    return dict(
        registration.captcha_challenge(context),
        password_rule=translate(RULE, context=request),
    )


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

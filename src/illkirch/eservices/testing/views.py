"""Views for tests only, registered by testing/configure.zcml."""

from illkirch.eservices.accounts import captcha
from illkirch.eservices.accounts.registration import captcha_secret
from Products.Five.browser import BrowserView


class CaptchaAnswer(BrowserView):
    """The answer of ``?token=``: what a person reads in the image."""

    def __call__(self):
        self.request.response.setHeader("Content-Type", "text/plain")
        return captcha.answer_for(captcha_secret(), self.request.get("token", ""))

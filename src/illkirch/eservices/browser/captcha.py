"""The captcha of a token as a PNG image or as WAV speech (French digits).

The rules (limits per client address, one audio rendering per challenge, its
plays) are in ``accounts.captcha_media``: 404 for a bad or expired token,
429 with a French message over a limit.
"""

from illkirch.eservices.accounts import captcha
from illkirch.eservices.accounts import captcha_media
from illkirch.eservices.limits import RateLimited
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from zExceptions import NotFound
from zope.i18n import translate
from zope.interface import alsoProvides


class _CaptchaMedia(BrowserView):
    content_type = ""

    def render(self, token):
        raise NotImplementedError

    def __call__(self):
        # The only write is the count of the shared rate limits: a page
        # cannot make a visitor's browser do anything through it.
        alsoProvides(self.request, IDisableCSRFProtection)
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        response.setHeader("X-Content-Type-Options", "nosniff")
        try:
            body = self.render(self.request.get("token", ""))
        except captcha.CaptchaError:
            raise NotFound("captcha") from None
        except RateLimited as limited:
            response.setStatus(429)
            if limited.message is captcha_media.TOO_MANY:
                response.setHeader("Retry-After", str(captcha_media.WINDOW))
            response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return translate(limited.message, context=self.request)
        response.setHeader("Content-Type", self.content_type)
        return body


class CaptchaImage(_CaptchaMedia):
    content_type = "image/png"

    def render(self, token):
        return captcha_media.image_png(token, self.request)


class CaptchaAudio(_CaptchaMedia):
    content_type = "audio/wav"

    def render(self, token):
        return captcha_media.audio_wav(token, self.request)

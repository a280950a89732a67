"""The captcha of a token as a PNG image or as WAV speech (French digits)."""

from illkirch.eservices.accounts import captcha
from illkirch.eservices.accounts.registration import captcha_secret
from Products.Five.browser import BrowserView
from zExceptions import NotFound


class _CaptchaMedia(BrowserView):
    content_type = ""

    def render(self, answer):
        raise NotImplementedError

    def __call__(self):
        try:
            answer = captcha.answer_for(captcha_secret(), self.request.get("token", ""))
        except captcha.CaptchaError:
            raise NotFound("captcha") from None
        response = self.request.response
        response.setHeader("Content-Type", self.content_type)
        response.setHeader("Cache-Control", "no-store")
        response.setHeader("X-Content-Type-Options", "nosniff")
        return self.render(answer)


class CaptchaImage(_CaptchaMedia):
    content_type = "image/png"

    def render(self, answer):
        return captcha.image_png(answer)


class CaptchaAudio(_CaptchaMedia):
    content_type = "audio/wav"

    def render(self, answer):
        return captcha.audio_wav(answer)

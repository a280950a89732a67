"""« Suivre ma demande »: the status of an account-less request, from its
number and tracking code (``requests.tracking`` holds the rules: the same
answer for a wrong number or code, 10 wrong tries an hour per number, past
100 wrong tries an hour from one client address a captcha at each try)."""

from illkirch.eservices import _
from illkirch.eservices.browser.citizen_area import AccountTab
from illkirch.eservices.browser.form_field import summary_error
from illkirch.eservices.browser.forms import captcha_challenge
from illkirch.eservices.dates import format_date
from illkirch.eservices.limits import client_address
from illkirch.eservices.requests import tracking
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate


class FollowRequest(BrowserView):
    index = ViewPageTemplateFile("templates/follow_request.pt")
    form_macros = ViewPageTemplateFile("templates/form_macros.pt")
    page_title = _("heading_follow_request", default="Follow my request")

    def __call__(self):
        self.result = None
        self.error = None
        self.captcha_error = None
        self.captcha_refused = False
        self.number = (self.request.form.get("numero") or "").strip()[:20]
        address = client_address(self.request)
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            self.follow(address)
        # Asked before the try that needs it: past the threshold, the form
        # shows the captcha (also after this try, which may have crossed it).
        self.asks_captcha = tracking.asks_captcha(address)
        return self.index()

    def follow(self, address):
        form = self.request.form
        try:
            request_obj = tracking.lookup(
                self.number,
                form.get("code") or "",
                address,
                captcha={
                    "token": form.get("captcha_token") or "",
                    "answer": form.get("captcha_answer") or "",
                },
            )
        except tracking.TrackingRefused as refused:
            self.error = translate(refused.message, context=self.request)
            self.captcha_refused = refused.captcha
            if refused.captcha:
                self.captcha_error = self.error
            self.request.response.setStatus(429 if refused.locked else 200)
        else:
            self.result = tracking.public_status(request_obj)

    def has_errors(self):
        return bool(self.error)

    def error_list(self):
        """The error summary (``form_macros.pt``): a link to the captcha when
        it is what is missing, else to the number (a wrong number and a wrong
        code are one answer)."""
        if not self.error:
            return []
        if self.captcha_refused:
            return [summary_error("field-captcha_answer", "", self.error)]
        return [summary_error("follow-number", "", self.error)]

    def captcha(self):
        """The verification code for ``form_macros.pt``'s captcha macro."""
        return captcha_challenge(self.context, self.captcha_error)

    def history(self):
        return [
            dict(entry, when=AccountTab.format_time(entry["time"]))
            for entry in reversed(self.result["history"])
        ]

    def submitted(self):
        moment = self.result["submitted"]
        return AccountTab.format_time(moment.isoformat()) if moment else ""

    def posted_on(self):
        return format_date(self.result["posted_on"])

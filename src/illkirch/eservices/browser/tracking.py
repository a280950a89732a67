"""« Suivre ma demande »: the status of an account-less request, from its
number and tracking code (``requests.tracking`` holds the rules: the same
answer for a wrong number or code, 10 wrong tries an hour at most)."""

from illkirch.eservices.browser.citizen_area import AccountTab
from illkirch.eservices.dates import format_date
from illkirch.eservices.requests import tracking
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate


class FollowRequest(BrowserView):
    index = ViewPageTemplateFile("templates/follow_request.pt")

    def __call__(self):
        self.result = None
        self.error = None
        self.number = (self.request.form.get("numero") or "").strip()[:20]
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            code = self.request.form.get("code") or ""
            try:
                request_obj = tracking.lookup(
                    self.number, code, self.request.getClientAddr()
                )
            except tracking.TrackingRefused as refused:
                self.error = translate(refused.message, context=self.request)
                self.request.response.setStatus(429 if refused.locked else 200)
            else:
                self.result = tracking.public_status(request_obj)
        return self.index()

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

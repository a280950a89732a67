"""« Mot de passe oublié ? » and the page of the emailed link."""

from illkirch.eservices import _
from illkirch.eservices.accounts import password_reset
from illkirch.eservices.accounts.passwords import RULE
from illkirch.eservices.limits import RateLimited
from illkirch.eservices.messages import REQUIRED
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

import transaction


class ForgottenPassword(BrowserView):
    index = ViewPageTemplateFile("templates/forgotten_password.pt")
    page_title = _("heading_forgotten_password", default="Forgotten password")

    def __call__(self):
        self.done = False
        self.error = None
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            typed = (self.request.form.get("login") or "").strip()
            if not typed:
                self.error = REQUIRED
            else:
                try:
                    password_reset.request_reset(typed, self.request)
                except RateLimited as limited:
                    self.request.response.setStatus(429)
                    self.error = limited.message
                else:
                    self.done = True
        return self.index()

    def message(self):
        return password_reset.REQUESTED


class NewPassword(BrowserView):
    index = ViewPageTemplateFile("templates/new_password.pt")
    page_title = _("heading_new_password", default="Choose a new password")
    rule = RULE

    def __call__(self):
        self.token = self.request.form.get("token", "")
        self.errors = {}
        self.valid = password_reset.user_for_token(self.token) is not None
        if self.valid and self.request.method == "POST":
            CheckAuthenticator(self.request)
            form = self.request.form
            try:
                password_reset.reset_password(
                    self.token, form.get("password"), form.get("password_confirm")
                )
            except password_reset.ResetError as error:
                transaction.doom()
                self.errors = error.errors
            else:
                api.portal.show_message(
                    _(
                        "password_changed",
                        default="Your password has been changed. Log in with it.",
                    ),
                    self.request,
                )
                root = api.portal.get_navigation_root(self.context).absolute_url()
                self.request.response.redirect(f"{root}/login")
                return ""
        return self.index()

    def invalid_message(self):
        return password_reset.INVALID_LINK


class ToOurPage(BrowserView):
    """Plone's own lost-password and registration pages lead to the portal's
    (single-use 24-hour links that end other sessions; the citizen wizard)."""

    target = ""

    def __call__(self):
        root = api.portal.get_navigation_root(self.context).absolute_url()
        self.request.response.redirect(f"{root}/@@{self.target}")
        return ""


class ToForgottenPassword(ToOurPage):
    target = "mot-de-passe-oublie"


class ToRegistration(ToOurPage):
    target = "creer-un-compte"

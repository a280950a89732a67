"""« Mot de passe oublié ? » and the page of the emailed link."""

from illkirch.eservices import _
from illkirch.eservices.accounts import password_reset
from illkirch.eservices.accounts.passwords import RULE
from illkirch.eservices.browser.form_field import summary_error
from illkirch.eservices.limits import RateLimited
from illkirch.eservices.messages import REQUIRED
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

import transaction


class ForgottenPassword(BrowserView):
    index = ViewPageTemplateFile("templates/forgotten_password.pt")
    form_macros = ViewPageTemplateFile("templates/form_macros.pt")
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

    def has_errors(self):
        return bool(self.error)

    def error_list(self):
        """The error summary (``form_macros.pt``): a link to the field."""
        if not self.error:
            return []
        label = _("label_login_or_email", default="Identifier or email address")
        return [summary_error("field-login", label, self.error)]


class NewPassword(BrowserView):
    index = ViewPageTemplateFile("templates/new_password.pt")
    form_macros = ViewPageTemplateFile("templates/form_macros.pt")
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

    def has_errors(self):
        return bool(self.errors)

    def error_list(self):
        """The error summary (``form_macros.pt``): links to the fields."""
        labels = {
            "password": _("label_new_password", default="New password"),
            "password_confirm": _("label_password_confirm", default="Password again"),
        }
        return [
            summary_error(f"field-{name}", labels[name], self.errors[name])
            for name in labels
            if self.errors.get(name)
        ] + [
            summary_error("field-password", "", message)
            for key, message in self.errors.items()
            if key not in labels
        ]


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

"""Pages to change one's password and email address (``accounts.credentials``)."""

from illkirch.eservices import _
from illkirch.eservices.accounts import credentials
from illkirch.eservices.accounts.passwords import RULE
from illkirch.eservices.browser.form_field import field_errors
from illkirch.eservices.browser.form_field import summary_error
from illkirch.eservices.browser.forms import field_info
from plone import api
from plone.protect import CheckAuthenticator
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.interface import alsoProvides

import transaction


class _CredentialsForm(BrowserView):
    index = ViewPageTemplateFile("templates/credentials_form.pt")
    form_macros = ViewPageTemplateFile("templates/form_macros.pt")
    fields = ()
    done_message = None

    page_help = None

    def __call__(self):
        self.errors = {}
        self.update()
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            try:
                self.apply(api.user.get_current(), self.request.form)
            except credentials.CredentialsError as error:
                transaction.doom()
                self.errors = error.errors
            else:
                api.portal.show_message(self.done_message, self.request)
                root = api.portal.get_navigation_root(self.context).absolute_url()
                self.request.response.redirect(f"{root}/@@mon-espace-compte")
                return ""
        return self.index()

    def update(self):
        """Before the form is read: what depends on the account."""

    def field_list(self):
        """Passwords are never sent back to the browser; the email is."""
        return [
            field_info(
                name,
                self.request.form.get(name, "") if name == "email" else "",
                self.errors.get(name),
                label=label,
                description=help_text or "",
                required=True,
            )
            for name, label, help_text in self.fields
        ]

    def has_errors(self):
        return bool(self.errors)

    def error_list(self):
        """The error summary (``form_macros.pt``): links to the fields."""
        fields = self.field_list()
        names = {field["name"] for field in fields}
        return field_errors(fields) + [
            summary_error(fields[0]["id"], "", message)
            for key, message in self.errors.items()
            if key not in names
        ]

    def apply(self, user, form):
        raise NotImplementedError


CURRENT_PASSWORD = (
    "current_password",
    _("label_current_password", default="Current password"),
    None,
)
NEW_PASSWORDS = (
    ("password", _("label_new_password", default="New password"), RULE),
    (
        "password_confirm",
        _("label_password_confirm", default="Password again"),
        None,
    ),
)


class ChangePassword(_CredentialsForm):
    """« Modifier mon mot de passe », or « Choisir un mot de passe » for an
    account made through FranceConnect that has none yet
    (``credentials.needs_current_password``: the rule and why it is safe)."""

    page_title = _("heading_change_password", default="Change my password")
    done_message = _("password_changed_done", default="Your password has been changed.")
    fields = (CURRENT_PASSWORD, *NEW_PASSWORDS)

    def update(self):
        user = api.user.get_current()
        if credentials.needs_current_password(user.getId()):
            return
        self.page_title = _("heading_choose_password", default="Choose a password")
        self.page_help = _(
            "help_choose_password",
            default="Your account was created with FranceConnect: it has no "
            "password yet. With a password, you can also log in with your "
            "identifier ${login} (or your email address) and this password, "
            "without FranceConnect.",
            mapping={"login": user.getUserName()},
        )
        self.done_message = _(
            "password_chosen_done",
            default="Your password has been chosen: you can now log in with "
            "your identifier ${login} and this password, or with FranceConnect.",
            mapping={"login": user.getUserName()},
        )
        self.fields = NEW_PASSWORDS

    def apply(self, user, form):
        credentials.change_password(
            user,
            form.get("current_password"),
            form.get("password"),
            form.get("password_confirm"),
            self.request,
        )


class ChangeEmail(_CredentialsForm):
    page_title = _("heading_change_email", default="Change my email address")
    done_message = _(
        "email_change_sent",
        default="A confirmation link has been sent to the new address: "
        "the change applies once you open it.",
    )
    fields = (
        ("email", _("label_new_email", default="New email address"), None),
        ("current_password", _("label_your_password", default="Your password"), None),
    )

    def apply(self, user, form):
        try:
            credentials.request_email_change(
                user, form.get("current_password"), form.get("email")
            )
        except credentials.CredentialsError as error:
            # the domain names the password "password": the form "current_password"
            if "password" in error.errors:
                error.errors["current_password"] = error.errors.pop("password")
            raise


class ConfirmEmail(BrowserView):
    """The link emailed to the new address: its secret token is the proof,
    so the GET that follows it may write (no cross-site request forgery)."""

    def __call__(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        if credentials.confirm_email_change(self.request.form.get("token")):
            message, kind = (
                _("email_changed_done", default="Your new email address is recorded."),
                "info",
            )
        else:
            message, kind = (
                _(
                    "error_email_link",
                    default="This link is no longer valid: ask for the change again.",
                ),
                "error",
            )
        api.portal.show_message(message, self.request, type=kind)
        root = api.portal.get_navigation_root(self.context).absolute_url()
        self.request.response.redirect(f"{root}/@@mon-espace-compte")
        return ""

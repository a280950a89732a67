"""Login with FranceConnect (#20, ``accounts/franceconnect.py``).

- ``@@franceconnect-button``: the official « S'identifier avec
  FranceConnect » button and its « Qu'est-ce que FranceConnect ? » link,
  on the login page and on « Créer un compte »; nothing when FranceConnect
  is disabled.
- ``@@franceconnect-login``: to the provider (a new flow, signed in a
  cookie).
- ``franceconnect-callback``: the provider's answer checked; a linked
  identity logs in and lands on « Mon espace » (or where it was going), a
  new one goes to the completion form; a refused answer goes back to the
  login page with its French message and no session.
- ``@@franceconnect-inscription``: the completion form of a first login:
  the identity shown read-only, the address, the household's members and
  the terms (the registration's fields and rules).
- ``@@lier-franceconnect`` / ``@@delier-franceconnect`` (« Compte »): link
  the account to a FranceConnect identity after its password, unlink it
  while the account has a password.
- ``logout``: Plone's, ending FranceConnect's session too when the portal's
  was opened through it.
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import credentials
from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.accounts import registration
from illkirch.eservices.browser.credentials import _CredentialsForm
from illkirch.eservices.browser.form_field import field_errors
from illkirch.eservices.browser.form_field import summary_error
from illkirch.eservices.browser.login import leads_nowhere
from illkirch.eservices.browser.registration import RegistrationWizard
from illkirch.eservices.content.household import CIVILITIES
from illkirch.eservices.content.household import IPerson
from plone import api
from plone.protect import CheckAuthenticator
from plone.protect.interfaces import IDisableCSRFProtection
from Products.CMFPlone.browser.login.logout import LogoutView
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from urllib.parse import urlsplit
from zExceptions import NotFound
from zope.interface import alsoProvides

import transaction


def _cookie_path():
    return urlsplit(api.portal.get().absolute_url()).path or "/"


def _set_cookie(response, name, value, seconds):
    response.setCookie(
        name,
        value,
        path=_cookie_path(),
        http_only=True,
        same_site="Lax",
        max_age=seconds,
    )


def _expire_cookie(response, name):
    response.expireCookie(name, path=_cookie_path())


def _open_session(request, userid, id_token):
    """Log ``userid`` in (plone.session's ticket), as Plone's login does, and
    keep the ID token for the logout (``FranceConnectLogout``)."""
    acl_users = api.portal.get_tool("acl_users")
    acl_users.session._setupSession(userid, request.response)
    request.response.setCookie(
        franceconnect.SESSION_COOKIE,
        franceconnect.signed({"id_token": id_token}, franceconnect.SESSION_SECONDS),
        path=_cookie_path(),
        http_only=True,
        same_site="Lax",
    )


def _refuse(view, message):
    IStatusMessage(view.request).add(message, "error")
    portal_url = api.portal.get().absolute_url()
    view.request.response.redirect(f"{portal_url}/login")
    return ""


class FranceConnectButton(BrowserView):
    """The official button (docs/franceconnect.md), or nothing."""

    index = ViewPageTemplateFile("templates/franceconnect_button.pt")

    def __call__(self):
        if not franceconnect.is_enabled():
            return ""
        return self.index()

    def login_url(self):
        return f"{api.portal.get().absolute_url()}/@@franceconnect-login"

    def came_from(self):
        return self.request.get("came_from", "")


class FranceConnectLogin(BrowserView):
    """To the provider's authorization endpoint."""

    def __call__(self):
        if not franceconnect.is_enabled():
            raise NotFound("FranceConnect is disabled")
        came_from = self.request.get("came_from", "")
        portal_url = api.portal.get_tool("portal_url")
        if not (came_from and portal_url.isURLInPortal(came_from)):
            came_from = ""
        try:
            url, flow = franceconnect.start(came_from)
        except franceconnect.FranceConnectRefused as refused:
            return _refuse(self, refused.message)
        response = self.request.response
        _set_cookie(
            response,
            franceconnect.FLOW_COOKIE,
            franceconnect.signed(flow, franceconnect.FLOW_SECONDS),
            franceconnect.FLOW_SECONDS,
        )
        response.setHeader("Cache-Control", "no-store")
        response.redirect(url)
        return ""


class FranceConnectCallback(BrowserView):
    """The redirect URI registered with the provider."""

    def __call__(self):
        if not franceconnect.is_enabled():
            raise NotFound("FranceConnect is disabled")
        request = self.request
        response = request.response
        response.setHeader("Cache-Control", "no-store")
        flow = franceconnect.unsigned(request.cookies.get(franceconnect.FLOW_COOKIE))
        # one answer per flow, accepted or not
        _expire_cookie(response, franceconnect.FLOW_COOKIE)
        try:
            claims = franceconnect.finish(flow, request.environ.get("QUERY_STRING", ""))
        except franceconnect.FranceConnectRefused as refused:
            return _refuse(self, refused.message)
        portal_url = api.portal.get().absolute_url()
        if flow.get("link"):
            return self.link(flow["link"], claims)
        userid = franceconnect.linked_user(claims["sub"])
        if userid:
            _open_session(request, userid, claims.get("id_token"))
            came_from = flow.get("came_from")
            if leads_nowhere(came_from, portal_url):
                came_from = f"{portal_url}/@@mon-espace"
            response.redirect(came_from)
            return ""
        identity = franceconnect.pending_identity(claims)
        _set_cookie(
            response,
            franceconnect.PENDING_COOKIE,
            franceconnect.signed(identity, franceconnect.PENDING_SECONDS),
            franceconnect.PENDING_SECONDS,
        )
        response.redirect(f"{portal_url}/@@franceconnect-inscription")
        return ""

    def link(self, userid, claims):
        """« Lier FranceConnect »: the identity goes to the account that
        asked, if it is still the one logged in."""
        portal_url = api.portal.get().absolute_url()
        current = api.user.get_current()
        if api.user.is_anonymous() or current.getId() != userid:
            return _refuse(self, franceconnect.EXPIRED)
        # the answer's state matched the flow this browser started from
        # « Compte »: that is this GET's protection against forgery
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            franceconnect.link_account(claims["sub"], userid)
        except franceconnect.FranceConnectRefused as refused:
            IStatusMessage(self.request).add(refused.message, "error")
        else:
            IStatusMessage(self.request).add(LINKED, "info")
        self.request.response.redirect(f"{portal_url}/@@mon-espace-compte")
        return ""


LINKED = _(
    "message_franceconnect_linked",
    default="Your account is linked to FranceConnect: you may now log in with it.",
)
UNLINKED = _(
    "message_franceconnect_unlinked",
    default="FranceConnect is no longer linked to your account: log in with "
    "your identifier and password.",
)


class FranceConnectLink(_CredentialsForm):
    """« Lier FranceConnect » (« Compte »): the account's password first,
    then FranceConnect; never linked by the email address."""

    page_title = _("heading_franceconnect_link", default="Link FranceConnect")
    fields = (
        (
            "current_password",
            _("label_your_password", default="Your password"),
            None,
        ),
    )

    def __call__(self):
        if not franceconnect.is_enabled():
            raise NotFound("FranceConnect is disabled")
        self.errors = {}
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            user = api.user.get_current()
            if not credentials._check_password(
                user, self.request.form.get("current_password")
            ):
                self.errors = {"current_password": credentials.WRONG_PASSWORD}
                return self.index()
            try:
                url, flow = franceconnect.start(link_to=user.getId())
            except franceconnect.FranceConnectRefused as refused:
                self.errors = {"current_password": refused.message}
                return self.index()
            _set_cookie(
                self.request.response,
                franceconnect.FLOW_COOKIE,
                franceconnect.signed(flow, franceconnect.FLOW_SECONDS),
                franceconnect.FLOW_SECONDS,
            )
            self.request.response.redirect(url)
            return ""
        return self.index()


class FranceConnectUnlink(BrowserView):
    """« Délier FranceConnect » (POST from « Compte »)."""

    def __call__(self):
        portal_url = api.portal.get().absolute_url()
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            try:
                franceconnect.unlink_account(api.user.get_current().getId())
            except franceconnect.FranceConnectRefused as refused:
                IStatusMessage(self.request).add(refused.message, "error")
            else:
                IStatusMessage(self.request).add(UNLINKED, "info")
        self.request.response.redirect(f"{portal_url}/@@mon-espace-compte")
        return ""


class FranceConnectCompletion(RegistrationWizard):
    """The completion form of a first login with FranceConnect."""

    index = ViewPageTemplateFile("templates/franceconnect_completion.pt")
    page_title = _("heading_franceconnect_completion", default="Complete your account")

    def __call__(self):
        if not franceconnect.is_enabled():
            raise NotFound("FranceConnect is disabled")
        self.identity = franceconnect.unsigned(
            self.request.cookies.get(franceconnect.PENDING_COOKIE)
        )
        if not self.identity:
            return _refuse(self, franceconnect.EXPIRED)
        self.errors = {}
        self.refusal = None
        self.data = self.read_form()
        if self.request.method != "POST":
            self.data["email"] = self.identity.get("email") or ""
            return self.index()
        CheckAuthenticator(self.request)
        action = self.request.form.get("action", "submit")
        if action == "add_member":
            if len(self.data["members"]) < registration.MAX_MEMBERS:
                self.data["members"].append({})
        elif action.startswith("remove_member:"):
            position = action.split(":", 1)[1]
            if position.isdigit() and int(position) < len(self.data["members"]):
                del self.data["members"][int(position)]
        elif action == "submit":
            return self.submit()
        return self.index()

    def submit(self):
        try:
            userid = franceconnect.register_identity(self.identity, self.data)
        except franceconnect.CompletionError as error:
            transaction.doom()
            self.errors = error.errors
            return self.index()
        response = self.request.response
        _expire_cookie(response, franceconnect.PENDING_COOKIE)
        _open_session(self.request, userid, self.identity.get("id_token"))
        IStatusMessage(self.request).add(
            _(
                "message_franceconnect_account_created",
                default="Your account is created and your identity verified by "
                "FranceConnect. The town's services will check your household's "
                "address; meanwhile you can already file online requests.",
            ),
            "info",
        )
        portal_url = api.portal.get().absolute_url()
        response.redirect(f"{portal_url}/@@mon-espace")
        return ""

    # rendering ---------------------------------------------------------------

    def title_step(self):
        return None

    def verified_rows(self):
        """What FranceConnect certifies, as shown (read-only)."""
        identity = self.identity
        civilities = {term.value: term.title for term in CIVILITIES}
        rows = [
            (IPerson["civility"].title, civilities.get(identity.get("civility"), "")),
            (IPerson["first_name"].title, identity.get("first_name")),
            (IPerson["last_name"].title, identity.get("last_name")),
            (IPerson["birth_date"].title, self.birth_date()),
            (IPerson["birth_place"].title, identity.get("birth_place")),
        ]
        return [{"label": label, "value": value} for label, value in rows if value]

    def birth_date(self):
        value = self.identity.get("birth_date") or ""
        parts = value.split("-")
        return "/".join(reversed(parts)) if len(parts) == 3 else value

    def email_field(self):
        return self.field(
            "email",
            IPerson,
            required=True,
            description=_(
                "help_franceconnect_email",
                default="Given by FranceConnect; you may change it. The town "
                "writes to you at this address.",
            ),
        )

    def error_list(self):
        fields = [self.email_field(), *self.address_fields()]
        fields += [f for block in self.member_blocks() for f in block["fields"]]
        result = field_errors(fields)
        shown = {field["name"] for field in fields}
        if self.errors.get("consent"):
            shown.add("consent")
            result.append(
                summary_error(
                    "field-consent",
                    _("label_consent_short", default="Consent"),
                    self.errors["consent"],
                )
            )
        for key, message in self.errors.items():
            if key not in shown:
                result.append(summary_error("completion-title", "", message))
        return result


class FranceConnectLogout(LogoutView):
    """Plone's logout; a session opened through FranceConnect then also ends
    FranceConnect's (its ``end_session_endpoint`` with ``id_token_hint``),
    which sends the citizen back to the site."""

    def __call__(self):
        session = franceconnect.unsigned(
            self.request.cookies.get(franceconnect.SESSION_COOKIE)
        )
        if session:
            # Plone's logout of such a session writes (plone.protect showed
            # its confirmation page in the tests): none before leaving for
            # FranceConnect (a forged logout harms no one)
            alsoProvides(self.request, IDisableCSRFProtection)
        result = super().__call__()
        if not session:
            return result
        _expire_cookie(self.request.response, franceconnect.SESSION_COOKIE)
        if not franceconnect.is_enabled():
            return result
        portal_url = api.portal.get().absolute_url()
        url = franceconnect.end_session_url(session.get("id_token"), portal_url)
        if url:
            self.request.response.redirect(url)
        return result

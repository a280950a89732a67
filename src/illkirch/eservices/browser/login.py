"""Plone's login form, telling when an identifier is blocked, and where a
login lands.

After logging in, whoever was going somewhere (Plone's ``came_from``: the
page that asked them to log in, or the one they were reading) goes there.
Whoever comes from nowhere in particular (the login page opened directly,
from the home page or after creating an account) lands on their own page:
a citizen on « Mon espace », an agent on the Guichet; the other staff
(editors, administrators) on Plone's usual page.
"""

from illkirch.eservices.accounts import citizens
from illkirch.eservices.accounts.login import LOCKED_MESSAGE
from illkirch.eservices.accounts.pas import is_locked_request
from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from plone import api
from plone.base.interfaces import IRedirectAfterLogin
from Products.CMFPlone.browser.login.login import LoginForm as PloneLoginForm
from Products.statusmessages.interfaces import IStatusMessage
from urllib.parse import urlsplit
from z3c.form import button
from zope.component import adapter
from zope.interface import Interface
from zope.interface import implementer


# What, after the site's address, is still its home page.
HOME_PATHS = ("", "view", "@@view", "index_html")
# The portal's pages before a login (account creation, lost password): one
# does not go back to them once logged in.
ACCOUNT_PAGES = ("creer-un-compte", "mot-de-passe-oublie", "nouveau-mot-de-passe")


# The login form's fields and their purpose (WCAG 1.3.5): browsers and
# password managers fill them in.
LOGIN_AUTOCOMPLETE = {"ac_name": "username", "ac_password": "current-password"}


class LoginForm(PloneLoginForm):
    def updateWidgets(self):
        super().updateWidgets()
        for name, token in LOGIN_AUTOCOMPLETE.items():
            # z3c.form keeps the widget's attributes once computed (and
            # plone.app.z3cform's widgets allow no other way to add one)
            self.widgets[name].attributes["autocomplete"] = token

    @button.buttonAndHandler(PloneLoginForm.buttons["login"].title, name="login")
    def handleLogin(self, action):
        super().handleLogin.func(self, action)
        if is_locked_request(self.request):
            messages = IStatusMessage(self.request)
            messages.show()  # drop Plone's generic "Login failed"
            messages.add(LOCKED_MESSAGE, "error")


def leads_nowhere(url, portal_url):
    """Whether ``url`` is nowhere in particular: empty, the site's home page
    or one of the account pages before a login."""
    if not url:
        return True
    path = urlsplit(url).path.rstrip("/")
    root = urlsplit(portal_url).path.rstrip("/")
    if path != root and not path.startswith(f"{root}/"):
        return False
    relative = path[len(root) :].strip("/")
    last = relative.rsplit("/", 1)[-1].removeprefix("@@")
    return relative in HOME_PATHS or last in ACCOUNT_PAGES


def landing_page(came_from=None):
    """Where a login lands (``None``: Plone's choice)."""
    portal_url = api.portal.get().absolute_url()
    if not leads_nowhere(came_from, portal_url):
        return came_from
    if citizens.is_citizen():
        return f"{portal_url}/@@mon-espace"
    if citizens.is_agent():
        return f"{portal_url}/@@guichet"
    return came_from


@implementer(IRedirectAfterLogin)
@adapter(Interface, IIllkirchEservicesLayer)
class RedirectAfterLogin:
    """Plone's hook after a successful login (see the module's doc)."""

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self, came_from=None, is_initial_login=False):
        return landing_page(came_from)

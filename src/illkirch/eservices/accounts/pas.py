"""The PAS plugin that authenticates citizens (see ``accounts.login``).

It stands in front of Plone's user source (``source_users``), whose own
authentication interface is deactivated while the add-on is installed: every
login then goes through the rules here, the login form, HTTP basic
authentication and ``POST /@login`` alike.
"""

from AccessControl.class_init import InitializeClass
from BTrees.OOBTree import OOBTree
from illkirch.eservices.accounts import login as rules
from illkirch.eservices.folding import fold
from plone.protect.interfaces import IDisableCSRFProtection
from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin
from Products.PluggableAuthService.plugins.BasePlugin import BasePlugin
from zope.globalrequest import getRequest
from zope.interface import alsoProvides
from zope.interface import implementer

import hashlib


PLUGIN_ID = "eservices_login"
LOCKED_FLAG = "illkirch.eservices.login_locked"
ATTEMPTS = "_eservices_login_attempts"


def _attempt(key, password):
    """What identifies one login attempt within a request (the password
    only as a digest)."""
    if isinstance(password, str):
        password = password.encode("utf-8", "surrogatepass")
    return key, hashlib.sha256(password or b"").hexdigest()


@implementer(IAuthenticationPlugin)
class EservicesLoginPlugin(BasePlugin):
    meta_type = "illkirch.eservices login"

    def __init__(self, id=PLUGIN_ID, title="Espace citoyen: login names and limits"):
        self._setId(id)
        self.title = title
        self._failures = OOBTree()

    def failures(self):
        return rules.FailedLogins(self._failures)

    def authenticateCredentials(self, credentials):
        typed = credentials.get("login")
        password = credentials.get("password")
        if not typed or password is None:
            return None  # session tickets and tokens are not ours to check
        pas = self._getPAS()
        request = getRequest()
        login = rules.resolve_login(pas, typed)
        key = fold(login or typed.strip())
        # One request is one attempt: PAS may check the same credentials
        # several times in a request (``POST /@login``: plone.restapi's JWT
        # plugin extracts them from the JSON body during traversal, then the
        # service authenticates them again), and each check must not count
        # as another failure.
        attempts = getattr(request, ATTEMPTS, None) if request is not None else None
        attempt = _attempt(key, password)
        if attempts is not None and attempt in attempts:
            return attempts[attempt]
        result = self._authenticate(pas, request, login, key, password)
        if request is not None:
            if attempts is None:
                attempts = {}
                setattr(request, ATTEMPTS, attempts)
            attempts[attempt] = result
        return result

    def _authenticate(self, pas, request, login, key, password):
        failures = self.failures()
        if failures.is_locked(key):
            if request is not None:
                request.set(LOCKED_FLAG, True)
            return None
        result = None
        if login is not None:
            result = pas.source_users.authenticateCredentials(
                {"login": login, "password": password}
            )
        if request is not None:
            # Counting failures writes to the database on a login request,
            # which is no cross-site request forgery.
            alsoProvides(request, IDisableCSRFProtection)
        if result:
            failures.clear(key)
            return result
        if failures.record_failure(key):
            if request is not None:
                request.set(LOCKED_FLAG, True)
            rules.mail_lock(pas, login, request)
        return None


InitializeClass(EservicesLoginPlugin)


def is_locked_request(request):
    return bool(request is not None and request.get(LOCKED_FLAG))


def install(pas):
    """Add the plugin first in line; take authentication from source_users."""
    if PLUGIN_ID not in pas.objectIds():
        pas._setObject(PLUGIN_ID, EservicesLoginPlugin())
    plugins = pas.plugins
    active = plugins.listPluginIds(IAuthenticationPlugin)
    if PLUGIN_ID not in active:
        plugins.activatePlugin(IAuthenticationPlugin, PLUGIN_ID)
    while plugins.listPluginIds(IAuthenticationPlugin)[0] != PLUGIN_ID:
        plugins.movePluginsUp(IAuthenticationPlugin, [PLUGIN_ID])
    if "source_users" in plugins.listPluginIds(IAuthenticationPlugin):
        plugins.deactivatePlugin(IAuthenticationPlugin, "source_users")


def uninstall(pas):
    plugins = pas.plugins
    if "source_users" not in plugins.listPluginIds(IAuthenticationPlugin):
        plugins.activatePlugin(IAuthenticationPlugin, "source_users")
    if PLUGIN_ID in pas.objectIds():
        pas._delObject(PLUGIN_ID)

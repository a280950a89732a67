"""Lost password: a single-use link, valid 24 hours, sent by email.

No security question. The link's token is stored hashed (SHA-256) with its
user and expiry; using it sets the new password (same policy as at
registration), deletes the token and ends the account's other sessions:
cookie sessions (plone.session's per-user keyring is renewed) and REST tokens
(plone.restapi's stored JWTs are dropped). The answer to a request is the
same whether or not an account has the name typed, and so is its time: it
leaves ``ANSWER_SECONDS`` after the request arrived, once the email (if any)
has been handed to the mail server.

Requests are rate-limited: ``PER_ADDRESS`` per hour from one client address
and ``PER_NAME`` per hour for one name typed (429 with a French message,
whether or not an account has that name), and at most ``PER_ACCOUNT``
emails an hour to one account however it is named (identifier with or
without accents, email address: the requests over it are answered as the
others, without an email). The link points to the portal's public URL,
never to the address the request came with.
"""

from BTrees.OOBTree import OOBTree
from illkirch.eservices import _
from illkirch.eservices import mail
from illkirch.eservices import urls
from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.accounts.login import FailedLogins
from illkirch.eservices.accounts.login import resolve_login
from illkirch.eservices.accounts.login import user_id_for_login
from illkirch.eservices.accounts.passwords import password_problems
from illkirch.eservices.accounts.tokens import SecretLinks
from illkirch.eservices.errors import FieldErrors
from illkirch.eservices.folding import fold
from illkirch.eservices.limits import RateLimit
from illkirch.eservices.limits import RateLimited
from illkirch.eservices.limits import answer_not_before
from illkirch.eservices.limits import client_address
from plone import api
from plone.keyring.interfaces import IKeyManager
from zope.component import getUtility

import time


TOKEN_TTL = 24 * 3600
RESETS_KEY = "illkirch.eservices.password_resets"
HOUR = 3600
PER_ADDRESS = 10  # requests an hour from one client address
PER_NAME = 3  # requests an hour for one name typed (folded)
PER_ACCOUNT = 3  # emails an hour to one account
ANSWER_SECONDS = 0.5

REQUESTED = _(
    "reset_requested",
    default="If an account matches what you typed, a link to choose a new "
    "password has been sent to its email address. The link can be used once, "
    "within 24 hours.",
)
INVALID_LINK = _(
    "error_reset_link",
    default="This link is no longer valid: it has already been used or is more "
    "than 24 hours old. Ask for a new one.",
)


TOO_MANY = _(
    "error_reset_too_many",
    default="Too many requests for a new password from your connection or "
    "for this account: try again in an hour.",
)


class ResetError(FieldErrors):
    """The new password is refused (or the link is no longer valid)."""


LINKS = SecretLinks(RESETS_KEY, TOKEN_TTL)


def _limits():
    return (
        RateLimit("reset-address", PER_ADDRESS, HOUR),
        RateLimit("reset-name", PER_NAME, HOUR),
        RateLimit("reset-account", PER_ACCOUNT, HOUR),
    )


def request_reset(typed, request=None, now=None):
    """Email a reset link to the account meant by ``typed``, if any.

    Raises RateLimited over the limits of the client address or of the name
    typed (the same for a known and an unknown name).
    """
    started = time.monotonic()
    now = time.time() if now is None else now
    per_address, per_name, per_account = _limits()
    address = client_address(request)
    name = fold((typed or "").strip())[:254]
    if not (per_address.allows(address, now=now) and per_name.allows(name, now=now)):
        raise RateLimited(TOO_MANY)
    per_address.take(address, now=now)
    per_name.take(name, now=now)
    answer_not_before(ANSWER_SECONDS, started)
    pas = api.portal.get_tool("acl_users")
    login = resolve_login(pas, typed)
    user_id = user_id_for_login(pas, login) if login else None
    email = mail.user_email(user_id) if user_id else None
    if not email or not per_account.take(user_id, now=now):
        return
    token = LINKS.issue(user_id, now)
    root = urls.public_base()
    mail.send(
        email,
        _("mail_reset_subject", default="Choose a new password"),
        _(
            "mail_reset_body",
            default="Hello,\n\nA new password was asked for your account "
            "${login}. To choose it, open this link (usable once, within 24 "
            "hours):\n\n${link}\n\nIf you did not ask for it, ignore this "
            "message: your password stays the same.",
            mapping={
                "login": login,
                "link": f"{root}/@@nouveau-mot-de-passe?token={token}",
            },
        ),
        request,
    )


def user_for_token(token, now=None):
    """The user id of a valid (unused, unexpired) token, or None."""
    return LINKS.peek(token, now)


def reset_password(token, password, confirm, now=None):
    """Set the new password of a valid token; raise ResetError otherwise."""
    user_id = user_for_token(token, now)
    if user_id is None:
        raise ResetError({"token": INVALID_LINK})
    user = api.user.get(userid=user_id)
    personal = [
        user.getUserName(),
        user.getProperty("email") or "",
        *(user.getProperty("fullname") or "").split(),
    ]
    problems = password_problems(password or "", personal=[p for p in personal if p])
    if problems:
        raise ResetError({"password": problems[0]})
    if password != confirm:
        raise ResetError(
            {
                "password_confirm": _(
                    "error_password_confirm", default="The two passwords differ."
                )
            }
        )
    pas = api.portal.get_tool("acl_users")
    pas.source_users.updateUserPassword(user_id, password)
    franceconnect.password_chosen(user_id)  # may unlink FranceConnect now
    LINKS.use(token)
    end_sessions(user_id)
    plugin = pas.get("eservices_login")
    if plugin is not None:
        FailedLogins(plugin._failures).clear(fold(user.getUserName()))
    return user_id


def end_sessions(user_id):
    """Invalidate every session and REST token of the user."""
    pas = api.portal.get_tool("acl_users")
    session = pas.get("session")
    if session is not None and session.getProperty("per_user_keyring", False):
        manager = getUtility(IKeyManager)
        ring = session._getSecretKey(user_id)
        if ring in manager:
            manager[ring].clear()
            manager[ring].fill()
    jwt = pas.get("jwt_auth")
    if jwt is not None and getattr(jwt, "_tokens", None) is not None:
        jwt._tokens.pop(user_id, None)


def set_session_ending(pas, enabled):
    """Let sessions be ended per user (on while the add-on is installed):
    plone.session's per-user keyring and plone.restapi's stored tokens."""
    session = pas.get("session")
    if session is not None:
        session._updateProperty("per_user_keyring", enabled)
    jwt = pas.get("jwt_auth")
    if jwt is not None:
        jwt.store_tokens = enabled
        if enabled and jwt._tokens is None:
            jwt._tokens = OOBTree()

"""Logging in: the names a citizen may type, and the limit on failed attempts.

A citizen logs in with their identifier, with or without its accents, or with
their email address. After ``MAX_FAILURES`` wrong passwords for one
identifier within ``WINDOW`` seconds, every attempt for it is refused for
``LOCK_SECONDS`` and the account's owner is told by email. The count is kept
for any name typed, whether an account has it or not, so that the answers
never tell whether an account exists.
"""

from illkirch.eservices import _
from illkirch.eservices import mail
from illkirch.eservices.folding import fold
from illkirch.eservices.limits import AttemptLimiter


MAX_FAILURES = 5
WINDOW = 15 * 60
LOCK_SECONDS = 15 * 60

LOCKED_MESSAGE = _(
    "error_login_locked",
    default="Too many failed attempts for this identifier: logging in is "
    "blocked for 15 minutes. If you have forgotten your password, use « Mot de "
    "passe oublié ? ».",
)


def resolve_login(pas, typed):
    """The login name of the account meant by ``typed``, or None.

    ``typed`` is a login name, the same without accents or in another case
    (citizens' user ids are their folded identifiers), or an email address.
    """
    typed = (typed or "").strip()
    if not typed:
        return None
    source = pas.source_users
    if user_id_for_login(pas, typed):
        return typed
    try:
        return source.getLoginForUserId(fold(typed))
    except KeyError:
        pass
    if "@" in typed:
        for info in pas.searchUsers(email=typed, exact_match=True):
            user = pas.getUserById(info["userid"])
            if (
                user is not None
                and (user.getProperty("email") or "").lower() == typed.lower()
            ):
                return user.getUserName()
    return None


def user_id_for_login(pas, login):
    try:
        return pas.source_users.getUserIdForLogin(login)
    except KeyError:
        return None


class FailedLogins(AttemptLimiter):
    """Failed logins per folded identifier."""

    max_failures = MAX_FAILURES
    window = WINDOW
    lock_seconds = LOCK_SECONDS


def mail_lock(pas, login, request=None):
    """Tell the owner of ``login`` (if any) that logging in is blocked."""
    user_id = user_id_for_login(pas, login) if login else None
    email = mail.user_email(user_id) if user_id else None
    if not email:
        return
    mail.send(
        email,
        _("mail_lock_subject", default="Logging in to your account is blocked"),
        _(
            "mail_lock_body",
            default="Hello,\n\nThere were 5 failed attempts to log in to your "
            "account ${login} in less than 15 minutes: logging in is blocked for "
            "15 minutes.\n\nIf it was you, wait 15 minutes or use « Mot de passe "
            "oublié ? » on the login page. If it was not you, choose a new "
            "password as soon as you can.",
            mapping={"login": login},
        ),
        request,
    )

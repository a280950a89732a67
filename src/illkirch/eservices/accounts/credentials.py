"""Changing one's password (the current one is required, except for an
account made through FranceConnect that has none yet: it chooses one; the
account's other sessions and REST tokens end) and email address (the
password is required, and the change waits for the confirmation link sent
to the new address)."""

from illkirch.eservices import _
from illkirch.eservices import mail
from illkirch.eservices import urls
from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.accounts.households import is_editable_by_citizen
from illkirch.eservices.accounts.passwords import password_problems
from illkirch.eservices.accounts.registration import EMAIL_RE
from illkirch.eservices.accounts.sessions import end_other_sessions
from illkirch.eservices.accounts.tokens import SecretLinks
from illkirch.eservices.errors import FieldErrors
from illkirch.eservices.history import record
from illkirch.eservices.messages import INVALID_EMAIL
from plone import api
from zope.globalrequest import getRequest

import time


EMAIL_TOKEN_TTL = 24 * 3600
EMAIL_CHANGES_KEY = "illkirch.eservices.email_changes"
WRONG_PASSWORD = _(
    "error_current_password", default="This is not your current password."
)


class CredentialsError(FieldErrors):
    """The new password or email address is refused."""


def _check_password(user, password):
    pas = api.portal.get_tool("acl_users")
    return bool(password) and pas.source_users.authenticateCredentials(
        {"login": user.getUserName(), "password": password}
    )


def needs_current_password(userid):
    """False for an account made through FranceConnect that has not chosen
    a password yet (``franceconnect.has_password``): « Choisir un mot de
    passe » asks only the new one; True for every other account
    (« Modifier mon mot de passe »)."""
    return franceconnect.has_password(userid)


def change_password(user, current, new, confirm, request=None):
    """Set a new password; the current one is required, except for an
    account that has none yet (``needs_current_password``), which chooses
    one. Every other session and REST token of the account ends; the one of
    ``request`` (the current request by default) goes on."""
    userid = user.getId()
    # Why an account without a password may set one without giving a
    # current one: its secret was drawn at random when FranceConnect made
    # the account (``franceconnect.register_identity``) and was never shown
    # nor sent to anyone, so nobody can log in with it. Any session of such
    # an account was therefore opened through FranceConnect (or by the
    # emailed reset link, which records a chosen password itself): asking
    # for the current password would prove nothing more, and would leave the
    # citizen only « Mot de passe oublié ? ». The write stays as protected
    # as any other: the page checks its form token (CSRF), the REST service
    # wants JSON (no cross-site form can send it) and a logged-in JWT or
    # session; the account's email is told, and the other sessions end.
    # Once chosen (``franceconnect.password_chosen``), the current password
    # is required again, as for every account.
    choosing = not needs_current_password(userid)
    if not choosing and not _check_password(user, current):
        raise CredentialsError({"current_password": WRONG_PASSWORD})
    personal = [
        user.getUserName(),
        user.getProperty("email") or "",
        *(user.getProperty("fullname") or "").split(),
    ]
    problems = password_problems(new or "", personal=[p for p in personal if p])
    if problems:
        raise CredentialsError({"password": problems[0]})
    if new != confirm:
        raise CredentialsError(
            {
                "password_confirm": _(
                    "error_password_confirm", default="The two passwords differ."
                )
            }
        )
    api.portal.get_tool("acl_users").source_users.updateUserPassword(userid, new)
    if choosing:
        # from now on: the current password, and unlinking FranceConnect
        franceconnect.password_chosen(userid)
    end_other_sessions(request if request is not None else getRequest(), userid)
    household = household_of(user.getId())
    if household is not None:
        record(household, "password_changed")
    mail.send(
        user.getProperty("email"),
        _("mail_password_changed_subject", default="Your password was changed"),
        _(
            "mail_password_changed_body",
            default="Hello,\n\nThe password of your account ${login} has just "
            "been changed. If you did not do it, use « Mot de passe oublié ? » "
            "on the login page at once.",
            mapping={"login": user.getUserName()},
        ),
    )


LINKS = SecretLinks(EMAIL_CHANGES_KEY, EMAIL_TOKEN_TTL)


def request_email_change(user, password, new_email, now=None):
    """Send a confirmation link to ``new_email``; nothing changes before."""
    now = time.time() if now is None else now
    new_email = (new_email or "").strip()
    household = household_of(user.getId())
    if household is not None and not is_editable_by_citizen(household):
        raise CredentialsError(
            {
                "email": _(
                    "error_household_locked",
                    default="Your account awaits validation by the town: it cannot be "
                    "changed yet.",
                )
            }
        )
    if not _check_password(user, password):
        raise CredentialsError({"password": WRONG_PASSWORD})
    if not EMAIL_RE.match(new_email) or len(new_email) > 254:
        raise CredentialsError({"email": INVALID_EMAIL})
    token = LINKS.issue((user.getId(), new_email), now)
    root = urls.public_base()
    mail.send(
        new_email,
        _("mail_email_confirm_subject", default="Confirm your new email address"),
        _(
            "mail_email_confirm_body",
            default="Hello,\n\nTo use this address for your account ${login} "
            "on the citizen portal, open this link within 24 hours:\n\n${link}"
            "\n\nIf you did not ask for it, ignore this message.",
            mapping={
                "login": user.getUserName(),
                "link": f"{root}/@@confirmer-courriel?token={token}",
            },
        ),
    )


def confirm_email_change(token, now=None):
    """Apply the change of a valid link; the user id, or None."""
    data = LINKS.use(token, now)
    if data is None:
        return None
    user_id, new_email = data
    user = api.user.get(userid=user_id)
    old_email = user.getProperty("email")
    user.setMemberProperties({"email": new_email})
    household = household_of(user_id)
    if household is not None:
        holder = household.holder()
        if holder is not None:
            holder.email = new_email
            holder.reindexObject()
        record(household, "email_changed", new_email)
    if old_email:
        mail.send(
            old_email,
            _("mail_email_changed_subject", default="Your email address was changed"),
            _(
                "mail_email_changed_body",
                default="Hello,\n\nThe email address of your account ${login} "
                "is now ${email}. If you did not ask for it, contact the town.",
                mapping={"login": user.getUserName(), "email": new_email},
            ),
        )
    return user_id

"""Plone's own account routes, closed to citizens.

Plone lets any member change their password and personal data, and anyone
ask for a reset link, through routes that know nothing of the portal's
rules (its password policy, the password and confirmation an email change
needs, the single-use 24-hour links, the end of the other sessions, answers
that never tell whether an account exists). The portal has its own pages and
endpoints for all of that (``accounts.credentials``,
``accounts.password_reset``), so Plone's routes are for administrators only:

- the permissions ``Set own password`` and ``Set own properties`` belong to
  Manager and Site Administrator (``profiles/default/rolemap.xml``): that
  closes ``@@change-password``, ``@@personal-information``,
  ``@@personal-preferences``, ``portal_membership/setPassword`` and the
  writes of ``PATCH /@users/<me>`` at the root;
- ``PATCH /@users/<id>`` and ``POST /@users/<id>/reset-password`` answer
  the same 403 for every identifier, pointing to the portal's endpoints,
  unless the caller manages users (``UsersPatch``, ``UsersPost``); Plone's
  ``@@change-password`` and ``@@personal-information`` send a citizen to
  the portal's own pages with a message (``PasswordPanel``,
  ``UserDataPanel``). Plone's lost-password pages already lead to the
  portal's (``browser/password_reset.py``).
- Listing accounts and groups (``List portal members``: the vocabularies of
  users, principals and groups, ``@@member-search``) is for staff; the group
  vocabulary of plone.app.users, open to anyone by default, is put under the
  same permission (``PROTECTED_VOCABULARIES``).
"""

from AccessControl import getSecurityManager
from illkirch.eservices import _
from plone import api
from plone.app.content.browser import vocabulary
from plone.app.users.browser.passwordpanel import PasswordPanel as PlonePasswordPanel
from plone.app.users.browser.userdatapanel import UserDataPanel as PloneUserDataPanel
from plone.restapi.services.users.add import UsersPost as PloneUsersPost
from plone.restapi.services.users.update import UsersPatch as PloneUsersPatch
from Products.CMFCore.permissions import SetOwnPassword
from Products.CMFCore.permissions import SetOwnProperties
from zope.i18n import translate


MANAGE_USERS = "Plone Site Setup: Users and Groups"
LIST_MEMBERS = "List portal members"

# Vocabularies that list accounts or groups, beyond plone.app.content's own
# map (Users, Principals, Groups): checked by @vocabularies and
# @@getVocabulary alike.
PROTECTED_VOCABULARIES = {
    "plone.app.users.group_ids": LIST_MEMBERS,
}
for _name, _permission in PROTECTED_VOCABULARIES.items():
    vocabulary.PERMISSIONS.setdefault(_name, _permission)

USERS_CLOSED = _(
    "error_plone_users_closed",
    default="Your account is managed by the citizen portal: change your "
    "email address with POST /@account-email, your password with POST "
    "/@account-password; a forgotten password is reset with POST "
    "/@password-reset.",
)
PASSWORD_PAGE = _(
    "info_plone_password_page", default="Change your password on this page."
)
DATA_PAGE = _(
    "info_plone_data_page",
    default="Your account's details are on this page: the email address "
    "is changed here, the household's members from « Mon espace ».",
)


def manages_users(context):
    return bool(getSecurityManager().checkPermission(MANAGE_USERS, context))


def closed(request):
    """403 with the portal's endpoints, the same for every identifier."""
    request.response.setStatus(403)
    return {
        "error": {
            "type": "Forbidden",
            "message": translate(USERS_CLOSED, context=request),
        }
    }


class UsersPatch(PloneUsersPatch):
    """``PATCH /@users/<id>``: for those who manage users only."""

    def reply(self):
        if not manages_users(self.context):
            return closed(self.request)
        return super().reply()


class UsersPost(PloneUsersPost):
    """``POST /@users/<id>/reset-password``: for those who manage users
    only (anyone else gets the same answer whatever the identifier);
    ``POST /@users`` (creating an account) stays Plone's."""

    def reply(self):
        if self.params and not manages_users(self.context):
            return closed(self.request)
        return super().reply()


class _ToPortalPage:
    """Plone's page for those who hold its permission; the portal's own
    page, with a message, for the others (citizens, agents)."""

    permission = None
    target = None
    message = None

    def __call__(self):
        if getSecurityManager().checkPermission(self.permission, self.context):
            return super().__call__()
        api.portal.show_message(self.message, self.request)
        root = api.portal.get_navigation_root(self.context).absolute_url()
        self.request.response.redirect(f"{root}/{self.target}")
        return ""


class PasswordPanel(_ToPortalPage, PlonePasswordPanel):
    permission = SetOwnPassword
    target = "@@changer-mot-de-passe"
    message = PASSWORD_PAGE


class UserDataPanel(_ToPortalPage, PloneUserDataPanel):
    permission = SetOwnProperties
    target = "@@changer-courriel"
    message = DATA_PAGE

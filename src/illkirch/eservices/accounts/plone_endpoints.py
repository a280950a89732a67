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
- Citizens (``accounts.citizens``: no staff role) never meet Plone's member
  pages: its dashboard and preferences send them to « Mon espace », its
  personal information to the « Compte » tab of « Mon espace »
  (``DashboardView``, ``PersonalPreferencesPanel``, ``UserDataPanel``…).
  Plone's dashboard is the staff's (``Portlets: View dashboard`` and
  ``Portlets: Manage own portlets`` in rolemap.xml), its preferences those
  of whoever may change their properties (the ``preferences`` user action);
  the others keep Plone's pages where they hold the permission.
- Listing accounts and groups (``List portal members``: the vocabularies of
  users, principals and groups, ``@@member-search``) is for staff; the group
  vocabulary of plone.app.users, open to anyone by default, is put under the
  same permission (``PROTECTED_VOCABULARIES``).
"""

from AccessControl import Unauthorized
from AccessControl import getSecurityManager
from illkirch.eservices import _
from illkirch.eservices.accounts import citizens
from plone import api
from plone.app.content.browser import vocabulary
from plone.app.portlets.dashboard import dashboard
from plone.app.users.browser.passwordpanel import PasswordPanel as PlonePasswordPanel
from plone.app.users.browser.personalpreferences import (
    PersonalPreferencesConfiglet as PlonePreferencesConfiglet,
)
from plone.app.users.browser.personalpreferences import (
    PersonalPreferencesPanel as PlonePreferencesPanel,
)
from plone.app.users.browser.userdatapanel import (
    UserDataConfiglet as PloneDataConfiglet,
)
from plone.app.users.browser.userdatapanel import UserDataPanel as PloneUserDataPanel
from plone.restapi.services.users.add import UsersPost as PloneUsersPost
from plone.restapi.services.users.update import UsersPatch as PloneUsersPatch
from Products.CMFCore.permissions import SetOwnPassword
from Products.CMFCore.permissions import SetOwnProperties
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate

import os


MANAGE_USERS = "Plone Site Setup: Users and Groups"
VIEW_DASHBOARD = "Portlets: View dashboard"
# The pages of « Mon espace » where citizens find what Plone's pages offer.
MY_SPACE = "@@mon-espace"
MY_ACCOUNT = "@@mon-espace-compte"
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

ACCOUNT_TAB = _(
    "info_plone_account_tab",
    default="Your account's details are on this page of « My space ».",
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
    """Plone's page for those who hold its permission, except citizens.

    Citizens go to ``citizen_target``, a page of « Mon espace », when there
    is one; the others without the permission (agents) to ``target``, the
    portal's own page, with ``message``, or meet Plone's refusal."""

    permission = None
    target = None
    message = None
    citizen_target = None
    citizen_message = None

    def __call__(self):
        if self.citizen_target and citizens.is_citizen():
            return self._redirect(self.citizen_target, self.citizen_message)
        if getSecurityManager().checkPermission(self.permission, self.context):
            return super().__call__()
        if self.target is None:
            raise Unauthorized(self.__name__)
        return self._redirect(self.target, self.message)

    def _redirect(self, target, message):
        if message is not None:
            api.portal.show_message(message, self.request)
        root = api.portal.get_navigation_root(self.context).absolute_url()
        self.request.response.redirect(f"{root}/{target}")
        return ""


class PasswordPanel(_ToPortalPage, PlonePasswordPanel):
    permission = SetOwnPassword
    target = "@@changer-mot-de-passe"
    message = PASSWORD_PAGE


class UserDataPanel(_ToPortalPage, PloneUserDataPanel):
    permission = SetOwnProperties
    target = "@@changer-courriel"
    message = DATA_PAGE
    citizen_target = MY_ACCOUNT
    citizen_message = ACCOUNT_TAB


class UserDataConfiglet(_ToPortalPage, PloneDataConfiglet):
    """Site Setup's page of an account's details (administrators)."""

    permission = MANAGE_USERS
    citizen_target = MY_ACCOUNT
    citizen_message = ACCOUNT_TAB


class PersonalPreferencesPanel(_ToPortalPage, PlonePreferencesPanel):
    permission = SetOwnProperties
    citizen_target = MY_SPACE


class PersonalPreferencesConfiglet(_ToPortalPage, PlonePreferencesConfiglet):
    """Site Setup's page of an account's preferences (administrators)."""

    permission = MANAGE_USERS
    citizen_target = MY_SPACE


class DashboardView(_ToPortalPage, dashboard.DashboardView):
    """Plone's dashboard (« Tableau de bord »): the staff's."""

    permission = VIEW_DASHBOARD
    citizen_target = MY_SPACE
    index = ViewPageTemplateFile(
        "dashboard.pt", _prefix=os.path.dirname(dashboard.__file__)
    )

"""1000 → 1001: citizen accounts and households."""

from illkirch.eservices.accounts import pas as login_plugin
from illkirch.eservices.accounts import password_reset
from illkirch.eservices.site_folders import ensure_households_folder
from plone import api


def create_households_folder(context):
    ensure_households_folder(api.portal.get())


def install_login_plugin(context):
    pas = api.portal.get().acl_users
    login_plugin.install(pas)
    password_reset.set_session_ending(pas, True)

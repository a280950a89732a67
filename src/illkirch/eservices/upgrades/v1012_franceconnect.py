"""1011 → 1012: login with FranceConnect (#20, docs/franceconnect.md).

- The FranceConnect settings (``illkirch.eservices.franceconnect.*``) become
  registry records, FranceConnect disabled.
- ``acl_users/franceconnect`` (pas.plugins.oidc's OIDCPlugin, no PAS
  interface activated) is created from them.
- The « FranceConnect » control panel appears in Site Setup.
"""

from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.interfaces import FRANCECONNECT_PREFIX
from illkirch.eservices.interfaces import IFranceConnectSettings
from plone import api
from plone.registry.interfaces import IRegistry
from zope.component import getUtility


def franceconnect_settings(context):
    getUtility(IRegistry).registerInterface(
        IFranceConnectSettings, prefix=FRANCECONNECT_PREFIX
    )
    franceconnect.configure_plugin(api.portal.get_tool("acl_users"))
    # the « FranceConnect » configlet
    context.runImportStepFromProfile(
        "profile-illkirch.eservices:default", "controlpanel"
    )

"""1012 → 1013: FranceConnect for Volto and mobile clients (#20,
docs/franceconnect.md « REST »).

The new FranceConnect settings ``frontend_redirect_uris`` and
``frontend_post_logout_uris`` (the frontends' own addresses, empty) become
registry records; the existing ones (enabled, issuer, client, secret) keep
their values.
"""

from illkirch.eservices.interfaces import FRANCECONNECT_PREFIX
from illkirch.eservices.interfaces import IFranceConnectSettings
from plone.registry.interfaces import IRegistry
from zope.component import getUtility


def franceconnect_frontends(context):
    # registerInterface adds the missing records and keeps the others' values
    getUtility(IRegistry).registerInterface(
        IFranceConnectSettings, prefix=FRANCECONNECT_PREFIX
    )

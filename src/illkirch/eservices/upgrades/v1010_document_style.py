"""1009 → 1010: the town's style sheet of the official documents (#18).

The settings' new record ``document_css`` (« Feuille de style des documents
officiels ») is registered empty; the existing settings keep their values,
and a style sheet already saved is kept (the step may run again). The
configlet « Aperçu des documents officiels (PDF) » (controlpanel.xml) is
added to Site Setup.
"""

from illkirch.eservices.interfaces import IEservicesSettings
from plone.registry.interfaces import IRegistry
from zope.component import getUtility


PREFIX = "illkirch.eservices"
PROFILE = "profile-illkirch.eservices:default"


def document_style_setting(context):
    """Register the documents' style sheet setting (existing values kept)."""
    getUtility(IRegistry).registerInterface(IEservicesSettings, prefix=PREFIX)
    context.runImportStepFromProfile(PROFILE, "controlpanel", run_dependencies=False)

"""1007 → 1008: the town's identity (#15, item 1).

The footer's settings (the town hall's phone and opening hours, the paths of
the accessibility statement, legal notice and personal data pages) become
registry records with their defaults; the existing settings keep their
values.
"""

from illkirch.eservices.interfaces import IEservicesSettings
from plone.registry.interfaces import IRegistry
from zope.component import getUtility


PREFIX = "illkirch.eservices"


def add_identity_settings(context):
    """Register the settings' new records (existing values kept)."""
    getUtility(IRegistry).registerInterface(IEservicesSettings, prefix=PREFIX)

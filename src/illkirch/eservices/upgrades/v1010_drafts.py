"""1009 → 1010: drafts of requests (#17).

Drafts are kept in an annotation of each household (``drafts.store``):
no type, no workflow, no catalog index to add. The settings' two new
records (``draft_expiry_days``, ``draft_reminder_days``) are registered
with their defaults; the existing settings keep their values.
"""

from illkirch.eservices.interfaces import IEservicesSettings
from plone.registry.interfaces import IRegistry
from zope.component import getUtility


PREFIX = "illkirch.eservices"


def draft_settings(context):
    """Register the drafts' settings (existing values kept)."""
    getUtility(IRegistry).registerInterface(IEservicesSettings, prefix=PREFIX)

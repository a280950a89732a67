"""1009 → 1010: « Dites-le-nous une fois » (#17).

- The reusable document types (``illkirch.eservices.document_types``)
  become a registry record with their defaults (justificatif de domicile
  3 months, livret de famille 120…); the existing settings keep their
  values.
- Nothing else is stored before the first use: a supporting document
  without ``reusable_type`` reads the field's default (none), a service
  without prefilling mapping prefills nothing, a household without locker
  has no document in it.
"""

from illkirch.eservices.interfaces import IEservicesSettings
from plone.registry.interfaces import IRegistry
from zope.component import getUtility


PREFIX = "illkirch.eservices"


def document_types(context):
    """Register the settings' new record (existing values kept)."""
    getUtility(IRegistry).registerInterface(IEservicesSettings, prefix=PREFIX)

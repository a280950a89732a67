"""1013 → 1014: every uploaded file scanned by ClamAV's daemon (#21,
docs/deployment.md « Antivirus »).

- The antivirus settings (``illkirch.eservices.antivirus.*``) become
  registry records: on, with Debian's daemon's socket as the address when
  a daemon answers there (``files.use_local_daemon``), else none (nothing
  is scanned until the administrator gives one in the control panel).
- The « Antivirus » control panel appears in Site Setup.
"""

from illkirch.eservices.antivirus import files
from illkirch.eservices.interfaces import ANTIVIRUS_PREFIX
from illkirch.eservices.interfaces import IAntivirusSettings
from plone.registry.interfaces import IRegistry
from zope.component import getUtility


def antivirus_settings(context):
    # registerInterface adds the missing records and keeps the others' values
    getUtility(IRegistry).registerInterface(IAntivirusSettings, prefix=ANTIVIRUS_PREFIX)
    if files.use_local_daemon():
        # the files received before: scanned too, instead of held
        files.scan_unscanned_later()
    # the « Antivirus » configlet
    context.runImportStepFromProfile(
        "profile-illkirch.eservices:default", "controlpanel"
    )

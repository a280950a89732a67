"""The « Antivirus » control panel (Site Setup, site administrators, #21):
the settings of the scan of every uploaded file (``interfaces.
IAntivirusSettings``, ``antivirus/files.py``, docs/deployment.md), checked
when saved: the daemon's address must be one (``Scanner.from_address``)
and the largest file sent to it at least the largest file a citizen may
send (``max_attachment_mb``).

Above the form, the daemon's state asked live (its version, or that it
does not answer) and how many files wait for their scan; the button
« Analyser les fichiers reçus sans analyse » queues the scan of the files
received while the antivirus was off (``files.start_unscanned``, a job of
the background queue; a POST protected against CSRF).
"""

from illkirch.eservices import _
from illkirch.eservices import jobs
from illkirch.eservices.antivirus import files
from illkirch.eservices.antivirus.scanner import Scanner
from illkirch.eservices.interfaces import ANTIVIRUS_PREFIX
from illkirch.eservices.interfaces import IAntivirusSettings
from plone import api
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.protect import CheckAuthenticator
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from z3c.form.interfaces import WidgetActionExecutionError
from zope.interface import Invalid

import logging


logger = logging.getLogger(__name__)

VIEW_NAME = "antivirus-settings"
SCAN_BUTTON = "antivirus-scan-unscanned"
BAD_ADDRESS = _(
    "error_antivirus_address",
    default="This is not an address of ClamAV's daemon: give its Unix socket "
    "(/run/clamav/clamd.ctl or unix:///run/clamav/clamd.ctl) or its TCP "
    "address (tcp://127.0.0.1:3310).",
)
SCAN_QUEUED = _(
    "status_antivirus_unscanned_queued",
    default="The scan of the files received without a scan has been queued: "
    "they stay « en cours d'analyse » until ClamAV finds them clean.",
)
SCAN_INACTIVE = _(
    "status_antivirus_inactive",
    default="The antivirus is off (or has no daemon address): nothing was queued.",
)


def too_small(largest_upload):
    return _(
        "error_antivirus_max_stream_mb",
        default="At least ${size} MB: the largest file a citizen may send "
        "(Citizen portal settings).",
        mapping={"size": largest_upload},
    )


class AntivirusSettingsForm(RegistryEditForm):
    schema = IAntivirusSettings
    schema_prefix = ANTIVIRUS_PREFIX
    label = _("heading_antivirus_settings", default="Antivirus")
    description = _(
        "help_antivirus_settings",
        default="Every file a citizen sends is scanned by ClamAV's daemon "
        "(clamd) before anyone opens it; until then it is « en cours "
        "d'analyse ». The daemon's signatures are kept up to date by "
        "freshclam on the server (docs/deployment.md).",
    )

    def applyChanges(self, data):
        address = (data.get("address") or "").strip()
        if address:
            try:
                Scanner.from_address(address)
            except ValueError:
                raise WidgetActionExecutionError(
                    "address", Invalid(BAD_ADDRESS)
                ) from None
        data["address"] = address
        largest = api.portal.get_registry_record(
            "illkirch.eservices.max_attachment_mb", default=None
        )
        size = data.get("max_stream_mb")
        if largest and size is not None and size < largest:
            raise WidgetActionExecutionError(
                "max_stream_mb", Invalid(too_small(largest))
            )
        was_active = files.is_active()
        changes = super().applyChanges(data)
        if not was_active:
            # switched on: the files received meanwhile are scanned too
            files.scan_unscanned_later()
        return changes


class AntivirusControlPanel(ControlPanelFormWrapper):
    form = AntivirusSettingsForm
    index = ViewPageTemplateFile("antivirus.pt")
    scan_button = SCAN_BUTTON

    def __call__(self):
        if self.request.method == "POST" and SCAN_BUTTON in self.request.form:
            CheckAuthenticator(self.request)
            messages = IStatusMessage(self.request)
            if files.is_active():
                jobs.enqueue(files.start_unscanned)
                logger.info("scan of the files received unscanned queued")
                messages.add(SCAN_QUEUED, "info")
            else:
                messages.add(SCAN_INACTIVE, "warning")
            self.request.response.redirect(self.url())
            return ""
        return super().__call__()

    def url(self):
        return f"{api.portal.get().absolute_url()}/@@{VIEW_NAME}"

    def state(self):
        """The daemon's state and the files waiting, asked now."""
        active = files.is_active()
        return {
            "active": active,
            "version": files.daemon_version(),
            "address": (files.setting("address") or "").strip(),
            "waiting": files.waiting_count(),
        }

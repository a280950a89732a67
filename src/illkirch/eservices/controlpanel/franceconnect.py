"""The « FranceConnect » control panel (Site Setup, site administrators):
the provider, the client, whether FranceConnect is offered and the return
addresses of the applications using the REST API (Volto, mobile: one per
line, absolute http(s) addresses without fragment, compared exactly)
(``interfaces.IFranceConnectSettings``, docs/franceconnect.md).

The client secret is a password field: never shown again, and a form saved
with it left empty keeps the current one.
"""

from illkirch.eservices import _
from illkirch.eservices.interfaces import FRANCECONNECT_PREFIX
from illkirch.eservices.interfaces import IFranceConnectSettings
from plone import api
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.z3cform import layout


class FranceConnectSettingsForm(RegistryEditForm):
    schema = IFranceConnectSettings
    schema_prefix = FRANCECONNECT_PREFIX
    label = _("heading_franceconnect_settings", default="FranceConnect")
    description = _(
        "help_franceconnect_settings",
        default="Login with FranceConnect: the citizen's identity is verified "
        "by the State's service. The redirect URI to register in "
        "FranceConnect's partner space is the site's address followed by "
        "/franceconnect-callback, and its post-logout URI the site's "
        "address; register there too each application address listed below "
        "(Volto, mobile).",
    )

    def updateWidgets(self):
        super().updateWidgets()
        # never sent back to the browser (z3c.form's password widget would)
        self.widgets["client_secret"].value = ""

    def applyChanges(self, data):
        if not data.get("client_secret"):
            data["client_secret"] = api.portal.get_registry_record(
                f"{FRANCECONNECT_PREFIX}.client_secret", default=None
            )
        return super().applyChanges(data)


FranceConnectControlPanel = layout.wrap_form(
    FranceConnectSettingsForm, ControlPanelFormWrapper
)

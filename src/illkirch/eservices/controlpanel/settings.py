"""The "Espace citoyen" control panel (Site Setup)."""

from illkirch.eservices import _
from illkirch.eservices.interfaces import IEservicesSettings
from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.z3cform import layout
from zope.component import adapter
from zope.interface import Interface


class SettingsForm(RegistryEditForm):
    schema = IEservicesSettings
    schema_prefix = "illkirch.eservices"
    label = _("heading_settings", default="Citizen portal settings")
    description = _(
        "help_settings_logo",
        default="The town's logo is Plone's « Site logo » (Site Setup → Site); "
        "without one, the demo town's logo is shown. The town's name below is "
        "the logo's text alternative.",
    )


SettingsControlPanel = layout.wrap_form(SettingsForm, ControlPanelFormWrapper)


@adapter(Interface, IIllkirchEservicesLayer)
class SettingsRestControlpanel(RegistryConfigletPanel):
    """The same settings through ``/@controlpanels/eservices-settings``."""

    schema = IEservicesSettings
    schema_prefix = "illkirch.eservices"
    configlet_id = "illkirch-eservices-settings"
    configlet_category_id = "plone-general"

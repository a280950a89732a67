"""Install and uninstall of the add-on's default profile (pytest-plone)."""

from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from illkirch.eservices.testing.profile import profile_version
from plone import api
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

import pytest


TYPES = (
    "FAQ",
    "FAQQuestion",
    "HouseholdFolder",
    "Household",
    "Person",
    "Service",
    "SupportingDocument",
    "Request",
    "RequestFolder",
    "RegieFolder",
    "Regie",
    "Invoice",
    "Payment",
)
ROLES = ("Agent", "Finance", "Supervisor", "RequestProcessor")
GROUPS = {
    "Agents": ("Agents", "Agent"),
    "Regies": ("Régies", "Finance"),
    "Responsables": ("Responsables", "Supervisor"),
}
SETTINGS = (
    "town_name",
    "postal_address",
    "phone",
    "opening_hours",
    "accessibility_page",
    "accessibility_compliance",
    "legal_notice_page",
    "personal_data_page",
    "contact_email",
    "service_categories",
    "max_attachment_mb",
    "max_request_attachments_mb",
    "document_css",
)
BUNDLE = "plone.bundles/illkirch-eservices.csscompilation"


def roles_with(portal, permission):
    return {r["name"] for r in portal.rolesOfPermission(permission) if r["selected"]}


class TestSetupInstall:
    def test_addon_installed(self, installer, package_name):
        assert installer.is_product_installed(package_name) is True

    def test_latest_version(self, profile_last_version, setup_tool, package_name):
        """The profile version in metadata.xml, and the site is at it (the
        one place that names it: the other tests read ``profile_version``)."""
        assert profile_last_version(f"{package_name}:default") == "1021"
        assert profile_version() == "1021"
        assert setup_tool.getVersionForProfile(f"{package_name}:default") == "1021"

    def test_browserlayer(self, browser_layers):
        assert IIllkirchEservicesLayer in browser_layers

    @pytest.mark.parametrize("name", TYPES)
    def test_type_registered(self, get_fti, name):
        assert get_fti(name) is not None

    def test_type_constraints(self, get_fti):
        assert get_fti("FAQ").global_allow is True
        assert get_fti("FAQQuestion").global_allow is False
        assert get_fti("FAQ").allowed_content_types == ("FAQQuestion",)

    @pytest.mark.parametrize("role", ROLES)
    def test_role_on_site_and_in_pas(self, portal, role):
        assert role in portal.validRoles()
        assert role in portal.acl_users.portal_role_manager.listRoleIds()

    @pytest.mark.parametrize("group_id", GROUPS)
    def test_group_carries_its_role(self, portal, group_id):
        title, role = GROUPS[group_id]
        group = api.group.get(groupname=group_id)
        assert group is not None
        assert group.getProperty("title") == title
        assert role in api.group.get_roles(groupname=group_id)

    def test_group_member_gets_the_role(self, portal):
        api.user.create(email="a@example.org", username="agent1", password="x" * 12)
        api.group.add_user(groupname="Agents", username="agent1")
        roles = api.user.get_roles(username="agent1")
        assert "Agent" in roles
        assert "Finance" not in roles

    def test_registry_records(self, portal, package_name):
        registry = getUtility(IRegistry)
        for name in SETTINGS:
            assert f"{package_name}.{name}" in registry.records
        assert registry[f"{package_name}.town_name"] == "Ville d'Illkirch-Graffenstaden"
        assert registry[BUNDLE] == "++plone++illkirch.eservices/eservices.css"

    def test_controlpanel(self, controlpanel_actions):
        assert "illkirch-eservices-settings" in controlpanel_actions

    @pytest.mark.portal(roles=["Manager"])
    def test_households_folder(self, portal):
        folder = portal["foyers"]
        assert folder.portal_type == "HouseholdFolder"
        assert api.content.get_state(folder) == "internal"
        assert folder.exclude_from_nav

    def test_workflows(self, portal):
        chains = dict(portal.portal_workflow.listChainOverrides())
        assert chains["Household"] == ("household_workflow",)
        assert chains["HouseholdFolder"] == ("household_folder_workflow",)
        assert chains["Person"] == ()

    @pytest.mark.portal(roles=["Manager"])
    def test_upgrade_from_1000(self, portal, setup_tool, package_name):
        profile = f"{package_name}:default"
        portal._delObject("foyers")  # a site installed at 1000 had none
        setup_tool.setLastVersionForProfile(profile, "1000")
        assert setup_tool.listUpgrades(profile)  # every step from 1000 on
        setup_tool.upgradeProfile(profile)
        assert setup_tool.getLastVersionForProfile(profile) == (profile_version(),)
        assert portal["foyers"].portal_type == "HouseholdFolder"

    def test_upgrade_from_1001(self, portal, setup_tool, package_name):
        """A site of the accounts release gets the services and requests."""
        from plone import api

        profile = f"{package_name}:default"
        types = portal.portal_types
        for type_id in ("Service", "SupportingDocument", "Request"):
            types._delObject(type_id)
        portal.portal_workflow._delObject("request_workflow")
        catalog = portal.portal_catalog
        catalog.delIndex("request_number")
        setup_tool.setLastVersionForProfile(profile, "1001")
        setup_tool.upgradeProfile(profile)
        assert setup_tool.getLastVersionForProfile(profile) == (profile_version(),)
        assert {"Service", "SupportingDocument", "Request"} <= set(types.objectIds())
        assert portal.portal_workflow.getChainForPortalType("Request") == (
            "request_workflow",
        )
        assert "request_number" in catalog.indexes()
        assert (
            api.portal.get_registry_record("illkirch.eservices.max_attachment_mb") == 10
        )
        assert "RequestProcessor" in portal.acl_users.portal_role_manager.listRoleIds()

    def test_upgrade_from_1002(self, portal, setup_tool, package_name):
        """A site of the requests release gets the Guichet's indexes, the
        folder of account-less requests and the « Envoyée » status."""
        profile = f"{package_name}:default"
        portal._delObject("demandes")
        portal.portal_types._delObject("RequestFolder")
        catalog = portal.portal_catalog
        for index in ("request_assignee", "request_due", "request_names"):
            catalog.delIndex(index)
        workflow = portal.portal_workflow["request_workflow"]
        workflow.states.deleteStates(["sent"])
        setup_tool.setLastVersionForProfile(profile, "1002")
        setup_tool.upgradeProfile(profile)
        assert setup_tool.getLastVersionForProfile(profile) == (profile_version(),)
        assert portal["demandes"].portal_type == "RequestFolder"
        for index in ("request_assignee", "request_due", "request_names"):
            assert index in catalog.indexes()
        assert "sent" in portal.portal_workflow["request_workflow"].states.objectIds()

    @pytest.mark.portal(roles=["Manager"])
    def test_upgrade_from_1004(self, portal, setup_tool, package_name):
        """A site of the invoices release gets the billing account index,
        filled from its households."""
        profile = f"{package_name}:default"
        household = api.content.create(
            container=portal["foyers"],
            type="Household",
            id="foyer-upgrade",
            title="Foyer",
            billing_account="ILK-004242",
        )
        catalog = portal.portal_catalog
        catalog.delIndex("household_billing_account")
        setup_tool.setLastVersionForProfile(profile, "1004")
        setup_tool.upgradeProfile(profile)
        assert setup_tool.getLastVersionForProfile(profile) == (profile_version(),)
        found = catalog.unrestrictedSearchResults(
            household_billing_account="ILK-004242"
        )
        assert [brain.getObject() for brain in found] == [household]

    @pytest.mark.portal(roles=["Manager"])
    def test_upgrade_from_1007(self, portal, setup_tool, package_name):
        """A site of #14 gets the FAQ inside its navigation, the citizens'
        user menu and Plone's dashboard for the staff only (#15)."""
        from plone.base.interfaces import INavigationRoot

        profile = f"{package_name}:default"
        fti = portal.portal_types.FAQ
        fti._updateProperty("behaviors", (*fti.behaviors, "plone.navigationroot"))
        faq = api.content.create(container=portal, type="FAQ", id="aide", title="Aide")
        assert INavigationRoot.providedBy(faq)
        user = portal.portal_actions.user
        user._delObject("mon-compte")
        user.preferences._updateProperty("permissions", ("View",))
        user.login._updateProperty("modal", "{}")
        for permission in ("Portlets: View dashboard", "Portlets: Manage own portlets"):
            portal.manage_permission(permission, ["Manager", "Member"], acquire=True)
        setup_tool.setLastVersionForProfile(profile, "1007")
        setup_tool.upgradeProfile(profile)
        assert setup_tool.getLastVersionForProfile(profile) == (profile_version(),)
        assert "plone.navigationroot" not in portal.portal_types.FAQ.behaviors
        assert not INavigationRoot.providedBy(portal["aide"])
        assert "mon-compte" in user.objectIds()
        assert user.preferences.permissions == ("Set own properties",)
        assert not user.login.modal
        assert "Member" not in roles_with(portal, "Portlets: View dashboard")
        assert "Agent" in roles_with(portal, "Portlets: Manage own portlets")

    @pytest.mark.portal(roles=["Manager"])
    def test_upgrade_from_1008(self, portal, setup_tool, package_name):
        """A site of #15 gets « Mes notifications » in the agents' user menu
        (#16); its services read the default reminders' days."""
        profile = f"{package_name}:default"
        user = portal.portal_actions.user
        user._delObject("mes-notifications")
        setup_tool.setLastVersionForProfile(profile, "1008")
        setup_tool.upgradeProfile(profile)
        assert setup_tool.getLastVersionForProfile(profile) == (profile_version(),)
        ids = user.objectIds()
        assert ids.index("guichet") < ids.index("mes-notifications")
        assert user["mes-notifications"].permissions == (
            "illkirch.eservices: Use guichet",
        )

    def test_user_action(self, portal):
        assert "mon-espace" in portal.portal_actions.user.objectIds()

    def test_catalog_index(self, portal):
        assert "household_holder" in portal.portal_catalog.indexes()

    def test_faq_in_navigation(self, portal):
        displayed = api.portal.get_registry_record("plone.displayed_types")
        assert "FAQ" in displayed
        assert "Document" in displayed

    def test_faq_not_a_navigation_root(self, get_fti):
        assert "plone.navigationroot" not in get_fti("FAQ").behaviors

    def test_citizens_user_menu(self, portal):
        user = portal.portal_actions.user
        ids = user.objectIds()
        assert ids.index("mon-espace") + 1 == ids.index("mon-compte")
        assert user.preferences.permissions == ("Set own properties",)
        assert not user.login.modal  # the login page, not a modal
        assert "Member" not in roles_with(portal, "Portlets: View dashboard")
        assert "Member" not in roles_with(portal, "Portlets: Manage own portlets")

    def test_permissions(self, portal):
        assert roles_with(portal, "illkirch.eservices: Use citizen area") == {
            "Authenticated"
        }
        assert roles_with(portal, "illkirch.eservices: Add FAQ Question") == {
            "Manager",
            "Site Administrator",
            "Owner",
            "Contributor",
        }

    def test_toolbar_for_staff_only(self, portal):
        roles = roles_with(portal, "Show Toolbar")
        assert "Authenticated" not in roles
        assert "Member" not in roles
        assert {"Manager", "Editor", "Agent", "Finance"} <= roles

    def test_reinstall_keeps_one_group_each(self, portal, installer, package_name):
        for _ in range(2):
            installer.uninstall_product(package_name)
            installer.install_product(package_name)
        group_ids = [g.getId() for g in api.group.get_groups()]
        for group_id in GROUPS:
            assert group_ids.count(group_id) == 1


class TestSetupUninstall:
    @pytest.fixture(autouse=True)
    def uninstalled(self, uninstalled):
        """The add-on is uninstalled for every test of this class."""

    def test_addon_uninstalled(self, installer, package_name):
        assert installer.is_product_installed(package_name) is False

    def test_browserlayer_removed(self, browser_layers):
        assert IIllkirchEservicesLayer not in browser_layers

    @pytest.mark.parametrize("name", TYPES)
    def test_type_removed(self, get_fti, name):
        assert get_fti(name) is None

    @pytest.mark.parametrize("role", ROLES)
    def test_role_removed(self, portal, role):
        assert role not in portal.validRoles()
        assert role not in portal.acl_users.portal_role_manager.listRoleIds()

    @pytest.mark.parametrize("group_id", GROUPS)
    def test_group_removed(self, portal, group_id):
        assert api.group.get(groupname=group_id) is None

    def test_registry_records_removed(self, portal, package_name):
        registry = getUtility(IRegistry)
        for name in SETTINGS:
            assert f"{package_name}.{name}" not in registry.records
        assert BUNDLE not in registry.records

    def test_controlpanel_removed(self, controlpanel_actions):
        assert "illkirch-eservices-settings" not in controlpanel_actions
        assert "illkirch-eservices-document-preview" not in controlpanel_actions

    def test_user_action_removed(self, portal):
        user = portal.portal_actions.user
        assert "mon-espace" not in user.objectIds()
        assert "mon-compte" not in user.objectIds()
        assert user.preferences.permissions == ("View",)
        assert user.login.modal == "{}"
        assert "Member" in roles_with(portal, "Portlets: View dashboard")

    def test_faq_out_of_navigation(self, portal):
        displayed = api.portal.get_registry_record("plone.displayed_types")
        assert "FAQ" not in displayed
        assert "Document" in displayed

    def test_workflows_removed(self, portal):
        for workflow in (
            "household_workflow",
            "household_folder_workflow",
            "request_workflow",
            "invoice_workflow",
            "payment_workflow",
            "regie_workflow",
        ):
            assert workflow not in portal.portal_workflow.objectIds()

    def test_catalog_index_removed(self, portal):
        for index in ("household_holder", "request_number", "service_uid"):
            assert index not in portal.portal_catalog.indexes()
        assert "request_number" not in portal.portal_catalog.schema()

    def test_toolbar_permission_restored(self, portal):
        assert roles_with(portal, "Show Toolbar") == {"Authenticated"}

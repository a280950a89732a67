"""Install and uninstall of the add-on's default profile."""

from illkirch.eservices.testing import INTEGRATION_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.base.utils import get_installer
from plone.browserlayer import utils as layer_utils
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

import unittest


PACKAGE = "illkirch.eservices"
TYPES = ("FAQ", "FAQQuestion")
ROLES = ("Agent", "Finance")
GROUPS = {"Agents": ("Agents", "Agent"), "Regies": ("Régies", "Finance")}
SETTINGS = ("town_name", "postal_address", "contact_email")


def configlet_ids(portal):
    return [a.getAction(portal)["id"]
            for a in portal.portal_controlpanel.listActions()]


def roles_with(portal, permission):
    return {r["name"] for r in portal.rolesOfPermission(permission) if r["selected"]}


class TestInstall(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.installer = get_installer(self.portal, self.layer["request"])

    def test_product_installed(self):
        self.assertTrue(self.installer.is_product_installed(PACKAGE))

    def test_profile_version(self):
        setup = self.portal.portal_setup
        self.assertEqual(
            setup.getLastVersionForProfile(f"{PACKAGE}:default"), ("1000",)
        )
        self.assertEqual(setup.getVersionForProfile(f"{PACKAGE}:default"), "1000")

    def test_browserlayer(self):
        from illkirch.eservices.interfaces import IIllkirchEservicesLayer

        self.assertIn(IIllkirchEservicesLayer, layer_utils.registered_layers())

    def test_types(self):
        types = self.portal.portal_types
        for name in TYPES:
            self.assertIn(name, types.objectIds())
        self.assertTrue(types["FAQ"].global_allow)
        self.assertFalse(types["FAQQuestion"].global_allow)
        self.assertEqual(types["FAQ"].allowed_content_types, ("FAQQuestion",))

    def test_roles_on_site_and_in_pas(self):
        role_manager = self.portal.acl_users.portal_role_manager
        for role in ROLES:
            self.assertIn(role, self.portal.validRoles())
            self.assertIn(role, role_manager.listRoleIds())

    def test_groups_carry_the_roles(self):
        for group_id, (title, role) in GROUPS.items():
            group = api.group.get(groupname=group_id)
            self.assertIsNotNone(group, group_id)
            self.assertEqual(group.getProperty("title"), title)
            self.assertIn(role, api.group.get_roles(groupname=group_id))

    def test_group_member_gets_the_role(self):
        api.user.create(email="a@example.org", username="agent1", password="x" * 12)
        api.group.add_user(groupname="Agents", username="agent1")
        self.assertIn("Agent", api.user.get_roles(username="agent1"))
        self.assertNotIn("Finance", api.user.get_roles(username="agent1"))

    def test_registry_records(self):
        registry = getUtility(IRegistry)
        for name in SETTINGS:
            self.assertIn(f"{PACKAGE}.{name}", registry.records)
        self.assertEqual(
            registry[f"{PACKAGE}.town_name"], "Ville d'Illkirch-Graffenstaden"
        )

    def test_controlpanel(self):
        self.assertIn("illkirch-eservices-settings", configlet_ids(self.portal))

    def test_user_action(self):
        self.assertIn("mon-espace", self.portal.portal_actions.user.objectIds())

    def test_permissions(self):
        self.assertEqual(
            roles_with(self.portal, "illkirch.eservices: Use citizen area"),
            {"Authenticated"},
        )
        self.assertEqual(
            roles_with(self.portal, "illkirch.eservices: Add FAQ Question"),
            {"Manager", "Site Administrator", "Owner", "Contributor"},
        )

    def test_toolbar_for_staff_only(self):
        roles = roles_with(self.portal, "Show Toolbar")
        self.assertNotIn("Authenticated", roles)
        self.assertNotIn("Member", roles)
        self.assertTrue({"Manager", "Editor", "Agent", "Finance"} <= roles)

    def test_stylesheet_bundle(self):
        registry = getUtility(IRegistry)
        self.assertEqual(
            registry["plone.bundles/illkirch-eservices.csscompilation"],
            "++plone++illkirch.eservices/eservices.css",
        )

    def test_faq_in_navigation(self):
        self.assertIn("FAQ", api.portal.get_registry_record("plone.displayed_types"))
        self.assertIn("Document",
                      api.portal.get_registry_record("plone.displayed_types"))

    def test_reinstall_keeps_one_group_each(self):
        self.installer.uninstall_product(PACKAGE)
        self.installer.install_product(PACKAGE)
        self.installer.uninstall_product(PACKAGE)
        self.installer.install_product(PACKAGE)
        group_ids = [g.getId() for g in api.group.get_groups()]
        for group_id in GROUPS:
            self.assertEqual(group_ids.count(group_id), 1)


class TestUninstall(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.installer = get_installer(self.portal, self.layer["request"])
        self.installer.uninstall_product(PACKAGE)

    def test_product_uninstalled(self):
        self.assertFalse(self.installer.is_product_installed(PACKAGE))

    def test_browserlayer_removed(self):
        from illkirch.eservices.interfaces import IIllkirchEservicesLayer

        self.assertNotIn(IIllkirchEservicesLayer, layer_utils.registered_layers())

    def test_types_removed(self):
        for name in TYPES:
            self.assertNotIn(name, self.portal.portal_types.objectIds())

    def test_roles_removed(self):
        role_manager = self.portal.acl_users.portal_role_manager
        for role in ROLES:
            self.assertNotIn(role, self.portal.validRoles())
            self.assertNotIn(role, role_manager.listRoleIds())

    def test_groups_removed(self):
        for group_id in GROUPS:
            self.assertIsNone(api.group.get(groupname=group_id))

    def test_registry_records_removed(self):
        registry = getUtility(IRegistry)
        for name in SETTINGS:
            self.assertNotIn(f"{PACKAGE}.{name}", registry.records)

    def test_stylesheet_bundle_removed(self):
        registry = getUtility(IRegistry)
        self.assertNotIn("plone.bundles/illkirch-eservices.csscompilation",
                         registry.records)

    def test_faq_out_of_navigation(self):
        displayed = api.portal.get_registry_record("plone.displayed_types")
        self.assertNotIn("FAQ", displayed)
        self.assertIn("Document", displayed)

    def test_toolbar_permission_restored(self):
        self.assertEqual(roles_with(self.portal, "Show Toolbar"), {"Authenticated"})

    def test_controlpanel_removed(self):
        self.assertNotIn("illkirch-eservices-settings", configlet_ids(self.portal))

    def test_user_action_removed(self):
        self.assertNotIn("mon-espace", self.portal.portal_actions.user.objectIds())

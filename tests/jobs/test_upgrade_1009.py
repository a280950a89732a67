"""1008 → 1009 (#16): « Importer des factures » in the user menu of the
Finance role (the page following a background import), no one else's."""

from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.profile import profile_version
from plone.app.testing import login
from plone.app.testing import logout

import unittest


PROFILE = "illkirch.eservices:default"


class TestImportAction(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]

    def user_actions(self, user):
        login(self.portal, user)
        self.addCleanup(logout)
        actions = self.portal.portal_actions.listFilteredActionsFor(self.portal)
        return {action["id"]: action["url"] for action in actions["user"]}

    def test_finance_sees_the_import_page_in_its_menu(self):
        actions = self.user_actions("agent.regie")
        self.assertEqual(
            actions["importer-factures"],
            f"{self.portal.absolute_url()}/@@import-factures",
        )

    def test_citizens_and_agents_do_not(self):
        for user in ("amélie.lire", "agent.accueil"):
            self.assertNotIn("importer-factures", self.user_actions(user), user)

    def test_upgrade_adds_the_action(self):
        category = self.portal.portal_actions.user
        category.manage_delObjects(["importer-factures"])
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1008")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))
        self.assertIn("importer-factures", category.objectIds())
        ids = list(category.objectIds())
        self.assertEqual(ids.index("importer-factures"), ids.index("guichet") + 1)

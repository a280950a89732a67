"""1010 → 1011 (#19): the role « Responsable » and its permission, the
group « Responsables », and the aggregates counted from the existing
content (requests filed and processed before the statistics existed)."""

from AccessControl.Permission import Permission
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import queue
from illkirch.eservices.roles import SUPERVISOR_ROLE
from illkirch.eservices.statistics import recording
from illkirch.eservices.statistics import store
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.conversation import AGENT_ID
from illkirch.eservices.testing.conversation import file_request
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.testing.statistics import snapshot
from plone import api
from plone.app.testing import login
from plone.app.testing import logout

import unittest


PROFILE = "illkirch.eservices:default"
PERMISSION = "illkirch.eservices: View statistics"


class TestUpgrade1011(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.addCleanup(logout)

    def as_before_1011(self):
        """Requests filed and decided, then everything #19 added removed:
        the aggregates, the marks on the objects, the group, the role."""
        self.filed = file_request(self.portal)
        self.decided = file_request(self.portal)
        login(self.portal, AGENT_ID)
        self.decided.assignee = AGENT_ID
        processing.fire(self.decided, "mark_complete")
        processing.fire(self.decided, "accept")
        logout()
        self.expected = snapshot()
        del self.portal.__annotations__[store.KEY]
        catalog = api.portal.get_tool("portal_catalog")
        for portal_type in ("Request", "Payment", "Household"):
            for brain in catalog.unrestrictedSearchResults(portal_type=portal_type):
                obj = brain._unrestrictedGetObject()
                for name in (
                    recording.COUNTED,
                    recording.DECIDED,
                    recording.ENDED,
                    recording.REGISTERED,
                    recording.VALIDATED,
                ):
                    vars(obj).pop(name, None)
                obj._p_changed = True
        api.group.delete(groupname="Responsables")
        self.portal.portal_actions.user.manage_delObjects(["tableau-de-bord"])
        Permission(PERMISSION, (), self.portal).setRoles(
            ["Manager", "Site Administrator", "Agent"]
        )
        role_manager = self.portal.acl_users.portal_role_manager
        role_manager.removeRole(SUPERVISOR_ROLE)
        self.portal.__ac_roles__ = tuple(
            r for r in self.portal.__ac_roles__ if r != SUPERVISOR_ROLE
        )

    def test_the_step_is_registered_from_1010_to_1011(self):
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1010")
        # a group of steps (``upgradeSteps``) is listed as a list of them
        listed = setup.listUpgrades(PROFILE)
        steps = [
            (step["source"], step["dest"], step["title"])
            for item in listed
            for step in (item if isinstance(item, list) else [item])
            if step["source"] == ("1010",)
        ]
        self.assertEqual(len(steps), 1)
        self.assertEqual(steps[0][:2], (("1010",), ("1011",)))
        self.assertIn("Statistics", steps[0][2])

    def test_upgrade_adds_the_role_its_group_and_counts_the_content(self):
        self.as_before_1011()
        self.assertIsNone(store.get(create=False))
        # before the upgrade the Guichet counts by searching
        self.assertIsNone(queue.kept_counts(queue.Filters(), None))

        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1010")
        setup.upgradeProfile(PROFILE, dest="1011")
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), ("1011",))

        self.assertIn(SUPERVISOR_ROLE, self.portal.validRoles())
        self.assertIn(
            SUPERVISOR_ROLE, self.portal.acl_users.portal_role_manager.listRoleIds()
        )
        self.assertIn(
            SUPERVISOR_ROLE, Permission(PERMISSION, (), self.portal).getRoles()
        )
        group = api.group.get(groupname="Responsables")
        self.assertEqual(group.getProperty("title"), "Responsables")
        action = self.portal.portal_actions.user["tableau-de-bord"]
        self.assertEqual(action.permissions, ("illkirch.eservices: View statistics",))
        self.assertIn(
            "Show Toolbar",
            [
                p["name"]
                for p in self.portal.permissionsOfRole(SUPERVISOR_ROLE)
                if p["selected"]
            ],
        )
        self.assertIn(SUPERVISOR_ROLE, api.group.get_roles(groupname="Responsables"))
        # the aggregates, as the events had kept them
        self.assertEqual(snapshot(), self.expected)
        self.assertEqual(getattr(self.filed, recording.COUNTED), self.filed.service_uid)
        _day, fact = getattr(self.decided, recording.DECIDED)
        self.assertEqual(fact[2:4], (AGENT_ID, "accepted"))
        kept = queue.kept_counts(queue.Filters(), None)
        self.assertEqual(kept["submitted"], 1)
        self.assertEqual(kept["accepted"], 1)
        # and from now on the events keep them
        login(self.portal, AGENT_ID)
        processing.fire(self.filed, "mark_complete")
        kept = queue.kept_counts(queue.Filters(), None)
        self.assertEqual((kept["submitted"], kept["complete"]), (0, 1))

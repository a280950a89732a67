"""1009 → 1010 (#17): « Write request messages » in request_workflow; the
existing requests get it (their citizen until refused or closed, the
agents always)."""

from AccessControl.Permission import Permission
from illkirch.eservices.conversation import messages
from illkirch.eservices.requests import processing
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.conversation import AGENT_ID
from illkirch.eservices.testing.conversation import CITIZEN_LOGIN
from illkirch.eservices.testing.conversation import file_request
from illkirch.eservices.testing.profile import profile_version
from illkirch.eservices.testing.site import use_mock_mailhost
from plone.app.testing import login

import unittest


PROFILE = "illkirch.eservices:default"


class TestUpgrade(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)

    def test_workflow_gives_the_permission_per_status(self):
        request_obj = file_request(self.portal)
        workflow = self.portal.portal_workflow.getWorkflowById("request_workflow")
        self.assertIn(messages.WRITE_PERMISSION, workflow.permissions)
        for state in workflow.states.objectValues():
            roles = state.getPermissionInfo(messages.WRITE_PERMISSION)["roles"]
            self.assertIn("RequestProcessor", roles, state.id)
            self.assertEqual(
                "Owner" in roles, state.id not in ("rejected", "closed"), state.id
            )
        self.assertTrue(messages.may_write(request_obj))

    def test_upgrade_gives_the_existing_requests_the_permission(self):
        open_request = file_request(self.portal)
        refused = file_request(self.portal)
        login(self.portal, AGENT_ID)
        processing.fire(refused, "mark_complete")
        processing.fire(refused, "reject", "Hors délai.")
        # as before 1010: the workflow did not manage the permission
        workflow = self.portal.portal_workflow.getWorkflowById("request_workflow")
        workflow.permissions = tuple(
            p for p in workflow.permissions if p != messages.WRITE_PERMISSION
        )
        for state in workflow.states.objectValues():
            state.permission_roles.pop(messages.WRITE_PERMISSION, None)
        for obj in (open_request, refused, self.portal):
            Permission(messages.WRITE_PERMISSION, (), obj).setRoles([])
        login(self.portal, CITIZEN_LOGIN)
        self.assertFalse(messages.may_write(open_request))

        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1009")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))

        self.assertTrue(messages.may_write(open_request))
        self.assertFalse(messages.may_write(refused))
        self.assertTrue(messages.is_closed_for_citizen(refused))
        login(self.portal, AGENT_ID)
        self.assertTrue(messages.may_write(open_request))
        self.assertTrue(messages.may_write(refused))

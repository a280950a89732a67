"""The town's agents' groups (issue 13, items 1 and 2): the vocabulary never
offers Plone's own groups, and the 1005 → 1006 upgrade designates the groups
the services use and gives every request to its service's group."""

from illkirch.eservices.requests import processors
from illkirch.eservices.roles import PROCESSOR_ROLE
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.profile import profile_version
from illkirch.eservices.vocabularies.agents_groups import AGENTS_GROUPS_RECORD
from illkirch.eservices.vocabularies.agents_groups import is_agents_group
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles
from plone.dexterity.utils import createContentInContainer
from Products.CMFCore.indexing import processQueue
from zope.component import getUtility
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent
from zope.schema.interfaces import IVocabularyFactory

import os
import time
import transaction
import unittest


class TestAgentsGroups(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.service = self.portal["demarches"]["inscription-periscolaire"]

    def vocabulary(self):
        factory = getUtility(IVocabularyFactory, "illkirch.eservices.AgentsGroups")
        return [term.value for term in factory(self.service)]

    def test_reserved_groups_are_never_offered(self):
        api.group.create(groupname="chefs", roles=["Site Administrator"])
        api.portal.set_registry_record(
            AGENTS_GROUPS_RECORD,
            [
                "AuthenticatedUsers",
                "Administrators",
                "Site Administrators",
                "Reviewers",
                "Regies",
                "chefs",
                "absent",
                "agents-voirie",
                "Agents",
            ],
        )
        self.assertEqual(self.vocabulary(), ["agents-voirie", "Agents"])
        self.assertFalse(is_agents_group("AuthenticatedUsers"))
        self.assertFalse(is_agents_group("chefs"))
        self.assertTrue(is_agents_group("Agents"))

    def test_upgrade_designates_used_groups_and_moves_roles(self):
        request_obj = createContentInContainer(
            self.portal["demandes"], "Request", checkConstraints=False, id="2026-999999"
        )
        request_obj.service_uid = self.service.UID()
        request_obj.manage_setLocalRoles("agents-voirie", [PROCESSOR_ROLE])
        request_obj.reindexObject()
        # a site before 1006: nothing designated, the roles out of step
        api.portal.set_registry_record(AGENTS_GROUPS_RECORD, ["Agents"])
        delattr(self.service, processors.PROCESSORS_ATTR)
        setup = self.portal.portal_setup
        profile = "illkirch.eservices:default"
        setup.setLastVersionForProfile(profile, "1005")
        setup.upgradeProfile(profile)
        self.assertEqual(setup.getLastVersionForProfile(profile), (profile_version(),))
        self.assertEqual(
            set(api.portal.get_registry_record(AGENTS_GROUPS_RECORD)),
            {"Agents", "agents-enfance", "agents-population", "agents-voirie"},
        )
        self.assertEqual(processors.processor_groups(request_obj), {"agents-enfance"})
        catalog = self.portal.portal_catalog
        (brain,) = catalog.unrestrictedSearchResults(UID=request_obj.UID())
        allowed = catalog._catalog.getIndex("allowedRolesAndUsers").getEntryForObject(
            brain.getRID()
        )
        self.assertIn("user:agents-enfance", allowed)
        self.assertNotIn("user:agents-voirie", allowed)

    def test_a_group_no_longer_designated_loses_its_requests(self):
        request_obj = createContentInContainer(
            self.portal["demandes"], "Request", checkConstraints=False, id="2026-999997"
        )
        request_obj.service_uid = self.service.UID()
        processors.set_processors(request_obj, "agents-enfance")
        request_obj.reindexObject()
        designated = api.portal.get_registry_record(AGENTS_GROUPS_RECORD)
        api.portal.set_registry_record(
            AGENTS_GROUPS_RECORD, [g for g in designated if g != "agents-enfance"]
        )
        self.assertEqual(processors.processor_groups(request_obj), set())
        api.portal.set_registry_record(AGENTS_GROUPS_RECORD, designated)
        self.assertEqual(processors.processor_groups(request_obj), {"agents-enfance"})

    def test_a_service_with_another_group_is_processed_by_managers_only(self):
        request_obj = createContentInContainer(
            self.portal["demandes"], "Request", checkConstraints=False, id="2026-999998"
        )
        request_obj.service_uid = self.service.UID()
        request_obj.manage_setLocalRoles("agents-enfance", [PROCESSOR_ROLE])
        request_obj.reindexObject()
        self.service.agents_group = "AuthenticatedUsers"  # written around the form
        processors.service_modified(self.service, None)
        self.assertEqual(processors.processor_groups(request_obj), set())

    def test_cost_of_a_group_change(self):
        """How long moving a service's requests to another group takes (the
        figure of docs/services.md), when asked for:

            ESERVICES_MEASURE=3000 .venv/bin/pytest -s \\
                tests/integration/test_agents_groups.py -k cost
        """
        if not os.environ.get("ESERVICES_MEASURE"):
            self.skipTest("a measurement: ESERVICES_MEASURE=<number of requests>")
        portal = self.portal
        service = portal["demarches"]["signalement-voie-publique"]
        count = int(os.environ["ESERVICES_MEASURE"])
        folder = portal["demandes"]
        for index in range(count):
            request_obj = createContentInContainer(
                folder, "Request", checkConstraints=False, id=f"2026-{index:06d}"
            )
            request_obj.service_uid = service.UID()
            processors.set_processors(request_obj, "agents-voirie")
            request_obj.reindexObject()
        processQueue()  # the requests' own indexing is not measured
        transaction.savepoint(optimistic=True)
        start = time.perf_counter()
        service.agents_group = "agents-enfance"
        notify(ObjectModifiedEvent(service))
        processQueue()
        transaction.savepoint(optimistic=True)
        elapsed = time.perf_counter() - start
        print(
            f"\n{count} requests moved to another group in {elapsed:.2f} s "
            f"({elapsed / count * 1000:.2f} ms a request)"
        )
        self.assertEqual(
            processors.processor_groups(folder["2026-000000"]), {"agents-enfance"}
        )

"""The queue's page without the restricted search (#22, targets 2 and 3):
``queue.walk_page`` walks the index of the numbers and tests each record on
the indexes' reverse entries (the query, the user's ``allowedRolesAndUsers``
tokens, ``effectiveRange``), its total the count kept per service and
status. For every role and filter it answers, its pages are those of the
restricted search (same items, same order, same total, at the start, in the
middle, at the end and beyond); where the kept count would not be the
restricted search's total, or for other filters, it gives way to the
search. A citizen still finds nothing in the queue."""

from illkirch.eservices.requests import processing
from illkirch.eservices.requests import queue
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import Spy
from illkirch.eservices.testing.requests import file_mixed_queue
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.vocabularies.agents_groups import AGENTS_GROUPS_RECORD
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login
from plone.batching import Batch
from unittest import mock

import unittest


FORMS = (
    {},
    {"sort_order": "ascending"},
    {"sort_on": "number"},
    {"review_state": "submitted"},
    {"review_state": "complete"},
    {"review_state": "accepted"},
    {"service": "rendez-vous-passeport-cni"},
    {"service": "inscription-periscolaire", "review_state": "submitted"},
    {"service": "signalement-voie-publique", "review_state": "submitted"},
)


class TestWalkPage(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        services = self.portal["demarches"]
        self.filed = file_mixed_queue(self.portal, 4)
        login(self.portal, "agent.accueil")
        # statuses mixed along the numbers
        for request_obj in self.filed[0::4]:
            if request_obj.service_uid != services["signalement-voie-publique"].UID():
                processing.fire(request_obj, "mark_complete", "Message")
        processing.fire(self.filed[6], "mark_complete", "Message")
        processing.fire(self.filed[6], "accept", "")
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        api.user.create(
            email="admin.site@illkirch.example",
            username="admin.site",
            roles=("Member", "Site Administrator"),
        )
        self.mailhost.reset()

    def login_as(self, userid):
        if userid == SITE_OWNER_NAME:
            login(self.portal.aq_parent, SITE_OWNER_NAME)
        else:
            login(self.portal, userid)

    def reference(self, filters, start, size):
        """The restricted search's page (no walk)."""
        with mock.patch.object(queue, "walk_page", lambda *args, **kwargs: None):
            found = queue.search(filters, page=(start, size))
        return found

    def page(self, found, start, size):
        return [brain.getRID() for brain in Batch(found, size, start)]

    def compare(self, form, expect_walk=True):
        """The walk's pages against the search's, for every page size and
        start; returns the total."""
        filters = queue.parse(form, queue.queue_services())
        whole = queue.search(filters, sort=True)
        everything = [brain.getRID() for brain in whole]
        total = len(everything)
        starts = {0, 1, 2, total // 2, max(0, total - 2), max(0, total - 1), total}
        starts.add(total + 3)
        for size in (1, 2, 3, 25):
            for start in sorted(starts):
                with self.subTest(form=form, start=start, size=size):
                    spy = Spy(queue.walk_page)
                    with mock.patch.object(queue, "walk_page", spy):
                        walked = queue.search(filters, page=(start, size))
                    if expect_walk:
                        self.assertIsNotNone(spy.returned[0], "the walk answered")
                    else:
                        self.assertEqual(spy.returned, [None], "the search answered")
                    searched = self.reference(filters, start, size)
                    self.assertEqual(walked.actual_result_count, total)
                    self.assertEqual(searched.actual_result_count, total)
                    self.assertEqual(
                        self.page(walked, start, size), self.page(searched, start, size)
                    )
                    self.assertEqual(
                        self.page(walked, start, size),
                        everything[start : start + size],
                    )
        return total

    def test_each_role_and_filter_gets_the_restricted_searchs_pages(self):
        totals = {}
        for userid in ("agent.accueil", "agent.voirie", "admin.site", SITE_OWNER_NAME):
            self.login_as(userid)
            for form in FORMS:
                try:
                    filters = queue.parse(form, queue.queue_services())
                except queue.QueueError:
                    continue  # a service the user does not process
                del filters
                totals[userid, str(form)] = self.compare(form)
        # the queues differ by who looks at them
        self.assertEqual(totals["agent.voirie", "{}"], 8)
        self.assertGreaterEqual(totals["agent.accueil", "{}"], 8)
        self.assertGreaterEqual(totals["admin.site", "{}"], 16)
        self.assertEqual(totals["admin.site", "{}"], totals["admin", "{}"])
        self.assertEqual(totals["agent.accueil", "{'review_state': 'accepted'}"], 1)

    def test_other_filters_are_searched(self):
        login(self.portal, "agent.accueil")
        for form in ({"q": "Lire"}, {"assignee": "none"}, {"late": "1"}):
            self.compare(form, expect_walk=False)

    def test_a_group_no_longer_designated_sees_nothing(self):
        # the voirie's group is no longer one of the agents' groups: its
        # requests go to nobody but the managers, the kept counts stay
        voirie = self.portal["demarches"]["signalement-voie-publique"]
        groups = api.portal.get_registry_record(AGENTS_GROUPS_RECORD)
        self.assertIn(voirie.agents_group, groups)
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        api.portal.set_registry_record(
            AGENTS_GROUPS_RECORD, [g for g in groups if g != voirie.agents_group]
        )
        login(self.portal, "agent.voirie")
        self.assertEqual(self.compare({}, expect_walk=False), 0)
        counts = queue.counts(queue.Filters())
        self.assertGreater(sum(counts.values()), 0)  # what the kept counts say

    def test_a_group_holding_a_reserved_role_is_looked_up(self):
        from illkirch.eservices.roles import FINANCE_ROLE

        voirie = self.portal["demarches"]["signalement-voie-publique"]
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        api.group.grant_roles(groupname=voirie.agents_group, roles=[FINANCE_ROLE])
        login(self.portal, "agent.voirie")
        # no longer an agents' group (``is_agents_group``): searched
        self.assertEqual(self.compare({}, expect_walk=False), 8)

    def test_a_request_not_effective_is_searched(self):
        from DateTime import DateTime

        login(self.portal.aq_parent, SITE_OWNER_NAME)
        expired = self.filed[1]  # a signalement
        expired.setExpirationDate(DateTime() - 1)
        expired.reindexObject(idxs=["effectiveRange"])
        login(self.portal, "agent.voirie")
        self.assertEqual(self.compare({}, expect_walk=False), 7)
        # a Manager may see inactive content: the walk applies
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        self.compare({})

    def test_a_citizen_finds_nothing_in_the_queue(self):
        for userid in ("amélie.lire", "jérôme.attente"):
            login(self.portal, userid)
            self.assertFalse(queue.may_use_guichet())
            for form in ({}, {"review_state": "submitted"}):
                filters = queue.parse(form, queue.queue_services())
                spy = Spy(queue.walk_page)
                with mock.patch.object(queue, "walk_page", spy):
                    self.assertEqual(list(queue.search(filters, page=(0, 25))), [])
                self.assertEqual(spy.returned, [])


class TestKeysDown(unittest.TestCase):
    """The walk down the numbers by ranges gives every key once, in order,
    whatever the keys look like."""

    def test_every_key_once_from_the_greatest(self):
        from BTrees.OOBTree import OOBTree

        keys = [f"2026-{n:06d}" for n in range(1, 400, 3)]
        keys += [f"2025-{n:06d}" for n in (0, 1, 63, 64, 65, 999999)]
        keys += ["2026-", "2026-7", "2026-10", "V-2026-000001", "", "a", "2024-x"]
        keys += [f"R{n}" for n in range(130)]
        tree = OOBTree({key: index for index, key in enumerate(keys)})
        for step in (1, 2, 5, 64, 1000):
            with self.subTest(step=step):
                walked = list(queue._keys_items_desc(tree, step))
                self.assertEqual([key for key, _ in walked], sorted(keys, reverse=True))
                self.assertEqual(
                    [value for _, value in walked], [tree[k] for k, _ in walked]
                )
        self.assertEqual(list(queue._keys_items_desc(OOBTree())), [])

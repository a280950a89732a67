"""The agents' queue at a lower cost per call (#22, target 2), with the same
answers: the REST items read their metadata at once (``Rows.columns``),
the lateness once per due date, the current agent's name without PAS; the
services' search kept per committed state of the catalog
(``all_services``); the walk of the numbers tested chunk by chunk
(``_walk``) gives the records, and gives up, as the walk key by key did."""

from Acquisition import aq_base
from BTrees.IIBTree import IITreeSet
from BTrees.OOBTree import OOBTree
from illkirch.eservices.requests import assignment
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import queue
from illkirch.eservices.restapi.links import services_url
from illkirch.eservices.restapi.requests import get as requests_get
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import file_mixed_queue
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login
from unittest import mock

import random
import unittest


def walk_by_key(values, keeps, reverse, wanted, budget):
    """The walk as it was, key by key (``values``: the keys' records in
    ascending order of the keys): the reference of ``queue._walk``."""
    kept, read = [], 0
    for value in reversed(values) if reverse else values:
        same = [value] if isinstance(value, int) else list(value)
        if reverse:
            same.reverse()
        read += len(same)
        kept.extend(rid for rid in same if keeps(rid))
        if len(kept) >= wanted:
            return kept
        if read > budget:
            return None
    return kept


class TestWalkByChunks(unittest.TestCase):
    def test_the_same_records_and_the_same_refusals_as_key_by_key(self):
        randomizer = random.Random(22)
        for trial in range(300):
            count = randomizer.randint(0, 300)
            values = []
            rid = 0
            for _ in range(count):  # a key's records: mostly one
                size = randomizer.choice((1, 1, 1, 2, 3))
                rids = list(range(rid, rid + size))
                rid += size
                if size == 1 and randomizer.random() < 0.5:
                    values.append(rids[0])
                else:
                    values.append(IITreeSet(rids))
            share = randomizer.choice((0.02, 0.1, 0.5, 1))
            wanted_ids = {r for r in range(rid) if randomizer.random() < share}
            first_set = IITreeSet(
                [r for r in range(rid) if r in wanted_ids or randomizer.random() < 0.3]
            )

            def keeps(candidate, wanted_ids=wanted_ids, first_set=first_set):
                return candidate in first_set and candidate in wanted_ids

            first = queue._first_test([first_set])
            size = randomizer.choice((1, 2, 7, 64))
            for reverse in (False, True):
                wanted = randomizer.randint(1, 40)
                budget = randomizer.choice((0, 5, 50, 200, 10_000))
                chunks = [values[i : i + size] for i in range(0, len(values), size)]
                if reverse:
                    chunks.reverse()
                with self.subTest(trial=trial, reverse=reverse):
                    walked = queue._walk(
                        iter(chunks), keeps, first, reverse, wanted, budget
                    )
                    expected = walk_by_key(values, keeps, reverse, wanted, budget)
                    if expected is None:
                        self.assertIsNone(walked)
                    else:
                        # the page is the first ``wanted``; all when fewer
                        self.assertEqual(walked[:wanted], expected[:wanted])
                        self.assertEqual(len(walked) >= wanted, len(expected) >= wanted)

    def test_chunks_from_the_top_hold_every_key_once(self):
        keys = [f"2026-{n:06d}" for n in range(1, 400, 3)] + ["2026-", "a", ""]
        tree = OOBTree({key: index for index, key in enumerate(keys)})
        for step in (1, 5, 64):
            chunks = list(queue._key_chunks_desc(tree, step, part="values"))
            flat = [value for chunk in chunks for value in reversed(chunk)]
            self.assertEqual(flat, [tree[key] for key in sorted(keys, reverse=True)])
        chunks = list(queue._key_chunks(tree, 7))
        self.assertEqual(
            [value for chunk in chunks for value in chunk],
            [tree[key] for key in sorted(keys)],
        )
        self.assertTrue(all(len(chunk) <= 7 for chunk in chunks))

    def test_first_test_keeps_the_order(self):
        sets = [IITreeSet([1, 5, 9]), IITreeSet([2, 9])]
        self.assertEqual(queue._first_test(sets)([9, 8, 5, 2, 1, 0]), [9, 5, 2, 1])
        self.assertEqual(queue._first_test(sets[:1])([9, 8, 5, 2]), [9, 5])
        self.assertEqual(queue._first_test([()])([1, 2]), [])


class QueueItemsTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.filed = file_mixed_queue(self.portal, 2)
        login(self.portal, "agent.voirie")
        voirie = [
            r
            for r in self.filed
            if r.service_uid
            == self.portal["demarches"]["signalement-voie-publique"].UID()
        ]
        assignment.assign(voirie[0], "agent.voirie")
        processing.fire(voirie[1], "ask_documents", "Il manque une photo.")
        self.mailhost.reset()

    def brains(self):
        return list(queue.search(queue.Filters()))


class TestRowsColumns(QueueItemsTestCase):
    def test_columns_are_the_brains_attributes(self):
        rows = queue.Rows()
        names = requests_get.QUEUE_COLUMNS + ("Title", "conversation_summary")
        for brain in self.brains():
            self.assertEqual(
                rows.columns(brain, names), tuple(getattr(brain, n) for n in names)
            )
            self.assertEqual(rows.columns(brain, ("UID",)), (brain.UID,))
            self.assertEqual(
                rows.columns(brain, ("UID", "no_such_column")), (brain.UID, None)
            )

    def test_lateness_once_per_due_date(self):
        rows = queue.Rows()
        for brain in self.brains():
            self.assertEqual(
                rows.late(brain.due_date, brain.review_state),
                processing.overdue(brain.due_date, brain.review_state, rows.today),
            )
        with mock.patch.object(processing, "overdue", side_effect=AssertionError):
            for brain in self.brains():  # every one known already
                rows.late(brain.due_date, brain.review_state)

    def test_the_current_agents_name_without_pas(self):
        expected = queue.Rows().user_name("agent.voirie")
        self.assertEqual(expected, "Marc Voirie (agent)")
        rows = queue.Rows()
        with mock.patch.object(
            type(aq_base(self.portal.acl_users)),
            "getUserById",
            side_effect=AssertionError,
        ):
            self.assertEqual(rows.user_name("agent.voirie"), expected)
        # another user: PAS
        self.assertEqual(
            queue.Rows().user_name("agent.accueil"),
            api.user.get("agent.accueil").getProperty("fullname"),
        )

    def test_a_user_of_zopes_root_is_looked_up_in_the_sites_pas(self):
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        rows = queue.Rows()
        rows._acl_users = self.portal.acl_users
        self.assertIsNone(rows._current_user(SITE_OWNER_NAME))
        self.assertEqual(rows.user_name(SITE_OWNER_NAME), SITE_OWNER_NAME)


class TestQueueItems(QueueItemsTestCase):
    def items(self, has_columns):
        rows = queue.Rows()
        rows.has_columns = has_columns
        known = {
            "services": services_url(),
            "statuses": {},
            "service_objects": {s.UID(): s for s in queue.queue_services()},
        }
        return [
            requests_get.brain_item(brain, self.request, rows, known)
            for brain in self.brains()
        ]

    def test_items_from_the_columns_are_those_from_the_requests(self):
        from_columns = self.items(True)
        self.assertEqual(from_columns, self.items(False))
        self.assertTrue(any(item["assignee"] for item in from_columns))
        self.assertTrue(
            any(item["review_state"] == "incomplete" for item in from_columns)
        )

    def test_items_wake_only_requests_waiting_for_their_citizen(self):
        rows = queue.Rows()
        known = {
            "services": services_url(),
            "statuses": {},
            "service_objects": {s.UID(): s for s in queue.queue_services()},
        }
        woken = []
        real = rows.request_object
        rows.request_object = lambda brain: (
            woken.append(brain.review_state) or real(brain)
        )
        for brain in self.brains():
            requests_get.brain_item(brain, self.request, rows, known)
        self.assertEqual(set(woken), {"incomplete"})


class TestServicesKept(QueueItemsTestCase):
    def setUp(self):
        super().setUp()
        queue._SERVICES.clear()
        self.addCleanup(queue._SERVICES.clear)
        self.catalog = api.portal.get_tool("portal_catalog")
        self.stamp = (1, b"serial")
        patcher = mock.patch.object(
            queue, "committed_stamp", side_effect=lambda catalog: self.stamp
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def searches(self):
        return mock.patch.object(
            type(aq_base(self.catalog)),
            "unrestrictedSearchResults",
            autospec=True,
            side_effect=type(aq_base(self.catalog)).unrestrictedSearchResults,
        )

    def test_searched_once_per_committed_state(self):
        with self.searches() as searched:
            first = queue.all_services()
            again = queue.all_services()
        self.assertEqual(searched.call_count, 1)
        self.assertEqual(
            [s.UID() for s in again],
            [
                b.UID
                for b in self.catalog.unrestrictedSearchResults(
                    object_provides="illkirch.eservices.content.service.IService",
                    sort_on="sortable_title",
                )
            ],
        )
        self.assertEqual([s.UID() for s in first], [s.UID() for s in again])
        self.stamp = (2, b"serial")
        with self.searches() as searched:
            queue.all_services()
        self.assertEqual(searched.call_count, 1)

    def test_nothing_kept_while_the_catalog_changed(self):
        self.stamp = None
        with self.searches() as searched:
            queue.all_services()
            queue.all_services()
        self.assertEqual(searched.call_count, 2)
        self.assertEqual(queue._SERVICES, {})

    def test_a_service_gone_from_its_path_is_searched_for(self):
        queue.all_services()
        key = self.catalog.getPhysicalPath()
        stamp, kept = queue._SERVICES[key]
        (path, uid), *others = kept
        queue._SERVICES[key] = (stamp, ((path, "another-uid"), *others))
        with self.searches() as searched:
            services = queue.all_services()
        self.assertEqual(searched.call_count, 1)
        self.assertEqual(services[0].UID(), uid)

    def test_each_user_still_gets_their_own_services(self):
        voirie = [s.getId() for s in queue.queue_services()]
        login(self.portal, "agent.accueil")
        accueil = [s.getId() for s in queue.queue_services()]
        self.assertIn("signalement-voie-publique", voirie)
        self.assertNotIn("signalement-voie-publique", accueil)
        self.assertTrue(accueil)
        login(self.portal, "amélie.lire")
        self.assertEqual(queue.queue_services(), [])

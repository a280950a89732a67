"""Reading a whole queue's brains without keeping them (``catalog_reading``,
#22 target 6): the brains are ZCatalog's, one at a time, not memoized by
the ``LazyMap``, and what they woke up in the ZODB cache is put back to
sleep, but what was loaded before and what the transaction changed."""

from illkirch.eservices import catalog_reading
from illkirch.eservices.requests import queue
from illkirch.eservices.requests import queue_export
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from plone.registry.interfaces import IRegistry
from Products.CMFCore.indexing import processQueue
from zope.component import getUtility
from ZTUtils.Lazy import LazyMap

import transaction
import unittest


class TestStreamedBrains(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        login(self.portal, "jérôme.attente")
        service = self.portal["demarches"]["signalement-voie-publique"]
        for _ in range(6):
            submission.submit(service, dict(SIGNALEMENT_ANSWERS))
        login(self.portal, "agent.voirie")
        self.catalog = api.portal.get_tool("portal_catalog")
        self.connection = self.portal._p_jar
        self.cache = self.connection._cache

    def query(self):
        # every entry: the metadata spreads over several buckets
        return self.catalog.unrestrictedSearchResults(
            path="/".join(self.portal.getPhysicalPath()), sort_on="created"
        )

    def sleep_all(self):
        """Everything saved (a savepoint: nothing left changed) and put to
        sleep, as the cache of an instance between two pages."""
        processQueue()  # the requests filed are indexed now, not at the search
        transaction.savepoint()
        self.connection.cacheMinimize()
        return {oid for oid, _obj in self.cache.lru_items()}

    def test_the_same_brains_none_kept(self):
        brains = self.query()
        self.assertGreater(len(brains), 60)  # over one bucket of metadata
        expected = [brain.getRID() for brain in self.query()]
        made = [brain.getRID() for brain in catalog_reading.one_at_a_time(brains)]
        self.assertEqual(made, expected)
        self.assertEqual(brains._data, {})  # the LazyMap kept none
        self.assertEqual(
            [b.getRID() for b in catalog_reading.one_at_a_time(list(brains))],
            expected,
        )

    def test_what_the_reading_woke_up_goes_back_to_sleep(self):
        self.sleep_all()
        brains = self.query()
        before = {oid for oid, _obj in self.cache.lru_items()}
        # without it, the brains' metadata stays loaded: the test can fail
        [brain.review_state for brain in brains]
        woken = {oid for oid, _obj in self.cache.lru_items()} - before
        self.assertTrue(woken)

        self.sleep_all()
        brains = self.query()  # the search's indexes stay loaded
        before = {oid for oid, _obj in self.cache.lru_items()}
        states = [
            brain.review_state
            for brain in catalog_reading.streamed(brains, self.connection, 2)
        ]
        after = {oid for oid, _obj in self.cache.lru_items()}
        self.assertEqual(after - before, set())
        self.assertEqual(states, [brain.review_state for brain in self.query()])

    def test_loaded_before_and_changed_objects_stay(self):
        self.sleep_all()
        household = self.portal["foyers"].objectValues()[0]
        household.Title()  # loaded by the page before the listing
        request = self.query()[0].getObject()
        request.description = "Changée"  # changed in this transaction
        list(catalog_reading.streamed(self.query(), self.connection, 1))
        self.assertFalse(household._p_changed is None)  # not a ghost
        self.assertTrue(request._p_changed)
        self.assertEqual(request.description, "Changée")

    def test_the_export_leaves_nothing_loaded(self):
        filters = queue.parse({}, queue.queue_services())
        expected = queue_export.csv_export(list(queue.search(filters)))
        self.sleep_all()
        brains = queue.search(filters)  # the search's indexes stay loaded
        # the site's registry, which any page reads (the export: its texts,
        # the time zone), stays loaded
        getUtility(IRegistry)._p_activate()
        before = {oid for oid, _obj in self.cache.lru_items()}
        chunks = queue_export.csv_chunks(brains, chunk_rows=2)
        self.assertEqual(b"".join(chunks), expected)
        loaded = {oid for oid, _obj in self.cache.lru_items()}
        self.assertEqual(loaded - before, set())

    def test_in_record_order_answers_in_the_brains_order(self):
        # ZCatalog's record ids start at random: the records in descending
        # order, so that the brains' order is never the records' one
        rids = sorted(brain.getRID() for brain in self.query())[::-1]
        brains = LazyMap(self.catalog._catalog.__getitem__, rids)
        expected = [(rid, self.catalog.getpath(rid)) for rid in rids]
        self.assertNotEqual(expected, sorted(expected))  # the test can fail
        made = []

        def answer(brain):
            made.append(brain.getRID())
            return (brain.getRID(), brain.getPath())

        self.assertEqual(
            catalog_reading.in_record_order(brains, answer, self.connection, 7),
            expected,
        )
        self.assertEqual(made, sorted(made))  # read in the records' order
        self.assertEqual(brains._data, {})
        self.assertEqual(
            catalog_reading.in_record_order(list(brains), answer, None), expected
        )

    def test_in_record_order_releases(self):
        self.sleep_all()
        brains = self.query()
        before = {oid for oid, _obj in self.cache.lru_items()}
        states = catalog_reading.in_record_order(
            brains, lambda brain: brain.review_state, self.connection, 3
        )
        self.assertEqual(set(self.cache_oids()) - before, set())
        self.assertEqual(states, [brain.review_state for brain in self.query()])

    def cache_oids(self):
        return [oid for oid, _obj in self.cache.lru_items()]

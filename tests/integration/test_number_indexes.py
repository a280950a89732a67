"""Each catalog index of numbers holds its own type's numbers only (#22,
``content/indexers.py``): ``request_number`` the requests',
``invoice_number`` the invoices'. The queries on them answer as before
(tracking by number, the invoice import's lookup, the agents' queue and its
walk of the numbers' index), and the 1017 → 1018 upgrade removes the other
type's entries of a site whose indexes held both."""

from illkirch.eservices.accounts import households
from illkirch.eservices.billing import importer
from illkirch.eservices.requests import queue
from illkirch.eservices.requests import submission
from illkirch.eservices.requests import tracking
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.profile import profile_version
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.upgrades import v1018_number_indexes
from Missing import MV
from plone import api
from plone.app.testing import login
from Products.CMFCore.indexing import processQueue
from types import SimpleNamespace
from unittest import mock

import unittest


PROFILE = "illkirch.eservices:default"
OWN = {"request_number": "Request", "invoice_number": "Invoice"}


class TestNumberIndexes(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.catalog = api.portal.get_tool("portal_catalog")
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        login(self.portal, "jérôme.attente")
        self.filed = submission.submit(
            self.portal["demarches"]["signalement-voie-publique"],
            dict(SIGNALEMENT_ANSWERS),
        )
        self.requests = self.objects("Request")
        self.invoices = self.objects("Invoice")
        self.assertTrue(self.requests)
        self.assertTrue(self.invoices)

    def objects(self, portal_type):
        return {
            brain.getRID(): brain._unrestrictedGetObject()
            for brain in self.catalog.unrestrictedSearchResults(portal_type=portal_type)
        }

    def index(self, name):
        return self.catalog._catalog.getIndex(name)

    def entries(self, name):
        return dict(self.index(name)._unindex.items())

    def assert_own_entries_only(self):
        for name, objects in (
            ("request_number", self.requests),
            ("invoice_number", self.invoices),
        ):
            with self.subTest(index=name):
                expected = {rid: obj.number for rid, obj in objects.items()}
                self.assertEqual(self.entries(name), expected)
                self.assertEqual(len(self.index(name)), len(set(expected.values())))

    def test_each_index_holds_its_own_type_only(self):
        self.assert_own_entries_only()
        self.assertEqual(
            self.index("request_number").getIndexSourceNames(), ["request_number"]
        )
        self.assertEqual(
            self.index("invoice_number").getIndexSourceNames(), ["invoice_number"]
        )

    def test_the_column_of_the_request_number(self):
        rid = self.catalog.getrid("/".join(self.filed.getPhysicalPath()))
        self.assertEqual(
            self.catalog.getMetadataForRID(rid)["request_number"], self.filed.number
        )
        for rid in list(self.invoices)[:3]:
            self.assertIs(self.catalog.getMetadataForRID(rid)["request_number"], MV)

    def test_queries_answer_as_before(self):
        number = self.filed.number
        # tracking by number (the public « Suivre ma demande »)
        self.assertEqual(tracking._find(number), self.filed)
        self.assertEqual(
            [
                b.getObject()
                for b in self.catalog.unrestrictedSearchResults(request_number=number)
            ],
            [self.filed],
        )
        # the invoice import: a stored invoice by its régie and number
        invoice = next(iter(self.invoices.values()))
        found = importer.stored_invoices({(invoice.regie, invoice.number)})
        self.assertEqual(
            found[(invoice.regie, invoice.number)]._unrestrictedGetObject(), invoice
        )
        # one type's number is not found in the other's index
        self.assertEqual(
            len(self.catalog.unrestrictedSearchResults(request_number=invoice.number)),
            0,
        )
        self.assertEqual(
            len(self.catalog.unrestrictedSearchResults(invoice_number=number)), 0
        )
        # the agents' queue: by number, and a page walked from the index
        login(self.portal, "agent.voirie")
        filters = queue.Filters()
        filters.number = number
        self.assertEqual([b.request_number for b in queue.search(filters)], [number])
        everything = [b.request_number for b in queue.search(queue.Filters())]
        self.assertIn(number, everything)
        for order in ("descending", "ascending"):
            with self.subTest(order=order):
                filters = queue.Filters()
                filters.sort_order = order
                whole = [b.request_number for b in queue.search(filters)]
                self.assertEqual(whole, sorted(whole, reverse=order == "descending"))
                found = self.catalog(**queue.filter_query(filters))
                with mock.patch.object(queue, "WALK_COST", 0):  # walk, however few
                    page = queue.index_page(
                        self.catalog,
                        found,
                        {"sort_on": "request_number", "sort_order": order},
                        0,
                        2,
                    )
                self.assertIsNotNone(page)
                self.assertEqual([b.request_number for b in page], whole[:2])
                self.assertEqual(page.actual_result_count, len(whole))

    def hold_both(self):
        """The indexes as before 1018: both read ``number``, every request
        and every invoice in each."""
        for name in OWN:
            index = self.index(name)
            index.indexed_attrs = ["number"]
            for rid, obj in {**self.requests, **self.invoices}.items():
                index.index_object(rid, SimpleNamespace(number=obj.number))
        both = set(self.requests) | set(self.invoices)
        self.assertEqual(set(self.entries("request_number")), both)
        self.assertEqual(set(self.entries("invoice_number")), both)

    def test_upgrade_1017_to_1018(self):
        self.hold_both()
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1017")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))
        self.assert_own_entries_only()
        # what a reindexing of the whole catalog makes of them
        upgraded = {name: self.entries(name) for name in OWN}
        for name in OWN:
            self.catalog.reindexIndex(name, None)
            self.assertEqual(self.entries(name), upgraded[name])
        # and run again, it changes nothing
        v1018_number_indexes.number_indexes(setup)
        self.assert_own_entries_only()

    def test_upgrade_from_before_1016_in_one_go(self):
        """An earlier step's catalog import empties both indexes (their
        source names changed): the step indexes the objects concerned
        again, in those indexes only."""
        self.hold_both()
        for name in OWN:
            self.index(name).indexed_attrs = ["number"]
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1015")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))
        self.assert_own_entries_only()

    def test_new_objects_indexed_in_their_own_index(self):
        login(self.portal, "amélie.lire")
        request_obj = submission.submit(
            self.portal["demarches"]["signalement-voie-publique"],
            dict(SIGNALEMENT_ANSWERS),
        )
        processQueue()
        rid = self.catalog.getrid("/".join(request_obj.getPhysicalPath()))
        self.assertEqual(self.entries("request_number")[rid], request_obj.number)
        self.assertNotIn(rid, self.entries("invoice_number"))
        # an invoice reindexed: in its own index only
        invoice = next(iter(self.invoices.values()))
        invoice.reindexObject()
        processQueue()
        rid = self.catalog.getrid("/".join(invoice.getPhysicalPath()))
        self.assertEqual(self.entries("invoice_number")[rid], invoice.number)
        self.assertNotIn(rid, self.entries("request_number"))
        # a household, a person: in neither
        household = households.household_of("amelie.lire")
        for obj in (household, *household.persons()):
            rid = self.catalog.getrid("/".join(obj.getPhysicalPath()))
            self.assertIsNotNone(rid)
            self.assertNotIn(rid, self.entries("request_number"))
            self.assertNotIn(rid, self.entries("invoice_number"))

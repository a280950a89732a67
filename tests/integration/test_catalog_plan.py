"""ZCatalog's query plan with the date range indexes last (#22,
``catalog_plan``): the same answers as ZCatalog's own order, and the date
range index given the other indexes' result instead of reading its sets of
every date."""

from DateTime import DateTime
from illkirch.eservices import catalog_plan
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login
from plone.app.testing import logout
from plone.event.interfaces import IEvent
from Products.PluginIndexes.DateRangeIndex.DateRangeIndex import DateRangeIndex
from Products.PluginIndexes.FieldIndex.FieldIndex import FieldIndex
from Products.ZCatalog.plan import CatalogPlan
from unittest import mock

import unittest


class TestOrder(unittest.TestCase):
    def setUp(self):
        self.indexes = {
            "effectiveRange": DateRangeIndex("effectiveRange"),
            "portal_type": FieldIndex("portal_type"),
            "review_state": FieldIndex("review_state"),
        }

    def test_date_ranges_moved_last_others_kept(self):
        order = ["effectiveRange", "review_state", "portal_type"]
        self.assertEqual(
            catalog_plan.date_ranges_last(self.indexes, order),
            ["review_state", "portal_type", "effectiveRange"],
        )

    def test_left_alone(self):
        for order in (None, [], ["effectiveRange"], ["portal_type", "effectiveRange"]):
            with self.subTest(order=order):
                self.assertEqual(
                    catalog_plan.date_ranges_last(self.indexes, order), order
                )
        # unknown names (a removed index) stay where they are
        self.assertEqual(
            catalog_plan.date_ranges_last(self.indexes, ["gone", "portal_type"]),
            ["gone", "portal_type"],
        )


class TestQueries(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.catalog = api.portal.get_tool("portal_catalog")
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        now = DateTime()
        # a page not yet in effect and one expired: the range must leave them out
        for id_, effective, expires in (
            ("future-page", now + 30, None),
            ("expired-page", now - 30, now - 1),
            ("current-page", now - 30, now + 30),
        ):
            page = api.content.create(
                self.portal, type="Document", id=id_, title=id_.replace("-", " ")
            )
            page.setEffectiveDate(effective)
            if expires is not None:
                page.setExpirationDate(expires)
            api.content.transition(page, "publish")
            page.reindexObject()
        logout()

    def queries(self):
        site = "/".join(self.portal.getPhysicalPath())
        return (
            {"portal_type": "Document"},
            {"portal_type": ["Document", "Folder"], "sort_on": "sortable_title"},
            {
                "review_state": "published",
                "sort_on": "modified",
                "sort_order": "reverse",
            },
            {"object_provides": IEvent.__identifier__, "sort_on": "start"},
            {"path": {"query": site, "depth": 1}, "is_folderish": True},
            {"SearchableText": "page"},
            {"Title": "page", "sort_on": "sortable_title"},
        )

    def search(self, query):
        return [brain.getRID() for brain in self.catalog.searchResults(**query)]

    def test_same_answers_as_zcatalog_own_order(self):
        """As an anonymous visitor (Plone adds ``effectiveRange``), each query
        several times (the plan then has measured times) gives what ZCatalog's
        own order gives, and the date range index always has a result set."""
        given = []
        original = DateRangeIndex.query_index

        def query_index(index, record, resultset=None):
            given.append(resultset is not None)
            return original(index, record, resultset)

        paths = {
            "/".join(self.portal[i].getPhysicalPath())
            for i in ("future-page", "expired-page")
        }
        for query in self.queries():
            with self.subTest(query=query):
                with mock.patch.object(
                    catalog_plan,
                    "date_ranges_last",
                    side_effect=lambda _i, order: order,
                ):
                    expected = self.search(dict(query))
                given.clear()
                with mock.patch.object(DateRangeIndex, "query_index", query_index):
                    for _ in range(3):
                        self.assertEqual(self.search(dict(query)), expected)
                # asked with the other indexes' result (or not at all, when
                # they found nothing: no event here)
                self.assertEqual(bool(given), bool(expected))
                self.assertTrue(all(given), given)
                found = {self.catalog.getpath(rid) for rid in expected}
                self.assertFalse(found & paths)
        # the current page is found, the others not
        titles = {b.getId for b in self.catalog.searchResults(portal_type="Document")}
        self.assertIn("current-page", titles)
        self.assertFalse({"future-page", "expired-page"} & titles)

    def test_a_plan_putting_the_range_first(self):
        """A plan whose measured times put ``effectiveRange`` first."""
        query = {"effectiveRange": DateTime(), "portal_type": "Document"}
        plan = CatalogPlan(self.catalog._catalog, query)
        with mock.patch.object(
            CatalogPlan, "_old_plan", return_value=["effectiveRange", "portal_type"]
        ):
            self.assertEqual(plan.plan(), ["portal_type", "effectiveRange"])
        self.assertEqual(
            self.catalog._catalog._sorted_search_indexes(query)[-1], "effectiveRange"
        )

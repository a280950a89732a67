"""What the statistics keep between two reports (#22): each service's count
of late requests, kept while the catalog is unchanged; the agents' groups'
titles, looked up for the report's services only."""

from datetime import date
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import submission
from illkirch.eservices.statistics import figures
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.vocabularies.agents_groups import agents_group_titles
from illkirch.eservices.vocabularies.agents_groups import agents_groups
from illkirch.eservices.vocabularies.agents_groups import designated
from plone import api
from plone.app.testing import login
from unittest import mock

import unittest


def aq_base(obj):
    from Acquisition import aq_base as base

    return base(obj)


def recounted(uids, today):
    """The late requests of each service, from their objects."""
    catalog = api.portal.get_tool("portal_catalog")
    found = dict.fromkeys(uids, 0)
    for brain in catalog.unrestrictedSearchResults(portal_type="Request"):
        obj = brain._unrestrictedGetObject()
        if obj.service_uid in found:
            found[obj.service_uid] += processing.is_late(obj, on=today)
    return found


class TestLateCountsKept(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        figures._LATE.clear()
        self.addCleanup(figures._LATE.clear)
        self.catalog = api.portal.get_tool("portal_catalog")
        self.uids = [
            brain.UID
            for brain in self.catalog.unrestrictedSearchResults(portal_type="Service")
        ]
        self.today = date(2030, 6, 3)

    def search(self):
        cls = aq_base(self.catalog).__class__
        return mock.patch.object(
            cls,
            "unrestrictedSearchResults",
            autospec=True,
            side_effect=cls.unrestrictedSearchResults,
        )

    def test_kept_while_the_catalog_is_unchanged_then_counted_again(self):
        self.assertFalse(self.catalog._counter._p_changed)
        first = figures.late_counts(self.uids, self.today)
        self.assertEqual(first, recounted(self.uids, self.today))
        with self.search() as search:
            self.assertEqual(figures.late_counts(self.uids, self.today), first)
        search.assert_not_called()
        # another day: another deadline, counted again
        earlier = date(2000, 1, 3)
        with self.search() as search:
            self.assertEqual(
                figures.late_counts(self.uids, earlier),
                recounted(self.uids, earlier),
            )
        self.assertTrue(search.called)
        # a request filed (waiting), then due long ago: counted at once
        _mailhost, restore = use_mock_mailhost(api.portal.get())
        self.addCleanup(restore)
        service = api.portal.get()["demarches"]["signalement-voie-publique"]
        login(api.portal.get(), "amélie.lire")
        filed = submission.submit(service, dict(SIGNALEMENT_ANSWERS))
        self.assertIn(api.content.get_state(filed), processing.WAITING_STATES)
        filed.due_date = date(2001, 1, 1)
        filed.reindexObject(idxs=["request_due"])
        after = figures.late_counts(self.uids, self.today)
        self.assertEqual(after, recounted(self.uids, self.today))
        self.assertEqual(after[service.UID()], first[service.UID()] + 1)


class TestGroupTitles(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def test_the_titles_of_agents_groups_for_the_groups_asked(self):
        every = dict(agents_groups())
        self.assertTrue(every)
        self.assertEqual(agents_group_titles(designated()), every)
        some = next(iter(every))
        self.assertEqual(agents_group_titles({some, "", "nobody"}), {some: every[some]})
        # a designated group that may not be an agents' group has no title
        self.assertEqual(agents_group_titles({"Administrators"}), {})

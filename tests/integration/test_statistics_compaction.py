"""The past days' facts frozen into one object per day (``store.compact``,
the nightly task ``statistics.compact``): every figure is the same after
it, a late write to a frozen day still counts, a rebuild freezes the past
days too."""

from datetime import date
from datetime import timedelta
from illkirch.eservices import business_days
from illkirch.eservices import jobs
from illkirch.eservices.statistics import compaction
from illkirch.eservices.statistics import store
from illkirch.eservices.statistics.rebuild import rebuild
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.testing.statistics import snapshot
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles

# the figures' whole test case, run again on frozen days
from test_statistics_figures import TestStatisticsFigures as _Figures  # noqa: E402

import unittest


class TestFiguresOnFrozenDays(_Figures):
    """Every figure of test_statistics_figures, its days frozen first."""

    def setUp(self):
        super().setUp()
        aggregates = store.get()
        live = snapshot()
        self.assertGreater(store.compact(before=date(2030, 1, 1)), 0)
        self.assertEqual(len(aggregates.days), 0)
        self.assertGreater(len(aggregates.closed), 0)
        self.assertEqual(snapshot(), live)


del _Figures


class TestCompaction(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        _mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.today = business_days.today()
        self.yesterday = self.today - timedelta(days=1)
        self.fact = (store.FILED, "a-service")

    def test_only_past_days_are_frozen_and_late_writes_still_count(self):
        store.add(self.yesterday, self.fact, 3)
        store.add(self.today, self.fact, 2)
        before = snapshot()
        self.assertEqual(store.compact(), 1)
        aggregates = store.get()
        self.assertNotIn(self.yesterday.toordinal(), aggregates.days)
        self.assertIn(self.today.toordinal(), aggregates.days)
        frozen = aggregates.closed[self.yesterday.toordinal()]
        self.assertEqual(frozen.counts[self.fact], 3)
        self.assertEqual(snapshot(), before)
        # a transaction begun before midnight writes to yesterday after it
        store.add(self.yesterday, self.fact, 1)
        self.assertEqual(
            list(store.facts(self.yesterday, self.yesterday)),
            [(self.yesterday, self.fact, 4)],
        )
        # the next night adds it to the frozen day; nothing twice
        self.assertEqual(store.compact(), 1)
        self.assertEqual(
            aggregates.closed[self.yesterday.toordinal()].counts[self.fact], 4
        )
        self.assertEqual(store.compact(), 0)

    def test_kind_filter_reads_both_frozen_and_live_facts(self):
        other = (store.MESSAGE, "a-service", "citizen")
        store.add(self.yesterday, self.fact)
        store.add(self.yesterday, other)
        store.compact()
        store.add(self.yesterday, self.fact)
        self.assertEqual(
            list(store.facts(self.yesterday, self.today, store.FILED)),
            [(self.yesterday, self.fact, 2)],
        )
        self.assertEqual(
            list(store.facts(self.yesterday, self.today, store.MESSAGE)),
            [(self.yesterday, other, 1)],
        )

    def test_nightly_task_is_registered_and_freezes(self):
        self.assertIs(jobs.registry.PERIODIC["statistics.compact"], compaction.nightly)
        store.add(self.yesterday, self.fact)
        self.assertEqual(compaction.nightly(), 1)
        self.assertEqual(compaction.nightly(), 0)

    def test_aggregates_made_before_the_compaction_get_their_frozen_days(self):
        aggregates = store.get()
        del aggregates.closed  # as kept before: the class's None
        self.assertIsNone(aggregates.closed)
        store.add(self.yesterday, self.fact)
        self.assertEqual(
            list(store.facts(self.yesterday, self.yesterday)),
            [(self.yesterday, self.fact, 1)],
        )
        self.assertEqual(store.compact(), 1)
        self.assertEqual(
            list(store.facts(self.yesterday, self.yesterday)),
            [(self.yesterday, self.fact, 1)],
        )

    def test_rebuild_freezes_the_past_days(self):
        rebuild()
        aggregates = store.get()
        self.assertFalse(
            [o for o in aggregates.days.keys() if o < self.today.toordinal()]
        )

"""1018 → 1019 (#22): aggregates frozen before #22 had no token for their
frozen days, so no report kept their sums; the step freezes the past days
(the nightly compaction) and draws the token, every figure unchanged."""

from datetime import timedelta
from illkirch.eservices import business_days
from illkirch.eservices.statistics import store
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.profile import profile_version
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.testing.statistics import snapshot
from illkirch.eservices.upgrades import v1019_statistics_key

import unittest


PROFILE = "illkirch.eservices:default"


class TestUpgradeStatisticsKey(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        _mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.today = business_days.today()
        self.fact = (store.FILED, "a-service")

    def as_before_22(self):
        """Aggregates as #22 found them: days frozen without a token, one
        past day still live."""
        aggregates = store.get()
        store.add(self.today - timedelta(days=3), self.fact, 2)
        store.compact(aggregates=aggregates)
        store.add(self.today - timedelta(days=1), self.fact, 3)
        store.add(self.today, self.fact, 1)
        vars(aggregates).pop("closed_key", None)
        self.assertIsNone(store.closed_key())
        return aggregates

    def test_upgrade_freezes_the_past_days_and_draws_the_token(self):
        aggregates = self.as_before_22()
        before = snapshot()
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1018")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))
        self.assertIsNotNone(store.closed_key())
        self.assertEqual(list(aggregates.days.keys()), [self.today.toordinal()])
        self.assertEqual(
            aggregates.closed[(self.today - timedelta(days=1)).toordinal()].counts[
                self.fact
            ],
            3,
        )
        self.assertEqual(snapshot(), before)

    def test_a_site_without_aggregates_is_left_alone(self):
        annotations = self.portal.__annotations__
        annotations.pop(store.KEY, None)
        v1019_statistics_key.freeze_past_days(self.portal.portal_setup)
        self.assertIsNone(store.get(create=False))

    def test_twice_changes_nothing_more(self):
        aggregates = self.as_before_22()
        v1019_statistics_key.freeze_past_days(self.portal.portal_setup)
        token = store.closed_key()
        v1019_statistics_key.freeze_past_days(self.portal.portal_setup)
        self.assertEqual(store.closed_key(), token)
        self.assertEqual(list(aggregates.days.keys()), [self.today.toordinal()])

"""Request numbers ``AAAA-NNNNNN``: sequence, yearly restart, Paris year,
parsing, and the write conflict that keeps them unique."""

from datetime import UTC
from datetime import datetime
from illkirch.eservices.requests import numbering
from illkirch.eservices.requests.numbering import last_number
from illkirch.eservices.requests.numbering import next_number
from illkirch.eservices.requests.numbering import parse_number
from illkirch.eservices.testing import INTEGRATION_TESTING
from plone.app.testing import PLONE_SITE_ID
from plone.testing.zodb import stackDemoStorage
from ZODB.POSException import ConflictError
from zope.annotation.interfaces import IAnnotations
from zope.component.hooks import setSite

import transaction
import unittest


def utc(*args):
    return datetime(*args, tzinfo=UTC)


class TestRequestNumbering(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def test_sequence_starts_at_one_and_increments(self):
        self.assertEqual(last_number(2026), 0)
        self.assertEqual(next_number(utc(2026, 3, 1, 10)), "2026-000001")
        self.assertEqual(next_number(utc(2026, 3, 1, 10)), "2026-000002")
        self.assertEqual(last_number(2026), 2)

    def test_new_year_restarts(self):
        next_number(utc(2026, 6, 1))
        next_number(utc(2026, 6, 2))
        self.assertEqual(next_number(utc(2027, 1, 5)), "2027-000001")
        self.assertEqual(next_number(utc(2026, 12, 1)), "2026-000003")
        self.assertEqual((last_number(2026), last_number(2027)), (3, 1))

    def test_year_is_the_paris_year(self):
        # 23:30 UTC on 31 December is 00:30 on 1 January in Paris (UTC+1).
        self.assertEqual(next_number(utc(2026, 12, 31, 23, 30)), "2027-000001")
        # 22:30 UTC is still 23:30 on 31 December in Paris.
        self.assertEqual(next_number(utc(2026, 12, 31, 22, 30)), "2026-000001")

    def test_default_now_is_the_current_paris_year(self):
        year = numbering.submission_year()
        self.assertEqual(next_number(), f"{year}-000001")

    def test_naive_datetime_is_refused(self):
        with self.assertRaises(ValueError):
            next_number(datetime(2026, 1, 1))
        self.assertIsNone(
            IAnnotations(self.layer["portal"]).get(numbering.ANNOTATION_KEY)
        )

    def test_last_number_does_not_write(self):
        self.assertEqual(last_number(2026), 0)
        self.assertNotIn(numbering.ANNOTATION_KEY, IAnnotations(self.layer["portal"]))

    def test_sequence_overflow_is_refused(self):
        next_number(utc(2026, 1, 10))
        numbering._counters(create=False)[2026].value = numbering.MAX_SEQUENCE
        with self.assertRaises(OverflowError):
            next_number(utc(2026, 1, 10))

    def test_parse_number(self):
        self.assertEqual(parse_number("2026-000042"), (2026, 42))
        self.assertEqual(parse_number("2027-999999"), (2027, 999999))
        for bad in [
            "",
            "2026-42",
            "2026-0000042",
            "26-000042",
            "2026000042",
            "2026_000042",
            " 2026-000042",
            "2026-000042 ",
            "2026-000042\n",
            "２０２６-000042",
            "2026-000000",
            "0000-000001",
            "abcd-efghij",
            None,
            2026,
        ]:
            with self.subTest(bad=bad):
                self.assertIsNone(parse_number(bad))
        self.assertEqual(parse_number(next_number(utc(2026, 5, 5))), (2026, 1))


class TestRequestNumberingConflicts(unittest.TestCase):
    """Two transactions taking a number from the same counter must conflict
    (no conflict resolution): ZODB refuses the second commit, Zope retries it.

    Each test works on its own DemoStorage stacked on the layer's database,
    so that its commits do not leak into the other tests."""

    layer = INTEGRATION_TESTING

    def setUp(self):
        self.db = stackDemoStorage(self.layer["zodbDB"], name="request-numbering")
        self.connections = []
        self.addCleanup(self.db.close)
        self.addCleanup(setSite, self.layer["portal"])

    def tearDown(self):
        for tm, conn in self.connections:
            tm.abort()
            conn.close()

    def open(self):
        """A new connection with its own transaction manager, and its site."""
        tm = transaction.TransactionManager()
        conn = self.db.open(transaction_manager=tm)
        self.connections.append((tm, conn))
        tm.begin()
        return tm, conn.root()["Application"][PLONE_SITE_ID]

    def take(self, site, now):
        setSite(site)
        return next_number(now)

    def test_concurrent_increments_conflict(self):
        now = utc(2026, 4, 1, 9)
        tm, site = self.open()
        self.assertEqual(self.take(site, now), "2026-000001")
        tm.commit()

        tm1, site1 = self.open()
        tm2, site2 = self.open()
        self.assertEqual(self.take(site1, now), "2026-000002")
        self.assertEqual(self.take(site2, now), "2026-000002")  # same snapshot
        tm1.commit()
        with self.assertRaises(ConflictError):
            tm2.commit()
        tm2.abort()

        # What Zope does next: retry the loser, which now gets the next number.
        tm2.begin()
        self.assertEqual(self.take(site2, now), "2026-000003")
        tm2.commit()

        tm3, site3 = self.open()
        setSite(site3)
        self.assertEqual(last_number(2026), 3)

    def assert_second_first_number_conflicts(self, now):
        """Two transactions both take the year's first number: the second
        to commit conflicts (and would be retried), none is lost."""
        tm1, site1 = self.open()
        tm2, site2 = self.open()
        self.assertEqual(self.take(site1, now), "2026-000001")
        self.assertEqual(self.take(site2, now), "2026-000001")
        tm1.commit()
        with self.assertRaises(ConflictError):
            tm2.commit()

    def test_concurrent_first_numbers_of_a_year_conflict(self):
        now = utc(2026, 1, 1, 9)
        tm, site = self.open()
        self.take(site, utc(2025, 12, 1))  # the counters' BTree exists
        tm.commit()

        self.assert_second_first_number_conflicts(now)

    def test_concurrent_first_numbers_ever_conflict(self):
        now = utc(2026, 1, 1, 9)
        self.assert_second_first_number_conflicts(now)

"""The statistics' periods (statistics/periods.py): kinds, defaults, the
series' buckets cut to the period with French labels, errors by field; and
the order statistics of a histogram (figures.median / percentile) against
Python's ``statistics.median`` and a nearest rank computed on the list."""

from datetime import date
from datetime import timedelta
from illkirch.eservices.statistics import figures
from illkirch.eservices.statistics import periods

import math
import random
import statistics
import unittest


TODAY = date(2026, 5, 14)


def parse(**form):
    return periods.parse(form, today=TODAY)


def errors(**form):
    try:
        periods.parse(form, today=TODAY)
    except periods.PeriodError as refused:
        return refused.errors
    raise AssertionError("accepted")


class TestPeriods(unittest.TestCase):
    def test_default_is_this_year_by_month(self):
        period = parse()
        self.assertEqual(
            period.as_dict(),
            {
                "kind": "year",
                "from": "2026-01-01",
                "to": "2026-12-31",
                "group_by": "month",
            },
        )
        self.assertEqual(len(period.buckets), 12)
        self.assertEqual(period.buckets[0].label, "janvier 2026")
        self.assertEqual(period.buckets[7].label, "août 2026")
        self.assertEqual(period.buckets[1].last, date(2026, 2, 28))

    def test_month_quarter_and_year_hold_from(self):
        month = parse(period="month", **{"from": "2024-02-10"})
        self.assertEqual(
            (month.first, month.last), (date(2024, 2, 1), date(2024, 2, 29))
        )
        self.assertEqual(month.group_by, "day")
        self.assertEqual(len(month.buckets), 29)
        self.assertEqual(month.buckets[0].label, "1er février 2024")
        quarter = parse(period="quarter", group_by="quarter", **{"from": "15/11/2026"})
        self.assertEqual(
            (quarter.first, quarter.last), (date(2026, 10, 1), date(2026, 12, 31))
        )
        self.assertEqual(
            [(b.key, b.label) for b in quarter.buckets], [("2026-Q4", "T4 2026")]
        )
        self.assertEqual(parse(period="quarter").first, date(2026, 4, 1))

    def test_custom_buckets_are_cut_to_the_period(self):
        period = parse(**{"from": "2026-03-04", "to": "2026-04-20"})
        self.assertEqual(period.kind, "custom")
        self.assertEqual(period.group_by, "week")  # 48 days
        self.assertEqual(period.buckets[0].first, date(2026, 3, 4))  # a Wednesday
        self.assertEqual(period.buckets[0].last, date(2026, 3, 8))
        self.assertEqual(period.buckets[1].label, "semaine du 9 mars 2026")
        self.assertEqual(period.buckets[-1].last, date(2026, 4, 20))
        days = sum((b.last - b.first).days + 1 for b in period.buckets)
        self.assertEqual(days, (period.last - period.first).days + 1)
        self.assertEqual(parse(period="custom", **{"from": "2026-05-01"}).last, TODAY)
        long = parse(**{"from": "2020-01-01", "to": "2026-12-31"})
        self.assertEqual([b.key for b in long.buckets][:2], ["2020", "2021"])

    def test_errors_by_field(self):
        self.assertEqual(
            set(errors(period="semaine", group_by="siècle", **{"from": "2026-13-01"})),
            {"period", "group_by", "from"},
        )
        self.assertEqual(errors(period="custom"), {"from": periods.FROM_REQUIRED})
        self.assertEqual(
            errors(**{"from": "2026-05-02", "to": "2026-05-01"}),
            {"to": periods.DATES_ORDER},
        )
        self.assertEqual(
            errors(period="year", **{"to": "2026-05-01"}), {"to": periods.TO_NOT_CUSTOM}
        )
        self.assertEqual(
            errors(**{"from": "2000-01-01", "to": "2026-01-01"}),
            {"to": periods.TOO_LONG},
        )
        self.assertEqual(
            errors(group_by="day", **{"from": "2020-01-01", "to": "2026-01-01"}),
            {"group_by": periods.TOO_MANY_BUCKETS},
        )
        self.assertEqual(
            errors(period=["year", "month"]), {"period": periods.BAD_VALUE}
        )


class TestOrderStatistics(unittest.TestCase):
    def test_against_the_lists(self):
        generator = random.Random(19)
        for size in list(range(1, 25)) + [97, 100, 101]:
            values = [generator.randint(0, 30) for _n in range(size)]
            histogram = {}
            for value in values:
                histogram[value] = histogram.get(value, 0) + 1
            self.assertEqual(figures.median(histogram), statistics.median(values))
            rank = math.ceil(0.9 * size)
            self.assertEqual(figures.percentile(histogram), sorted(values)[rank - 1])
        self.assertIsNone(figures.median({}))
        self.assertIsNone(figures.percentile({}))
        self.assertEqual(figures.median({2: 1, 3: 1}), 2.5)


class TestWeeks(unittest.TestCase):
    def test_week_keys_are_iso_weeks(self):
        period = parse(group_by="week", **{"from": "2026-12-28", "to": "2027-01-10"})
        first = date(2026, 12, 28)
        self.assertEqual(
            [b.key for b in period.buckets],
            [
                f"{(first + timedelta(7 * n)).isocalendar()[0]}-W"
                f"{(first + timedelta(7 * n)).isocalendar()[1]:02d}"
                for n in range(2)
            ],
        )

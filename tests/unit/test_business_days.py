"""Working days in the town (France, Alsace): plain unit tests."""

from datetime import UTC
from datetime import date
from datetime import datetime
from illkirch.eservices.business_days import add_business_days
from illkirch.eservices.business_days import business_days_between
from illkirch.eservices.business_days import is_business_day
from illkirch.eservices.business_days import is_overdue
from illkirch.eservices.business_days import town_holidays
from zoneinfo import ZoneInfo

import pytest


PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),
        date(2026, 4, 3),  # Good Friday (Alsace-Moselle)
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),
        date(2026, 5, 8),
        date(2026, 5, 14),  # Ascension
        date(2026, 5, 25),  # Whit Monday
        date(2026, 7, 14),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
        date(2026, 12, 26),  # Saint Stephen's Day (Alsace-Moselle)
    ],
)
def test_town_holidays_2026(day):
    assert day in town_holidays([2026])


def test_town_holidays_count_and_cache():
    assert len(town_holidays([2026])) == 13
    assert town_holidays([2026]) is town_holidays((2026,))
    both = town_holidays([2025, 2026])
    assert date(2025, 12, 26) in both and date(2026, 4, 3) in both


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 4, 3),  # Good Friday, a Friday
        date(2025, 12, 26),  # Saint Stephen's Day, a Friday
        date(2026, 5, 1),  # Labour Day, a Friday
        date(2026, 7, 14),  # National Day, a Tuesday
        date(2026, 4, 4),  # Saturday
        date(2026, 4, 5),  # Sunday
    ],
)
def test_not_business_days(day):
    assert not is_business_day(day)


@pytest.mark.parametrize(
    "day", [date(2026, 4, 2), date(2026, 4, 7), date(2026, 12, 24)]
)
def test_business_days(day):
    assert is_business_day(day)


def test_aware_datetime_counts_by_its_date_in_paris():
    # 22:30 UTC on 2 April is 00:30 on Good Friday in Paris.
    late = datetime(2026, 4, 2, 22, 30, tzinfo=UTC)
    assert not is_business_day(late)
    assert is_business_day(datetime(2026, 4, 2, 21, 30, tzinfo=UTC))
    assert is_business_day(datetime(2026, 4, 2, 22, 30))  # naive: as it is
    assert add_business_days(late, 1) == date(2026, 4, 7)


def test_add_business_days_over_easter():
    # Thursday 2 April 2026; Good Friday, the weekend, Easter Monday follow.
    assert add_business_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert add_business_days(date(2026, 4, 2), 3) == date(2026, 4, 9)
    assert add_business_days(datetime(2026, 4, 2, 16, 0, tzinfo=PARIS), 1) == date(
        2026, 4, 7
    )


def test_add_business_days_over_a_weekend():
    assert add_business_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Fri -> Mon
    assert add_business_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # Sat -> Mon
    assert add_business_days(date(2026, 3, 4), 5) == date(2026, 3, 11)


def test_add_zero_and_negative_business_days():
    assert add_business_days(date(2026, 4, 4), 0) == date(2026, 4, 4)
    assert add_business_days(date(2026, 4, 7), -1) == date(2026, 4, 2)


def test_business_days_between():
    assert business_days_between(date(2026, 4, 2), date(2026, 4, 9)) == 3
    # Christmas to the new year: 24, 28, 29, 30, 31 Dec and 4 Jan.
    assert business_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 6
    assert business_days_between(date(2026, 3, 2), date(2026, 3, 31)) == 21
    assert business_days_between(date(2026, 4, 2), date(2026, 4, 2)) == 0
    assert business_days_between(date(2026, 4, 9), date(2026, 4, 2)) == 0


def test_business_days_between_inverse_of_add():
    start = date(2026, 4, 30)
    for days in range(0, 30):
        assert business_days_between(start, add_business_days(start, days)) == days


def test_is_overdue_around_the_boundary():
    submitted = date(2026, 4, 2)
    # Working days after it: 7 April (1), 8 April (2), 9 April (3).
    assert not is_overdue(submitted, 2, date(2026, 4, 7))
    assert not is_overdue(submitted, 2, date(2026, 4, 8))
    assert is_overdue(submitted, 2, date(2026, 4, 9))
    submitted_at = datetime(2026, 4, 2, 17, 45, tzinfo=PARIS)
    assert not is_overdue(submitted_at, 2, date(2026, 4, 8))
    assert is_overdue(submitted_at, 2, date(2026, 4, 9))

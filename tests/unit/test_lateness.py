"""The one rule of lateness (« en retard »), in working days: plain unit
tests of ``business_days.is_overdue`` with a deadline, and of the catalog
bound that gives the same answer."""

from datetime import date
from datetime import timedelta
from illkirch.eservices.business_days import add_business_days
from illkirch.eservices.business_days import is_overdue
from illkirch.eservices.business_days import last_overdue_deadline


def test_a_deadline_is_overdue_once_a_working_day_has_passed():
    due = date(2026, 4, 2)  # Thursday; Good Friday, the weekend, Easter Monday
    assert not is_overdue(due, 0, date(2026, 4, 2))
    assert not is_overdue(due, 0, date(2026, 4, 6))
    assert is_overdue(due, 0, date(2026, 4, 7))


def test_waited_days_and_deadline_agree():
    start = date(2026, 12, 23)
    for allowed in range(0, 6):
        deadline = add_business_days(start, allowed)
        for offset in range(0, 20):
            today = start + timedelta(days=offset)
            assert is_overdue(start, allowed, today) == is_overdue(deadline, 0, today)


def test_last_overdue_deadline():
    assert last_overdue_deadline(date(2026, 4, 8)) == date(2026, 4, 7)
    # Tuesday after Easter: the last working day before it is Thursday.
    assert last_overdue_deadline(date(2026, 4, 7)) == date(2026, 4, 6)
    assert last_overdue_deadline(date(2026, 4, 6)) == date(2026, 4, 1)
    assert last_overdue_deadline(date(2026, 4, 4)) == date(2026, 4, 1)


def test_last_overdue_deadline_bounds_is_overdue():
    start = date(2026, 3, 25)
    for offset in range(0, 40):
        today = start + timedelta(days=offset)
        bound = last_overdue_deadline(today)
        for back in range(0, 15):
            due = today - timedelta(days=back)
            assert is_overdue(due, 0, today) == (due <= bound), (due, today)

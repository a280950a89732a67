"""Working days in the town: deadlines, and the one rule of lateness
(« en retard »: more working days have passed than were allowed), which
requests (their processing time) and accounts (their validation delay)
both follow.

Illkirch-Graffenstaden is in Alsace (Bas-Rhin), whose local law adds two
public holidays to the national ones: Good Friday and Saint Stephen's Day
(26 December). The ``holidays`` package has them under France's subdivision
"6AE" (Alsace; "57" is Moselle, with the same two holidays). Saturdays and
Sundays are not working days either.

Dates and naive datetimes are taken as they are; timezone-aware datetimes
count by their date in Europe/Paris.
"""

from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import functools
import holidays


TIMEZONE = ZoneInfo("Europe/Paris")
COUNTRY = "FR"
SUBDIVISION = "6AE"  # Alsace: Bas-Rhin and Haut-Rhin.
SATURDAY = 5  # date.weekday() of Saturday; Sunday is 6.


@functools.lru_cache(maxsize=32)
def _town_holidays(years: frozenset) -> holidays.HolidayBase:
    return holidays.country_holidays(
        COUNTRY, subdiv=SUBDIVISION, years=sorted(years), language="fr"
    )


def town_holidays(years) -> holidays.HolidayBase:
    """The public holidays of the town for ``years`` (a year or an iterable).

    Cached per set of years: treat the result as read-only.
    """
    if isinstance(years, int):
        years = (years,)
    return _town_holidays(frozenset(years))


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(TIMEZONE)
        return value.date()
    return value


def is_business_day(day: date | datetime) -> bool:
    """Whether the town's offices work that day: no weekend, no holiday."""
    day = _as_date(day)
    return day.weekday() < SATURDAY and day not in town_holidays(day.year)


def add_business_days(start: date | datetime, days: int) -> date:
    """The date ``days`` working days after ``start`` (start not counted).

    ``days`` = 0 gives the date of ``start`` itself; a negative number counts
    working days backwards.
    """
    day = _as_date(start)
    step = timedelta(days=1 if days >= 0 else -1)
    remaining = abs(days)
    while remaining:
        day += step
        if is_business_day(day):
            remaining -= 1
    return day


def business_days_between(start: date | datetime, end: date | datetime) -> int:
    """Working days strictly after ``start`` up to and including ``end``.

    0 when ``end`` is not after ``start``.
    """
    day, end = _as_date(start), _as_date(end)
    count = 0
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count


def today() -> date:
    """The date in the town now."""
    return datetime.now(TIMEZONE).date()


def is_overdue(
    submitted: date | datetime, allowed_days: int, today: date | datetime
) -> bool:
    """Whether more than ``allowed_days`` working days have passed since
    ``submitted`` (its own day not counted) up to ``today`` included.

    With a deadline (``add_business_days``) and 0 days: whether a working
    day has passed since the deadline."""
    return business_days_between(submitted, today) > allowed_days


def last_overdue_deadline(today: date | datetime) -> date:
    """The latest deadline overdue on ``today`` (``is_overdue(deadline, 0,
    today)``): the day before the last working day up to ``today``; every
    earlier deadline is overdue too (a catalog range)."""
    day = _as_date(today)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day - timedelta(days=1)

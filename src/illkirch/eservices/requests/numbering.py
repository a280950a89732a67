"""Request numbers: ``AAAA-NNNNNN``, the year of submission (Paris time) and a
6-digit sequence that restarts at 000001 every year.

The counters live on the site, in the annotation ``ANNOTATION_KEY``: an
``OOBTree`` mapping a year (int) to a ``YearCounter``.

Uniqueness across threads and Zope instances sharing one database relies on
ZODB's optimistic concurrency, deliberately **without** conflict resolution:
two transactions incrementing the same counter write the same object, so the
second to commit gets a ``ConflictError`` and Zope's publisher retries the
whole request, which then reads the new value. Never replace the counter with
``BTrees.Length`` or give it a ``_p_resolveConflict``: that would merge both
increments and hand out the same number twice. Two transactions creating the
same new year's counter conflict as well (same key inserted in the BTree).

Call ``next_number`` in the transaction that stores the request: if the
transaction aborts, the number is not consumed, so there is no gap.
"""

from BTrees.OOBTree import OOBTree
from datetime import UTC
from datetime import datetime
from illkirch.eservices.business_days import TIMEZONE
from persistent import Persistent
from plone import api
from zope.annotation.interfaces import IAnnotations

import re


ANNOTATION_KEY = "illkirch.eservices.request_numbers"
MAX_SEQUENCE = 999999

_NUMBER = re.compile(r"([0-9]{4})-([0-9]{6})")


class YearCounter(Persistent):
    """The last number given in one year. No ``_p_resolveConflict`` on
    purpose: concurrent increments must conflict (see the module's doc)."""

    def __init__(self):
        self.value = 0


def _counters(create):
    """The site's OOBTree of counters; ``None`` if absent and not ``create``."""
    annotations = IAnnotations(api.portal.get())
    counters = annotations.get(ANNOTATION_KEY)
    if counters is None and create:
        counters = annotations[ANNOTATION_KEY] = OOBTree()
    return counters


def submission_year(now=None):
    """The year of ``now`` (aware datetime, default: now) in Paris."""
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    return now.astimezone(TIMEZONE).year


def format_number(year, sequence):
    return f"{year:04d}-{sequence:06d}"


def next_number(now: datetime | None = None) -> str:
    """Take the next number of the year of ``now`` (Paris time), e.g.
    ``"2026-000001"``. Writes to the ZODB: the caller's transaction must
    commit for the number to be taken."""
    year = submission_year(now)
    counters = _counters(create=True)
    counter = counters.get(year)
    if counter is None:
        counter = counters[year] = YearCounter()
    if counter.value >= MAX_SEQUENCE:
        raise OverflowError(f"no request number left for {year}")
    counter.value += 1
    return format_number(year, counter.value)


def last_number(year: int) -> int:
    """The last sequence given in ``year``, 0 if none yet. Never writes."""
    counters = _counters(create=False)
    if counters is None:
        return 0
    counter = counters.get(year)
    return 0 if counter is None else counter.value


def parse_number(number: str) -> tuple[int, int] | None:
    """``"2026-000042"`` → ``(2026, 42)``; ``None`` if it is not a number
    this module could have given (ASCII digits only, no surrounding text,
    neither year 0000 nor sequence 000000)."""
    if not isinstance(number, str):
        return None
    match = _NUMBER.fullmatch(number)
    if match is None:
        return None
    year, sequence = int(match.group(1)), int(match.group(2))
    if year == 0 or sequence == 0:
        return None
    return year, sequence

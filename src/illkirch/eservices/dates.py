"""Dates as the town writes them: what citizens and agents type (DD/MM/YYYY
or ISO, YYYY-MM-DD, as HTML date inputs and JSON send), and the French way
of showing them (``14/03/1986``, ``27/11/2026 08:17``).

Parsers raise ValueError; each caller turns it into its own message.
"""

from datetime import date
from datetime import datetime
from datetime import tzinfo


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M")
DATE_DISPLAY = "%d/%m/%Y"
DATETIME_DISPLAY = "%d/%m/%Y %H:%M"


def _parse(text: str, formats: tuple) -> datetime:
    text = str(text).strip()
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(text)


def parse_date(text: str) -> date:
    """A date typed as DD/MM/YYYY or YYYY-MM-DD (surrounding spaces
    ignored); ValueError otherwise."""
    return _parse(text, DATE_FORMATS).date()


def parse_datetime(text: str) -> datetime:
    """A naive date and time typed as DD/MM/YYYY HH:MM or YYYY-MM-DDTHH:MM
    (seconds optional); ValueError otherwise."""
    return _parse(text, DATETIME_FORMATS)


def format_date(value) -> str:
    """``14/03/1986``; "" for no date. Dates, datetimes and Zope DateTimes
    (as they stand: a moment's day is the caller's choice of time zone)."""
    return value.strftime(DATE_DISPLAY) if value else ""


def format_datetime(value, zone: tzinfo | None = None) -> str:
    """``27/11/2026 08:17``; "" for no moment. Shown in ``zone`` when one is
    given (``datetime.astimezone``: a naive datetime is taken as local)."""
    if not value:
        return ""
    if zone is not None:
        value = value.astimezone(zone)
    return value.strftime(DATETIME_DISPLAY)

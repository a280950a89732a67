"""The period of a report and the buckets of its series.

Parameters (a mapping of strings: a query string, a form):

- ``period``: ``month``, ``quarter``, ``year`` or ``custom``. Without it,
  ``custom`` when ``to`` is given, else ``year``.
- ``from``: for ``custom``, the first day (required); for a month, a
  quarter or a year, any day in it (default: today). ``DD/MM/YYYY`` or
  ``YYYY-MM-DD``.
- ``to``: the last day of a ``custom`` period (default: today); refused
  with another kind.
- ``group_by``: ``day``, ``week``, ``month``, ``quarter`` or ``year``: the
  buckets of the series. Default: a month by day, a quarter and a year by
  month, a custom period by day up to 31 days, by week up to 92 days, by
  month up to 2 years, else by year.

The buckets cover the period exactly: the first and last ones are cut to
it (a week from Monday to Sunday, a quarter ``T1``..``T4``). Their labels
are French (the site's language, as the CSV's headers).
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta
from illkirch.eservices import _
from illkirch.eservices import business_days
from illkirch.eservices import dates
from illkirch.eservices.errors import FieldErrors


KINDS = ("month", "quarter", "year", "custom")
GROUP_BYS = ("day", "week", "month", "quarter", "year")
DEFAULT_GROUP_BY = {"month": "day", "quarter": "month", "year": "month"}
# The longest custom period (days) and the most buckets of a series.
MAX_DAYS = 366 * 10
MAX_BUCKETS = 400
PARAMETERS = ("period", "from", "to", "group_by")

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

BAD_KIND = _(
    "error_statistics_period",
    default="Choose a month, a quarter, a year or custom dates.",
)
BAD_GROUP_BY = _(
    "error_statistics_group_by",
    default="Group by day, week, month, quarter or year.",
)
BAD_DATE = _(
    "error_statistics_date", default="Give a date as DD/MM/YYYY (or YYYY-MM-DD)."
)
FROM_REQUIRED = _(
    "error_statistics_from_required", default="Give the first day of the period."
)
TO_NOT_CUSTOM = _(
    "error_statistics_to_not_custom",
    default="An end date is only given with custom dates.",
)
DATES_ORDER = _(
    "error_statistics_dates_order",
    default="The start date must not be after the end date.",
)
TOO_LONG = _(
    "error_statistics_too_long",
    default="Choose a period of at most ten years.",
)
TOO_MANY_BUCKETS = _(
    "error_statistics_too_many_buckets",
    default="Too many columns: group by a longer unit.",
)
BAD_VALUE = _("error_statistics_value", default="Give one value only, as text.")


class PeriodError(FieldErrors):
    """Bad period parameters, by parameter."""


@dataclass(frozen=True)
class Bucket:
    key: str  # "2026-01-05", "2026-W02", "2026-01", "2026-Q1", "2026"
    label: str  # French: « 5 janvier 2026 », « janvier 2026 », « T1 2026 »
    first: date
    last: date


@dataclass
class Period:
    kind: str
    first: date
    last: date
    group_by: str
    buckets: list = field(default_factory=list)

    def as_dict(self):
        return {
            "kind": self.kind,
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "group_by": self.group_by,
        }

    def params(self):
        """The parameters giving this period (links, downloads)."""
        values = {"period": self.kind, "from": self.first.isoformat()}
        if self.kind == "custom":
            values["to"] = self.last.isoformat()
        values["group_by"] = self.group_by
        return values


# calendar ---------------------------------------------------------------------


def month_bounds(day):
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def quarter_of(day):
    return (day.month - 1) // 3 + 1


def quarter_bounds(day):
    first = date(day.year, 3 * (quarter_of(day) - 1) + 1, 1)
    last = month_bounds(date(day.year, first.month + 2, 1))[1]
    return first, last


def year_bounds(day):
    return date(day.year, 1, 1), date(day.year, 12, 31)


def week_bounds(day):
    first = day - timedelta(days=day.weekday())
    return first, first + timedelta(days=6)


def day_label(day):
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


def _bucket(unit, day):
    """The bucket of ``unit`` holding ``day`` (uncut)."""
    if unit == "day":
        return Bucket(day.isoformat(), day_label(day), day, day)
    if unit == "week":
        first, last = week_bounds(day)
        year, week, _weekday = first.isocalendar()
        return Bucket(
            f"{year}-W{week:02d}", f"semaine du {day_label(first)}", first, last
        )
    if unit == "month":
        first, last = month_bounds(day)
        return Bucket(
            f"{day.year}-{day.month:02d}",
            f"{MONTHS[day.month - 1]} {day.year}",
            first,
            last,
        )
    if unit == "quarter":
        first, last = quarter_bounds(day)
        number = quarter_of(day)
        return Bucket(f"{day.year}-Q{number}", f"T{number} {day.year}", first, last)
    first, last = year_bounds(day)
    return Bucket(str(day.year), str(day.year), first, last)


def buckets(first, last, unit, limit=None):
    """The buckets of ``unit`` from ``first`` to ``last``, cut to them (None
    when there would be more than ``limit``)."""
    found = []
    day = first
    while day <= last:
        bucket = _bucket(unit, day)
        found.append(
            Bucket(
                bucket.key,
                bucket.label,
                max(bucket.first, first),
                min(bucket.last, last),
            )
        )
        if limit is not None and len(found) > limit:
            return None
        day = bucket.last + timedelta(days=1)
    return found


def default_group_by(kind, first, last):
    if kind in DEFAULT_GROUP_BY:
        return DEFAULT_GROUP_BY[kind]
    length = (last - first).days + 1
    if length <= 31:
        return "day"
    if length <= 92:
        return "week"
    if length <= 731:
        return "month"
    return "year"


# parsing ----------------------------------------------------------------------


def _value(form, name, errors):
    value = form.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = BAD_VALUE
        return ""
    return value.strip()


def _date(form, name, errors):
    raw = _value(form, name, errors)
    if not raw:
        return None
    try:
        return dates.parse_date(raw)
    except ValueError:
        errors[name] = BAD_DATE
        return None


def parse(form, today=None):
    """The ``Period`` of the parameters, or raise ``PeriodError`` with
    every error at once."""
    today = today or business_days.today()
    errors = {}
    kind = _value(form, "period", errors).lower()
    start = _date(form, "from", errors)
    end = _date(form, "to", errors)
    has_to = bool(_value(form, "to", {}))
    if not kind:
        kind = "custom" if has_to else "year"
    if kind not in KINDS:
        errors["period"] = BAD_KIND
    group_by = _value(form, "group_by", errors).lower()
    if group_by and group_by not in GROUP_BYS:
        errors["group_by"] = BAD_GROUP_BY
    if errors:
        raise PeriodError(errors)
    if kind == "custom":
        if start is None:
            errors["from"] = FROM_REQUIRED
        else:
            end = end or today
            if start > end:
                errors["to"] = DATES_ORDER
            elif (end - start).days + 1 > MAX_DAYS:
                errors["to"] = TOO_LONG
        if errors:
            raise PeriodError(errors)
        first, last = start, end
    else:
        if has_to:
            raise PeriodError({"to": TO_NOT_CUSTOM})
        bounds = {"month": month_bounds, "quarter": quarter_bounds}.get(
            kind, year_bounds
        )
        first, last = bounds(start or today)
    group_by = group_by or default_group_by(kind, first, last)
    found = buckets(first, last, group_by, MAX_BUCKETS)
    if found is None:
        raise PeriodError({"group_by": TOO_MANY_BUCKETS})
    return Period(kind, first, last, group_by, found)

"""The figures of the dashboard ``@@tableau-de-bord``, of ``GET
/@statistics`` and of their CSV and ODS downloads, computed from the
aggregates (``store.py``) for a user's scope (``scope.py``) and a period
(``periods.py``). docs/statistics.md gives each figure's exact definition.

``report(scope, period, service_uid=None)`` returns a JSON-ready dict:

    {
      "period": {"kind": "year", "from": "2026-01-01", "to": "2026-12-31",
                 "group_by": "month"},
      "service": None | uid,
      "threshold": 5,
      "requests": {
        "filed": int, "accepted": int, "rejected": int,
        "status_now": {state: int, ...},            # every state of STATES
        "processing_days": {"count": int, "median": float|None,
                            "p90": int|None},
        "within_delay": {"count": int, "share": float|None},  # 0..1
        "late_now": int,
        "series": [{"period": "2026-01", "label": "janvier 2026",
                    "from": "2026-01-01", "to": "2026-01-31",
                    "filed": int, "accepted": int, "rejected": int,
                    "median_days": float|None, "p90_days": int|None}],
      },
      "by_service": [{"uid", "title", "group", "group_title",
                      "announced_days", "filed", "accepted", "rejected",
                      "median_days", "p90_days", "within_delay_share",
                      "late_now", "status_now": {state: int}}],
      "by_group": [{"group", "title", + the same figures as by_service}],
      "by_assignee": [{"assignee", "name", "others": False, "decided",
                       "accepted", "rejected", "median_days", "p90_days"}],
            # the assignees with 5 decisions or more, by name; then, when
            # some have fewer, one unnamed row gathering them:
            #   {"assignee": None, "name": "", "others": True,
            #    "agents": int|"< 5", ...the same figures}
            # then the decisions taken unassigned ("assignee": "",
            # "name": ""). In every row a count from 1 to 4 is the string
            # "< 5", and the processing times of fewer than 5 decisions
            # are None.
      "payments": None | {"paid_count", "paid_cents", "failed_count",
                          "by_regie": [{"regie", "title", "paid_count",
                                        "paid_cents", "failed_count",
                                        "by_backend": [{"backend",
                                          "paid_count", "paid_cents",
                                          "failed_count"}]}]},
      "accounts": None | {"created": int, "validated": int,
                          "validation_days": {"count", "median", "p90"}},
      "messages": {"citizen": int, "agent": int, "internal": int},
    }

``payments`` and ``accounts`` are None for an agent (their groups'
services only): they are the town's, not a service's.
"""

from bisect import bisect_right
from collections import Counter
from collections import defaultdict
from illkirch.eservices import business_days
from illkirch.eservices.billing.regies import get_regie
from illkirch.eservices.catalog_stamp import committed_stamp
from illkirch.eservices.requests import processing
from illkirch.eservices.statistics import store
from illkirch.eservices.vocabularies.agents_groups import agents_group_titles
from plone import api

import math
import threading


THRESHOLD = 5
BELOW_THRESHOLD = "< 5"
PERCENTILE = 90
PAID, FAILED = "paid", "failed"


# order statistics of a histogram --------------------------------------------------


def _nth(histogram, index):
    """The ``index``-th smallest value (0-based) of a histogram
    ``{value: count}``."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if index < seen:
            return value
    raise IndexError(index)


def size(histogram):
    return sum(histogram.values())


def median(histogram):
    """``statistics.median`` of the values a histogram counts (the mean of
    the two middle ones for an even count), a float; None when empty."""
    count = size(histogram)
    if not count:
        return None
    if count % 2:
        return float(_nth(histogram, count // 2))
    return (_nth(histogram, count // 2 - 1) + _nth(histogram, count // 2)) / 2


def percentile(histogram, rank=PERCENTILE):
    """The nearest-rank percentile: the smallest value with at least
    ``rank`` % of the values at or below it (the ``ceil(rank/100 × n)``-th
    smallest); None when empty."""
    count = size(histogram)
    if not count:
        return None
    return _nth(histogram, math.ceil(rank * count / 100) - 1)


def times(histogram):
    return {
        "count": size(histogram),
        "median": median(histogram),
        "p90": percentile(histogram),
    }


# collecting ---------------------------------------------------------------------


class Tally:
    """The request figures of one cell (a service, a group, a bucket, an
    assignee)."""

    def __init__(self):
        self.filed = 0
        self.outcomes = Counter()  # "accepted"/"rejected" → count
        self.days = Counter()  # business days → decisions
        self.within = 0
        self.status = Counter()
        self.late = 0

    def add(self, other):
        self.filed += other.filed
        self.outcomes.update(other.outcomes)
        self.days.update(other.days)
        self.within += other.within
        self.status.update(other.status)
        self.late += other.late

    def decide(self, outcome, days, within, count):
        self.outcomes[outcome] += count
        self.days[days] += count
        self.within += within * count

    @property
    def decided(self):
        return size(self.days)

    def within_share(self):
        return self.within / self.decided if self.decided else None

    def figures(self):
        return {
            "filed": self.filed,
            "accepted": self.outcomes["accepted"],
            "rejected": self.outcomes["rejected"],
            "median_days": median(self.days),
            "p90_days": percentile(self.days),
            "within_delay_share": self.within_share(),
            "late_now": self.late,
            "status_now": {state: self.status[state] for state in processing.STATES},
        }


# #22: each service's count of late requests, kept by the catalog's
# committed stamp and the day's deadline (shared by the worker threads):
# {(catalog's path, service_uid, deadline): (stamp, count)}.
_LATE = {}
_LATE_KEPT = 1000


def late_counts(uids, today=None):
    """``{service_uid: count}`` of the requests late now: waiting for the
    town (``processing.WAITING_STATES``) a working day after their due date
    (``processing.overdue``), by an unrestricted catalog query (a
    Supervisor may not View requests) on the services ``uids`` only.

    Each count is kept until the catalog changes (#22: the query
    intersects the service's requests with the waiting ones, a cost that
    grows with the town): a request filed, moved to another status or given
    another due date is reindexed, which moves the catalog's counter; and a
    new day gives a new deadline. Not kept while the running transaction has
    changed the catalog (``catalog_stamp.committed_stamp``)."""
    catalog = api.portal.get_tool("portal_catalog")
    deadline = business_days.last_overdue_deadline(today or processing.today())
    stamp = committed_stamp()
    where = catalog.getPhysicalPath()
    result = {}
    for uid in uids:
        key = (where, uid, deadline)
        kept = _LATE.get(key) if stamp is not None else None
        if kept is not None and kept[0] == stamp:
            result[uid] = kept[1]
            continue
        result[uid] = len(
            catalog.unrestrictedSearchResults(
                portal_type="Request",
                service_uid=uid,
                review_state=list(processing.WAITING_STATES),
                request_due={"query": deadline, "range": "max"},
            )
        )
        if stamp is not None:
            if len(_LATE) >= _LATE_KEPT:
                _LATE.clear()
            _LATE[key] = (stamp, result[uid])
    return result


def _masked(count):
    return BELOW_THRESHOLD if 0 < count < THRESHOLD else count


def _user_name(userid, names):
    if userid not in names:
        # PAS directly: api.user.get wraps the user as member data (#22)
        user = api.portal.get_tool("acl_users").getUserById(userid)
        name = user.getProperty("fullname", "") if user is not None else ""
        names[userid] = name or userid
    return names[userid]


def _regie_title(regie_id):
    regie = get_regie(regie_id)
    return regie.Title() if regie is not None else regie_id


# the sums of the facts --------------------------------------------------------


class Collected:
    """The sums of a period's facts for the services ``uids``: what
    ``report`` reads of the aggregates' days. Every sum is linear in the
    facts' counts, so the sums of the closed days and those of the live
    buckets add up to the sums of ``store.facts`` (which adds both per
    fact)."""

    def __init__(self, uids, buckets):
        self.per_service = {uid: Tally() for uid in uids}
        self.series = [Tally() for _bucket in range(buckets)]
        self.assignees = defaultdict(Tally)
        self.messages = Counter()
        self.payments = defaultdict(Counter)  # (regie, backend) → {status: n}
        self.cents = defaultdict(Counter)
        self.accounts = Counter()
        self.validation = Counter()

    def count(self, facts, uids, starts):
        """Add ``(day, fact, count)`` of ``facts``."""
        per_service, series, assignees = self.per_service, self.series, self.assignees
        for day, fact, count in facts:
            kind = fact[0]
            bucket = series[bisect_right(starts, day.toordinal()) - 1]
            if kind == store.FILED and fact[1] in uids:
                per_service[fact[1]].filed += count
                bucket.filed += count
            elif kind == store.DECIDED and fact[1] in uids:
                _kind, uid, assignee, outcome, days, within = fact
                for tally in (per_service[uid], bucket, assignees[assignee]):
                    tally.decide(outcome, days, within, count)
            elif kind == store.MESSAGE and fact[1] in uids:
                self.messages[fact[2]] += count
            elif kind == store.PAYMENT:
                self.payments[fact[1], fact[2]][fact[3]] += count
            elif kind == store.PAYMENT_CENTS:
                self.cents[fact[1], fact[2]][fact[3]] += count
            elif kind == store.ACCOUNT:
                self.accounts[fact[1]] += count
                if fact[1] == "validated":
                    self.validation[fact[2]] += count
        return self

    def add(self, other):
        """Add the sums of ``other`` (of the same services and buckets)."""
        for uid, tally in other.per_service.items():
            self.per_service[uid].add(tally)
        for mine, theirs in zip(self.series, other.series, strict=True):
            mine.add(theirs)
        for assignee, tally in other.assignees.items():
            self.assignees[assignee].add(tally)
        self.messages.update(other.messages)
        for key, counts in other.payments.items():
            self.payments[key].update(counts)
        for key, counts in other.cents.items():
            self.cents[key].update(counts)
        self.accounts.update(other.accounts)
        self.validation.update(other.validation)
        return self

    def settle(self):
        """Leave out the (régie, backend) whose counts all add up to zero:
        ``store.facts`` yields no fact of a zero sum, so ``report`` had no
        row for them."""
        for key in list(self.payments.keys() | self.cents.keys()):
            if not any(self.payments[key].values()) and not any(
                self.cents[key].values()
            ):
                del self.payments[key]
                del self.cents[key]
        return self


# The sums of the closed days, kept in memory by (the closed days' token,
# the services, the period and its buckets): a past day no longer changes
# (store.py), so these sums are those of the next report of that period
# until the next compaction draws a new token. Shared by the threads; each
# kept value is never changed (a report adds it to fresh tallies).
KEPT_SUMS = 64
_kept = {}
_kept_lock = threading.Lock()


def closed_sums(uids, period, starts):
    """The sums of the closed days of ``period`` (kept, see above)."""
    token = store.closed_key()
    key = (
        token,
        frozenset(uids),
        period.first.toordinal(),
        period.last.toordinal(),
        tuple(starts),
    )
    if token is not None:
        with _kept_lock:
            found = _kept.get(key)
        if found is not None:
            return found
    found = Collected(uids, len(starts)).count(
        store.closed_facts(period.first, period.last), uids, starts
    )
    if token is not None:
        with _kept_lock:
            while len(_kept) >= KEPT_SUMS:
                del _kept[next(iter(_kept))]
            _kept[key] = found
    return found


def forget_sums():
    """Drop the kept sums (tests)."""
    with _kept_lock:
        _kept.clear()


def collect(uids, period):
    """The sums of the period's facts for the services ``uids``: those of
    the closed days (kept) and those of the live buckets (read each time:
    today's and the few days not frozen yet)."""
    starts = [bucket.first.toordinal() for bucket in period.buckets]
    collected = Collected(uids, len(starts))
    collected.add(closed_sums(uids, period, starts))
    collected.count(store.live_facts(period.first, period.last), uids, starts)
    return collected.settle()


# the report -------------------------------------------------------------------


def report(scope, period, service_uid=None, today=None):
    """The figures of ``period`` (``periods.Period``) for ``scope``
    (``scope.Scope``), of one of its services with ``service_uid``
    (a ``LookupError`` when it is not in the scope)."""
    services = scope.services
    if service_uid:
        services = [s for s in services if s.UID() == service_uid]
        if not services:
            raise LookupError(service_uid)
    uids = {service.UID() for service in services}
    collected = collect(uids, period)
    per_service = collected.per_service
    series = collected.series
    assignees = collected.assignees
    messages = collected.messages
    accounts = collected.accounts
    validation = collected.validation

    for (uid, state), count in store.status_counts(sorted(uids)).items():
        per_service[uid].status[state] += count
    for uid, count in late_counts(sorted(uids), today).items():
        per_service[uid].late += count

    total = Tally()
    for tally in per_service.values():
        total.add(tally)
    group_titles = agents_group_titles(
        {service.agents_group or "" for service in services}
    )
    by_group = {}
    by_service = []
    for service in services:
        tally = per_service[service.UID()]
        group = service.agents_group or ""
        by_service.append(
            {
                "uid": service.UID(),
                "title": service.Title(),
                "group": group,
                "group_title": group_titles.get(group, group),
                "announced_days": service.processing_days,
                **tally.figures(),
            }
        )
        by_group.setdefault(group, Tally()).add(tally)

    names = {}
    return {
        "period": period.as_dict(),
        "service": service_uid or None,
        "threshold": THRESHOLD,
        "requests": {
            "filed": total.filed,
            "accepted": total.outcomes["accepted"],
            "rejected": total.outcomes["rejected"],
            "status_now": {state: total.status[state] for state in processing.STATES},
            "processing_days": times(total.days),
            "within_delay": {"count": total.within, "share": total.within_share()},
            "late_now": total.late,
            "series": [
                {
                    "period": bucket.key,
                    "label": bucket.label,
                    "from": bucket.first.isoformat(),
                    "to": bucket.last.isoformat(),
                    "filed": tally.filed,
                    "accepted": tally.outcomes["accepted"],
                    "rejected": tally.outcomes["rejected"],
                    "median_days": median(tally.days),
                    "p90_days": percentile(tally.days),
                }
                for bucket, tally in zip(period.buckets, series, strict=True)
            ],
        },
        "by_service": by_service,
        "by_group": [
            {
                "group": group,
                "title": group_titles.get(group, group),
                **by_group[group].figures(),
            }
            for group in sorted(by_group, key=lambda g: group_titles.get(g, g).lower())
        ],
        "by_assignee": assignee_rows(assignees, names),
        "payments": (
            payments_figures(collected.payments, collected.cents)
            if scope.town
            else None
        ),
        "accounts": (
            {
                "created": accounts["created"],
                "validated": accounts["validated"],
                "validation_days": times(validation),
            }
            if scope.town
            else None
        ),
        "messages": {side: messages[side] for side in ("citizen", "agent", "internal")},
    }


def assignee_rows(assignees, names):
    """The rows of ``by_assignee`` from ``{assignee: Tally}``: an assignee
    with 5 decisions or more has their own row, by name; those with fewer
    are gathered in one unnamed row (``others_row``); the decisions taken
    unassigned (``""``) come last."""
    named = {
        assignee: tally
        for assignee, tally in assignees.items()
        if assignee and tally.decided >= THRESHOLD
    }
    rows = [
        assignee_row(assignee, named[assignee], names)
        for assignee in sorted(named, key=lambda a: _user_name(a, names).lower())
    ]
    few = [
        tally
        for assignee, tally in assignees.items()
        if assignee and assignee not in named and tally.decided
    ]
    if few:
        rows.append(others_row(few))
    if assignees.get("") is not None and assignees[""].decided:
        rows.append(assignee_row("", assignees[""], names))
    return rows


def _decisions(tally):
    """A cell's decisions under the threshold rule: counts from 1 to 4 are
    « < 5 », and the processing times of fewer than 5 decisions are None."""
    shown = tally.decided >= THRESHOLD
    return {
        "decided": _masked(tally.decided),
        "accepted": _masked(tally.outcomes["accepted"]),
        "rejected": _masked(tally.outcomes["rejected"]),
        "median_days": median(tally.days) if shown else None,
        "p90_days": percentile(tally.days) if shown else None,
    }


def assignee_row(assignee, tally, names):
    """An assignee's decisions (``""``: the requests decided unassigned,
    without a name)."""
    return {
        "assignee": assignee,
        "name": _user_name(assignee, names) if assignee else "",
        "others": False,
        **_decisions(tally),
    }


def others_row(tallies):
    """The decisions of the assignees with fewer than 5 decisions each,
    together and without their names; how many they are is « < 5 » under
    5 too."""
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return {
        "assignee": None,
        "name": "",
        "others": True,
        "agents": _masked(len(tallies)),
        **_decisions(total),
    }


def payments_figures(payments, cents):
    by_regie = defaultdict(list)
    for regie, backend in sorted(payments.keys() | cents.keys()):
        by_regie[regie].append(
            {
                "backend": backend,
                "paid_count": payments[regie, backend][PAID],
                "paid_cents": cents[regie, backend][PAID],
                "failed_count": payments[regie, backend][FAILED],
            }
        )
    rows = []
    for regie, backends in by_regie.items():
        rows.append(
            {
                "regie": regie,
                "title": _regie_title(regie) if regie else "",
                "paid_count": sum(b["paid_count"] for b in backends),
                "paid_cents": sum(b["paid_cents"] for b in backends),
                "failed_count": sum(b["failed_count"] for b in backends),
                "by_backend": backends,
            }
        )
    return {
        "paid_count": sum(r["paid_count"] for r in rows),
        "paid_cents": sum(r["paid_cents"] for r in rows),
        "failed_count": sum(r["failed_count"] for r in rows),
        "by_regie": rows,
    }

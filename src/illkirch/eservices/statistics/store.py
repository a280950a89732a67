"""The aggregates behind the statistics, kept on the site and updated by
events (``recording.py``), never by searching the requests.

Two structures, both made so that concurrent writes resolve instead of
conflicting:

- ``status``: an OOBTree ``(service_uid, review_state) → BTrees.Length``:
  the requests of each service in each status now. ``Length`` resolves a
  write conflict by adding both transactions' changes (its
  ``_p_resolveConflict``), and the OOBTree's buckets resolve the
  insertion of distinct keys by two transactions; the rare creation of the
  same new key by both is a ConflictError, retried by the publisher (and
  by ``transaction.manager.attempts`` in commands).
- ``days``: an IOBTree ``day ordinal → OOBTree(fact → Length)``: one
  bucket per day (Paris time) of what happened that day, so that writes of
  different days never touch the same objects, and reading a period reads
  only its days.
- ``closed``: an IOBTree ``day ordinal → ClosedDay``: the past days'
  facts, frozen each night (``compact``, the task ``statistics.compact``)
  into one object per day, a plain ``{fact: count}``. Facts are written on
  the day they happen, so a past day no longer changes; its ``Length``
  counters (a hundred or so per day) would otherwise be as many objects to
  load and keep in the ZODB cache for a year's dashboard. A write that
  still reaches a closed day (a transaction begun before midnight, a
  rebuild) goes to its live bucket again, and ``facts`` adds both.
- ``closed_key``: a random token drawn again whenever ``closed`` changes
  (``compact``): what the reports' sums of the closed days are kept in
  memory by (``figures.py``, #22), so that a year's dashboard reads no
  closed day at all once its sums are kept. None on aggregates not yet
  compacted since #22: nothing is kept for them until the next night.

A fact is a tuple whose first item is its kind; every item is a ``str``
or an ``int`` (never None: tuples of mixed types do not sort):

=================  ==========================================================
kind               fact (its count: how many; ``*_cents``: a sum of cents)
=================  ==========================================================
``filed``          ``("filed", service_uid)``: requests filed that day
``transition``     ``("transition", service_uid, transition_id)``
``decided``        ``("decided", service_uid, assignee, outcome, days,
                   within)``: decisions of that day; ``outcome``
                   ``"accepted"``/``"rejected"``, ``days`` the business days
                   from filing to decision, ``within`` 1 when decided by the
                   due date announced at filing, else 0
``message``        ``("message", service_uid, side)``: messages posted,
                   ``side`` ``"citizen"``/``"agent"``/``"internal"``
``payment``        ``("payment", regie_id, backend, status)``: payments that
                   ended that day, ``status`` ``"paid"``/``"failed"``/
                   ``"cancelled"``/``"expired"``
``payment_cents``  ``("payment_cents", regie_id, backend, status)``: their
                   amount
``account``        ``("account", "created")``: households registered;
                   ``("account", "validated", days)``: households validated,
                   ``days`` the business days since registration
=================  ==========================================================
"""

from BTrees.IOBTree import IOBTree
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from datetime import date
from illkirch.eservices import business_days
from persistent import Persistent
from plone import api
from zope.annotation.interfaces import IAnnotations

import uuid


KEY = "illkirch.eservices.statistics"

FILED = "filed"
TRANSITION = "transition"
DECIDED = "decided"
MESSAGE = "message"
PAYMENT = "payment"
PAYMENT_CENTS = "payment_cents"
ACCOUNT = "account"
KINDS = (FILED, TRANSITION, DECIDED, MESSAGE, PAYMENT, PAYMENT_CENTS, ACCOUNT)


class Aggregates(Persistent):
    """The site's aggregates (see the module's docstring)."""

    closed = None  # aggregates made before the compaction have none
    closed_key = None  # nor those compacted before #22 a key

    def __init__(self):
        self.status = OOBTree()
        self.days = IOBTree()
        self.closed = IOBTree()
        self.closed_key = new_key()


def new_key():
    """A token naming one state of ``closed`` (random: a token drawn in a
    transaction that was aborted is never drawn again)."""
    return uuid.uuid4().hex


class ClosedDay(Persistent):
    """The facts of a past day, frozen into one object."""

    def __init__(self, counts):
        self.counts = {fact: count for fact, count in counts.items() if count}


def get(portal=None, create=True):
    """The site's ``Aggregates`` (created on first use with ``create``)."""
    annotations = IAnnotations(portal if portal is not None else api.portal.get())
    aggregates = annotations.get(KEY)
    if aggregates is None and create:
        aggregates = annotations[KEY] = Aggregates()
    return aggregates


def reset(portal=None):
    """Empty aggregates in place of the site's (``rebuild`` fills them)."""
    annotations = IAnnotations(portal if portal is not None else api.portal.get())
    aggregates = annotations[KEY] = Aggregates()
    return aggregates


def _change(tree, key, delta):
    counter = tree.get(key)
    if counter is None:
        counter = tree[key] = Length(0)
    counter.change(delta)


# writing -----------------------------------------------------------------------


def move_status(service_uid, old_state, new_state, aggregates=None):
    """A request of ``service_uid`` went from ``old_state`` to ``new_state``
    (``old_state`` None: it was filed; ``new_state`` None: it was
    removed)."""
    if old_state == new_state:
        return
    aggregates = aggregates or get()
    if old_state:
        _change(aggregates.status, (service_uid, old_state), -1)
    if new_state:
        _change(aggregates.status, (service_uid, new_state), 1)


def add(day, fact, delta=1, aggregates=None):
    """Count ``delta`` more of ``fact`` on ``day`` (a ``date``)."""
    if not delta:
        return
    aggregates = aggregates or get()
    ordinal = day.toordinal()
    bucket = aggregates.days.get(ordinal)
    if bucket is None:
        bucket = aggregates.days[ordinal] = OOBTree()
    _change(bucket, tuple(fact), delta)


def compact(before=None, aggregates=None):
    """Freeze the live buckets of the days before ``before`` (a date;
    default: today in the town) into one ``ClosedDay`` each, added to what
    was frozen already; return how many days were frozen."""
    aggregates = aggregates or get()
    if aggregates.closed is None:
        aggregates.closed = IOBTree()
    if aggregates.closed_key is None:
        aggregates.closed_key = new_key()
    limit = (before or business_days.today()).toordinal()
    done = 0
    for ordinal in list(aggregates.days.keys(max=limit - 1)):
        counts = {}
        frozen = aggregates.closed.get(ordinal)
        if frozen is not None:
            counts.update(frozen.counts)
        for fact, counter in aggregates.days[ordinal].items():
            counts[fact] = counts.get(fact, 0) + counter()
        aggregates.closed[ordinal] = ClosedDay(counts)
        del aggregates.days[ordinal]
        done += 1
    if done:
        aggregates.closed_key = new_key()
    return done


# reading -----------------------------------------------------------------------


def status_counts(services=None, aggregates=None):
    """``{(service_uid, state): count}`` now, for ``services`` (UIDs; None:
    every service). Counts of zero are left out."""
    aggregates = aggregates if aggregates is not None else get(create=False)
    if aggregates is None:
        return {}
    result = {}
    if services is None:
        items = aggregates.status.items()
    else:
        items = []
        for uid in services:
            items.extend(aggregates.status.items(min=(uid, ""), max=(uid, "\uffff")))
    for key, counter in items:
        value = counter()
        if value:
            result[key] = value
    return result


def closed_key(aggregates=None):
    """The token of the closed days' state (``None``: none, keep nothing)."""
    aggregates = aggregates if aggregates is not None else get(create=False)
    if aggregates is None or aggregates.closed is None:
        return None
    return aggregates.closed_key


def closed_facts(first, last, aggregates=None):
    """``(day, fact, count)`` of the closed days from ``first`` to ``last``
    only, in day order (their live buckets left out: ``live_facts``)."""
    aggregates = aggregates if aggregates is not None else get(create=False)
    if aggregates is None or aggregates.closed is None:
        return
    for ordinal, frozen in aggregates.closed.items(
        min=first.toordinal(), max=last.toordinal()
    ):
        day = date.fromordinal(ordinal)
        for fact in sorted(frozen.counts):
            if frozen.counts[fact]:
                yield day, fact, frozen.counts[fact]


def live_facts(first, last, aggregates=None):
    """``(day, fact, count)`` of the live buckets (today's, and any day not
    frozen yet or written again after) from ``first`` to ``last``. With
    ``closed_facts``, every fact of ``facts``: the sums of both are the
    same (a fact counted in both is their sum)."""
    aggregates = aggregates if aggregates is not None else get(create=False)
    if aggregates is None:
        return
    for ordinal, bucket in aggregates.days.items(
        min=first.toordinal(), max=last.toordinal()
    ):
        day = date.fromordinal(ordinal)
        for fact, counter in bucket.items():
            value = counter()
            if value:
                yield day, fact, value


def facts(first, last, kind=None, aggregates=None):
    """``(day, fact, count)`` of the days from ``first`` to ``last`` (dates,
    both included), of ``kind`` only when given, in day order (the facts of
    a day in their order), closed days and live buckets added."""
    aggregates = aggregates if aggregates is not None else get(create=False)
    if aggregates is None:
        return
    low, high = first.toordinal(), last.toordinal()
    closed = aggregates.closed
    ordinals = set(aggregates.days.keys(min=low, max=high))
    if closed is not None:
        ordinals.update(closed.keys(min=low, max=high))
    for ordinal in sorted(ordinals):
        counts = {}
        frozen = closed.get(ordinal) if closed is not None else None
        if frozen is not None:
            for fact, value in frozen.counts.items():
                if kind is None or fact[0] == kind:
                    counts[fact] = value
        bucket = aggregates.days.get(ordinal)
        if bucket is not None:
            if kind is None:
                items = bucket.items()
            else:
                items = bucket.items(min=(kind,), max=(kind, "\uffff"))
            for fact, counter in items:
                if kind is None or fact[0] == kind:
                    counts[fact] = counts.get(fact, 0) + counter()
        day = date.fromordinal(ordinal)
        for fact in sorted(counts):
            if counts[fact]:
                yield day, fact, counts[fact]

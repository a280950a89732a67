"""The statistics' aggregates as plain values, to compare what the events
kept with a full recount (tests of #19)."""

from datetime import date
from illkirch.eservices.statistics import store
from illkirch.eservices.statistics.rebuild import rebuild
from plone import api


def snapshot(aggregates=None):
    """``(status, days)`` of the aggregates, zero counts left out:
    ``{(service, state): n}`` and ``{(ordinal, fact): n}`` (the closed
    days and the live buckets added, as ``store.facts`` reads them)."""
    aggregates = aggregates if aggregates is not None else store.get()
    status = {key: c() for key, c in aggregates.status.items() if c()}
    days = {
        (day.toordinal(), fact): count
        for day, fact, count in store.facts(date.min, date.max, aggregates=aggregates)
    }
    return status, days


def recounted():
    """The snapshot of a full recount (the kept aggregates set back after)."""
    kept = store.get()
    rebuild()
    found = snapshot()
    api.portal.get().__annotations__[store.KEY] = kept
    return found

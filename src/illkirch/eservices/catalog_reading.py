"""Reading many catalog brains without keeping them in memory.

A listing of a whole queue (the agents' CSV export) reads the metadata of
thousands of requests spread over the whole catalog. Each brain wakes the
``IOBucket`` of ``catalog.data`` that holds its record (some 30 records of
40 columns: about 43 KB once unpickled), and ZCatalog's ``LazyMap`` keeps
every brain it made until the request ends. At 10,000 households one
export woke hundreds of MB of metadata, which stayed in the ZODB cache and,
as the request's peak, in the process (docs/performance.md, « Memory »).

``streamed(brains, connection)`` yields the brains one at a time, none kept
by the ``LazyMap``, and every ``every`` brains turns back into ghosts the
objects of ``connection`` that were loaded since: what the listing woke up,
not what the pages had loaded before it (those stay as they were). An
object changed in the transaction is never turned into a ghost (persistent
refuses it); an object the rest of the request needs again is loaded again.

``in_record_order(brains, function, connection)`` does the same for
``function(brain)`` of every brain, answered in the order of ``brains``
but computed in the order of the catalog's record ids: the records of one
bucket are read together, so that each bucket is unpickled once, not once
for each chunk that has one of its records (a queue sorted by date is
spread over the whole catalog). With ``stored`` (a function: rid → an
object standing for its brain, or None: ``catalog_rows.reader``), each
record is read from there, its brain made only when it has none (#22).
"""

from ZTUtils.Lazy import LazyMap


EVERY = 100


def one_at_a_time(brains):
    """The brains of ``brains``, made one at a time and not memoized when it
    is a ``LazyMap`` (ZCatalog's results: its ``_func`` makes a brain of an
    item of ``_seq``), else as they come."""
    if type(brains) is LazyMap:
        make = brains._func
        for item in brains._seq:
            yield make(item)
    else:
        yield from brains


def _loaded(cache):
    return {oid for oid, _obj in cache.lru_items()}


def release_new(cache, before):
    """Turn into ghosts the unchanged objects of ``cache`` not in ``before``
    (oids); return how many."""
    released = 0
    for oid, obj in cache.lru_items():
        if oid not in before and not obj._p_changed:
            obj._p_deactivate()
            released += 1
    return released


def streamed(brains, connection, every=EVERY):
    """The brains one at a time; every ``every`` of them, the objects they
    loaded in ``connection`` (a ZODB connection, or None: nothing released)
    back to ghosts."""
    cache = getattr(connection, "_cache", None)
    if cache is None:
        yield from one_at_a_time(brains)
        return
    before = _loaded(cache)
    count = 0
    for brain in one_at_a_time(brains):
        yield brain
        count += 1
        if count % every == 0:
            release_new(cache, before)
    release_new(cache, before)


def in_record_order(brains, function, connection, every=EVERY, stored=None):
    """``[function(brain) for brain in brains]``, the brains made in the
    order of their record ids (a ``LazyMap`` of record ids: ZCatalog's
    results without scores), released as ``streamed`` does; in the brains'
    order otherwise. ``stored(rid)``: what ``function`` is given instead
    of the brain, when it is not None (record ids only); its ``close()``,
    if it has one, is called at the end (``catalog_rows.RowReader``
    releases there what it woke)."""
    cache = getattr(connection, "_cache", None)
    seq = brains._seq if type(brains) is LazyMap else None
    if cache is None or seq is None or not all(type(rid) is int for rid in seq):
        return [function(brain) for brain in streamed(brains, connection, every)]
    make = brains._func
    rids = list(seq)
    answers = [None] * len(rids)
    # what was loaded before the first brain is made: listing the cache is
    # dear when it is full (some 50 ms for 25,000 objects), so it is listed
    # only when a brain is made, and released only when brains were made
    # (``stored``, a ``catalog_rows.RowReader``, releases what it woke)
    before = None
    made = 0
    try:
        for count, index in enumerate(
            sorted(range(len(rids)), key=rids.__getitem__), 1
        ):
            rid = rids[index]
            row = None if stored is None else stored(rid)
            if row is None:
                if before is None:
                    before = _loaded(cache)
                row = make(rid)
                made += 1
            answers[index] = function(row)
            if made and count % every == 0:
                release_new(cache, before)
                made = 0
    finally:
        close = getattr(stored, "close", None)
        if close is not None:
            close()
    if made:
        release_new(cache, before)
    return answers

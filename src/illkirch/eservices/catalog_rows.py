"""A compact projection of the catalog's metadata, kept with it (#22).

The agents' CSV export reads a few columns of thousands of requests' metadata
records. ZCatalog keeps every record in ``Catalog.data`` (an ``IOBTree`` of
rid → a tuple of some 45 columns), all portal types mixed in its buckets:
one line of the export costs the loading and unpickling of about one bucket.

A *projection* keeps, beside ``data``, only the records of some portal types
(``types``) and only some of their columns (``columns``): an ``IOBTree`` of
rid → the tuple of those columns' values, the record's own objects but for
its ``DateTime``s, kept as their seconds since the epoch (``timeTime()``, a
float; ``compact``): a row is unpickled each time its bucket is read, and
unpickling a ``DateTime`` costs some 20 µs (its zone parsed again), a float
well under one. It lives on ZCatalog's ``Catalog`` itself (the portal
catalog's ``_catalog``, attributes ``ROWS`` and ``SPEC``: plain BTrees and
tuples, no class of the add-on in the pickle), set there by ``install``
(the profile, upgrades 1020 and 1021).

**Kept by construction** (``configure.zcml``: collective.monkeypatcher on
``Products.ZCatalog.Catalog.Catalog``): every method of ZCatalog that writes
``data`` is wrapped, and after it the row of each rid it touched is made
again from what ``data`` now holds for that rid:

- ``updateMetadata`` (a new object, a reindex with metadata, the add-on's
  ``update_rows_metadata``): the row follows the record ZCatalog stored, and
  only when it stored one (a reindex without metadata, or of some indexes
  only, changes no record and no row);
- ``uncatalogObject``: the row goes with the record;
- ``clear`` (``manage_catalogClear``, ``clearFindAndRebuild``): the rows too;
- ``addColumn``, ``delColumn``: every record rewritten; a projected column
  (or ``portal_type``) added again makes the rows again from ``data``, one
  removed drops the projection (its readers fall back to the metadata).

The wrappers observe ZCatalog's work, they do not repeat it: the row is
``project(data.get(rid))``, whatever path ZCatalog took. The guarantee:
after each of these calls, for every rid, ``ROWS.get(rid)`` equals
``project(data.get(rid))`` (``stale`` checks it; the tests do). A catalog
without the projection (any other ZCatalog, a site without the add-on or
not upgraded yet) only pays one ``getattr``.
"""

from Acquisition import aq_base
from bisect import bisect_right
from BTrees.IOBTree import IOBTree
from collections import namedtuple
from DateTime import DateTime

import logging


logger = logging.getLogger(__name__)

# The attributes of ZCatalog's ``Catalog`` holding the projection.
ROWS = "_eservices_rows"  # IOBTree: rid → tuple of the columns' values
SPEC = "_eservices_rows_spec"  # (types, columns): tuples of names
TYPE_COLUMN = "portal_type"


def inner(catalog):
    """ZCatalog's ``Catalog`` of a catalog tool (or the ``Catalog`` itself)."""
    base = aq_base(catalog)
    return aq_base(getattr(base, "_catalog", base))


def projection(catalog):
    """``(rows, types, columns)`` of the catalog's projection, or None."""
    base = inner(catalog)
    rows = getattr(base, ROWS, None)
    if rows is None:
        return None
    types, columns = getattr(base, SPEC)
    return rows, types, columns


def compact(value):
    """A record's value as its row keeps it: a ``DateTime`` as its seconds
    since the epoch (``timeTime()``), any other value as it is."""
    return value.timeTime() if isinstance(value, DateTime) else value


def _projector(schema, types, columns):
    """A function: a metadata record → its row, or None (not projected)."""
    type_at = schema[TYPE_COLUMN]
    positions = [schema[name] for name in columns]

    def project(record):
        if record is None or record[type_at] not in types:
            return None
        return tuple([compact(record[at]) for at in positions])

    return project


_PLAIN = (str, int, float, bool, type(None))


def same(row, other):
    """Rows holding equal values of the same types (a ``DateTime``'s zone
    too): rewriting one with the other would change nothing read."""
    if other is None or len(row) != len(other):
        return False
    for value, value2 in zip(row, other, strict=True):
        if type(value) is not type(value2) or value != value2:
            return False
        if type(value) not in _PLAIN and repr(value) != repr(value2):
            return False
    return True


def _sync(catalog, rid):
    """Make the row of ``rid`` again from ``data`` (``catalog``: a
    ``Catalog`` with a projection); the store written only if it changed."""
    rows, types, columns = projection(catalog)
    row = _projector(catalog.schema, types, columns)(catalog.data.get(rid))
    if row is None:
        if rid in rows:
            del rows[rid]
    elif not same(row, rows.get(rid)):
        rows[rid] = row


# What the patches do (configure.zcml: collective.monkeypatcher on
# Products.ZCatalog.Catalog.Catalog; ZCatalog's originals kept as
# ``_old_<name>``) ------------------------------------------------------------


def updateMetadata(self, object, uid, index):  # noqa: N802 (ZCatalog's name)
    """ZCatalog's ``updateMetadata``; then the row of the record it wrote."""
    if getattr(aq_base(self), ROWS, None) is None:
        return self._old_updateMetadata(object, uid, index)
    before = None if index is None else self.data.get(index)
    index = self._old_updateMetadata(object, uid, index)
    if self.data.get(index) is not before:  # a record stored
        _sync(self, index)
    return index


def uncatalogObject(self, uid):  # noqa: N802
    """ZCatalog's ``uncatalogObject``; then the row goes with the record."""
    if getattr(aq_base(self), ROWS, None) is None:
        return self._old_uncatalogObject(uid)
    rid = self.uids.get(uid, None)
    result = self._old_uncatalogObject(uid)
    if rid is not None:
        _sync(self, rid)
    return result


def clear(self):
    """ZCatalog's ``clear``; then the rows too."""
    result = self._old_clear()
    if getattr(aq_base(self), ROWS, None) is not None:
        setattr(self, ROWS, IOBTree())
    return result


def addColumn(self, name, *args, **kw):  # noqa: N802
    """ZCatalog's ``addColumn``; a projected column added again: the rows
    made again from ``data``."""
    result = self._old_addColumn(name, *args, **kw)
    _column_changed(self, name)
    return result


def delColumn(self, name, *args, **kw):  # noqa: N802
    """ZCatalog's ``delColumn``; a projected column removed: no projection."""
    result = self._old_delColumn(name, *args, **kw)
    _column_changed(self, name)
    return result


def _column_changed(catalog, name):
    found = projection(catalog)
    if found is None or (name not in found[2] and name != TYPE_COLUMN):
        return
    if all(column in catalog.schema for column in (*found[2], TYPE_COLUMN)):
        fill(catalog)
    else:
        logger.warning("catalog column %s removed: projection dropped", name)
        uninstall(catalog)


# Installing, filling, checking -------------------------------------------------


def install(catalog, types, columns, on_batch=None, batch=None):
    """Give ``catalog`` (the tool or its ``Catalog``) the projection of
    ``columns`` of the records of ``types``, filled from ``data`` (``fill``);
    return the number of rows. Every column must be a metadata column."""
    base = inner(catalog)
    types, columns = tuple(types), tuple(columns)
    missing = [name for name in (*columns, TYPE_COLUMN) if name not in base.schema]
    if missing:
        raise ValueError(f"not metadata columns: {', '.join(missing)}")
    setattr(base, SPEC, (types, columns))
    setattr(base, ROWS, IOBTree())
    return fill(base, on_batch=on_batch, batch=batch)


def fill(catalog, on_batch=None, batch=None):
    """Make every row again from ``data`` (the records themselves, no object
    woken up), in rid order, into a new ``IOBTree``; ``on_batch(done)`` is
    called every ``batch`` records read (an upgrade's savepoint and release
    of the loaded buckets). Return the number of rows."""
    base = inner(catalog)
    rows, types, columns = projection(base)
    project = _projector(base.schema, types, columns)
    rows = IOBTree()
    setattr(base, ROWS, rows)
    count = 0
    for done, (rid, record) in enumerate(base.data.items(), 1):
        row = project(record)
        if row is not None:
            rows[rid] = row
            count += 1
        if batch and on_batch is not None and done % batch == 0:
            on_batch(done)
    return count


def uninstall(catalog):
    """Remove the projection (the add-on's uninstall profile)."""
    base = inner(catalog)
    for name in (ROWS, SPEC):
        if getattr(base, name, None) is not None:
            delattr(base, name)


def stale(catalog):
    """The rids whose row is not the projection of their record (missing,
    different, or left over): empty when the projection is exact."""
    base = inner(catalog)
    rows, types, columns = projection(base)
    project = _projector(base.schema, types, columns)
    wrong = []
    for rid, record in base.data.items():
        row = project(record)
        if (row is None and rid in rows) or (
            row is not None and not same(row, rows.get(rid))
        ):
            wrong.append(rid)
    wrong.extend(rid for rid in rows.keys() if rid not in base.data)
    return wrong


def reader(catalog, types, columns):
    """A ``RowReader``: rid → its row as an object with the columns as
    attributes (a ``DateTime`` column's value is its seconds, ``compact``),
    ``data_record_id_`` and ``getPath()`` as a brain's (None for
    a rid without row); None when ``catalog`` (the tool or its ``Catalog``,
    not wrapped) has no projection of exactly ``columns`` of ``types``."""
    found = projection(catalog)
    if found is None or found[1] != tuple(types) or found[2] != tuple(columns):
        return None
    rows = found[0]
    paths = inner(catalog).paths
    base = namedtuple("StoredRow", (*columns, "data_record_id_"))

    class StoredRow(base):
        __slots__ = ()

        def getPath(self):  # noqa: N802 (a brain's)
            return paths[self.data_record_id_]

        def getRID(self):  # noqa: N802
            return self.data_record_id_

    return RowReader(rows, StoredRow)


class RowReader:
    """Reads the rows of an ``IOBTree`` of the projection, one rid after the
    other, each bucket once when the rids come in ascending order, and puts
    back to sleep each node of the tree it woke (#22): a bucket as soon as
    the rids leave it, the inner nodes at ``close``.

    A reader of a large queue must not leave the town's rows in the ZODB
    cache, and finding what it loaded in the cache (``lru_items``, which
    lists every loaded object: some 50 ms for a cache of 25,000) at every
    hundred rows cost more than the reading itself; the reader knows the
    nodes it woke, so it releases them itself. A node changed in the
    transaction, or loaded before, is left as it is. The tree is read
    through its nodes' ``__getstate__`` (BTrees' documented pickled state:
    ``None`` empty; ``(((items,),),)`` a tree of one bucket inlined;
    ``((child, key, child, …), firstbucket)`` otherwise; a bucket's
    ``((key, value, …), next)``)."""

    def __init__(self, tree, make):
        self.tree = tree
        self.make = make
        self.woken = []  # inner nodes woken, released at ``close``
        self.bucket = None  # the bucket read last (None: an inlined one)
        self.bucket_woken = False
        self.low = self.high = None  # its rids: low <= rid < high (None: open)
        self.values = None  # its rows, by rid

    def __call__(self, rid):
        if self.values is None or not self._holds(rid):
            self._find(rid)
        row = self.values.get(rid)
        return None if row is None else self.make(*row, rid)

    def _holds(self, rid):
        return (self.low is None or rid >= self.low) and (
            self.high is None or rid < self.high
        )

    def _state(self, node):
        woken = node._p_changed is None  # a ghost: loaded by this read
        return node.__getstate__(), woken

    def _find(self, rid):
        """Descend from the root to the bucket of ``rid``."""
        self._leave_bucket()
        node, low, high = self.tree, None, None
        while True:
            if type(node) is not type(self.tree):  # a bucket
                state, woken = self._state(node)
                self.bucket, self.bucket_woken = node, woken
                break
            state, woken = self._state(node)
            if woken:
                self.woken.append(node)
            if state is None:  # an empty tree
                state = ((),)
                break
            if len(state) == 1:  # one bucket, inlined in the tree's state
                state = state[0][0]
                break
            children = state[0]
            keys = children[1::2]
            at = bisect_right(keys, rid)
            if at:
                low = keys[at - 1]
            if at < len(keys):
                high = keys[at]
            node = children[2 * at]
        items = state[0]
        self.values = dict(zip(items[0::2], items[1::2], strict=True))
        self.low, self.high = low, high

    def _leave_bucket(self):
        if self.bucket is not None and self.bucket_woken and not self.bucket._p_changed:
            self.bucket._p_deactivate()
        self.bucket, self.bucket_woken, self.values = None, False, None

    def close(self):
        """Put back to sleep what the reading woke and is still loaded."""
        self._leave_bucket()
        for node in reversed(self.woken):
            if not node._p_changed:
                node._p_deactivate()
        self.woken = []

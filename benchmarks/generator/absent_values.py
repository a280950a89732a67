"""The catalog's work for the values an object is known not to have,
skipped while the generator indexes its new objects (``absent_values``).

ZCatalog indexes a new object in every index (36) and reads every metadata
column (45) through the indexing wrapper, one ``getattr`` each: for an
invoice (half of the generated objects) 25 of the indexes and 39 of the
columns have no value (``InvoiceAttributesWrapper`` answers only
``INVOICE_NAMES``), and each type has the other types' own names
(``invoice_number`` on a request, ``request_due`` on a payment…). For such
a name each ``getattr`` raises an AttributeError that the index or
``recordify`` catches, and the index then leaves itself as it was.

Here, for a **new** document (not in the catalog yet) whose wrapper is the
add-on's, a name ``patches.known_absent`` knows to have no value (the
invoices' names outside ``INVOICE_NAMES``; a name that gave nothing on an
object of the same kind, ``patches.indexing_read_once``) is not read:

- its metadata column gets ``Missing.Value``, what ``recordify``'s
  ``getattr(object, name, MV)`` gives it;
- an index all of whose source names are known absent is not called when
  its class, exactly, is one whose ``index_object`` changes nothing for a
  new document without a value (``NO_VALUE_SKIPPED``), what ZCatalog's
  code does there being read case by case:

  - ``FieldIndex``, ``DateIndex`` (``UnIndex._index_object``): the datum is
    the marker (``_convert`` of the marker is the marker for a DateIndex),
    equal to the marker the new document has in ``_unindex``: nothing
    written, 0 returned, no counter change;
  - ``BooleanIndex`` (its ``_index_object``): the same comparison, 0;
  - ``KeywordIndex`` (its ``_index_object``): no keyword to insert and
    nothing stored for a new document, but it returns 1 for each source,
    so ``UnIndex.index_object`` increments the index's counter
    (``_increment_counter``) and returns True: done here too.

Any other index (``ZCTextIndex``, ``DateRangeIndex`` which puts a document
without dates in ``_always``, paths, UUIDs, …), a subclass, an update of a
catalogued object, or a partial reindex (``idxs``) goes to ZCatalog's own
code. ``tests/integration/test_benchmark_generator.py`` checks each skip
against the index's own ``index_object`` and every entry against Plone's
unpatched indexing.
"""

from contextlib import contextmanager


@contextmanager
def absent_values():
    """``Catalog.catalogObject`` and ``Catalog.recordify`` without reading
    the names the generated objects are known not to have (see above)."""
    from generator.patches import known_absent
    from illkirch.eservices.content.indexing import OwnAttributesWrapper
    from Products.PluginIndexes.util import safe_callable
    from Products.ZCatalog.Catalog import LOG
    from Products.ZCatalog.Catalog import MV
    from Products.ZCatalog.Catalog import Catalog

    catalog_object = Catalog.catalogObject
    recordify = Catalog.recordify
    skipped = no_value_skipped()

    def fast(self, obj):
        return isinstance(obj, OwnAttributesWrapper)

    def patched_recordify(self, object):
        if not fast(self, object):
            return recordify(self, object)
        record = []
        for x in self.names:
            if known_absent(object, x):
                record.append(MV)
                continue
            attr = getattr(object, x, MV)
            if attr is not MV and safe_callable(attr):
                attr = attr()
            record.append(attr)
        return tuple(record)

    def patched_catalog_object(
        self, object, uid, threshold=None, idxs=None, update_metadata=True
    ):
        if idxs or not fast(self, object) or self.uids.get(uid, None) is not None:
            return catalog_object(self, object, uid, threshold, idxs, update_metadata)
        # a new document: ZCatalog's own steps (``catalogObject``)
        index = self.updateMetadata(object, uid, None)
        self._length.change(1)
        self.uids[uid] = index
        self.paths[index] = uid
        total = 0
        indexes = self.indexes
        for name in indexes.keys():
            raw = indexes[name]
            counted = skipped.get(type(raw))
            if counted is not None and all(
                known_absent(object, source) for source in raw.getIndexSourceNames()
            ):
                if counted:
                    raw._increment_counter()
                    total = total + True
                continue
            x = self.getIndex(name)
            if hasattr(x, "index_object"):
                total = total + x.index_object(index, object, threshold)
            else:
                LOG.error("catalogObject was passed bad index object %s.", str(x))
        return total

    Catalog.catalogObject = patched_catalog_object
    Catalog.recordify = patched_recordify
    try:
        yield
    finally:
        Catalog.catalogObject = catalog_object
        Catalog.recordify = recordify


def no_value_skipped():
    """Index class (exactly) → whether its ``index_object`` for a new
    document without a value increments its counter (True) or changes
    nothing (False); see the module's docstring."""
    from Products.PluginIndexes.BooleanIndex.BooleanIndex import BooleanIndex
    from Products.PluginIndexes.DateIndex.DateIndex import DateIndex
    from Products.PluginIndexes.FieldIndex.FieldIndex import FieldIndex
    from Products.PluginIndexes.KeywordIndex.KeywordIndex import KeywordIndex

    return {
        FieldIndex: False,
        DateIndex: False,
        BooleanIndex: False,
        KeywordIndex: True,
    }

"""1017 → 1018: each catalog index of numbers holds its own type's numbers
only (#22, ``content/indexers.py``): ``request_number`` the requests',
``invoice_number`` the invoices'.

Both indexes read the attribute ``number``, which requests and invoices
both have: each held every request and every invoice. They now read their
own names (``profiles/default/catalog.xml``), which the add-on's indexers
answer for their type alone; the value they give a request or an invoice
is its ``number``, as before.

So the step does not read any object again: it sets the indexes' source
names (as the catalog import step would, without the import's clearing of
an index whose source changed, which would call for a reindexing of every
request and invoice) and removes the other types' entries, found by the
``portal_type`` index's own record of each entry (no object loaded). The
indexes are then what ``catalog.reindexIndex`` would make of them, without
its walk of the whole catalog (the tests check it).

A site upgraded from before 1016 in one go had both indexes emptied by an
earlier step's catalog import (GenericSetup clears an index whose source
names differ from ``catalog.xml``'s): the requests (invoices) missing from
their index are then indexed again, in that index only, no metadata
updated. From 1017, none is missing and no object is loaded.
"""

from BTrees.IIBTree import IITreeSet

import logging


logger = logging.getLogger(__name__)

# index → the one portal_type whose entries it keeps
INDEXES = {"request_number": "Request", "invoice_number": "Invoice"}


def foreign_rids(catalog, name, portal_type):
    """The record ids in the index ``name`` of entries of another type."""
    index = catalog._catalog.getIndex(name)
    types = catalog._catalog.getIndex("portal_type")
    return [
        rid
        for rid in index._unindex.keys()
        if types.getEntryForObject(rid) != portal_type
    ]


def missing_rids(catalog, name, portal_type):
    """The record ids of the ``portal_type`` entries not in the index."""
    index = catalog._catalog.getIndex(name)
    rids = catalog._catalog.getIndex("portal_type")._index.get(portal_type)
    if rids is None:
        return []
    if isinstance(rids, int):
        rids = IITreeSet((rids,))
    return [rid for rid in rids if rid not in index._unindex]


def index_missing(catalog, name, portal_type):
    """Index the ``portal_type`` objects missing from ``name``, in that
    index only; return how many."""
    done = 0
    for rid in missing_rids(catalog, name, portal_type):
        path = catalog.getpath(rid)
        obj = catalog.unrestrictedTraverse(path, None)
        if obj is None:
            continue
        catalog.catalog_object(obj, path, idxs=[name], update_metadata=False)
        done += 1
    return done


def number_indexes(context):
    """The upgrade step (``context``: portal_setup)."""
    catalog = context.portal_catalog
    indexes = catalog._catalog.indexes
    for name, portal_type in INDEXES.items():
        if name not in indexes:
            continue  # the catalog import step adds it (empty): nothing held
        index = catalog._catalog.getIndex(name)
        index.indexed_attrs = [name]
        rids = foreign_rids(catalog, name, portal_type)
        for rid in rids:
            index.unindex_object(rid)
        added = index_missing(catalog, name, portal_type)
        logger.info(
            "%s: %s entries of other types than %s removed, %s indexed again, "
            "%s in all",
            name,
            len(rids),
            portal_type,
            added,
            len(index._unindex),
        )

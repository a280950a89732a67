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
"""

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
        logger.info(
            "%s: %s entries of other types than %s removed, %s left",
            name,
            len(rids),
            portal_type,
            len(index._unindex),
        )

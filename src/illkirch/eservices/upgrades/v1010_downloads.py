"""1009 → 1010: where the official documents are downloaded (#18).

The catalog's metadata column ``issued_documents`` (what « Demandes » needs
to link a request's documents without waking it up): added if missing, and
filled for the requests and payments that already hold documents (the
others read as having none).
"""

from illkirch.eservices.official_documents import store
from zope.annotation.interfaces import IAnnotations


COLUMN = "issued_documents"


def issued_documents_column(context):
    """The upgrade step (``context``: portal_setup)."""
    catalog = context.portal_catalog
    if COLUMN not in catalog.schema():
        catalog.addColumn(COLUMN)
    for brain in catalog.unrestrictedSearchResults(portal_type=["Request", "Payment"]):
        obj = brain._unrestrictedGetObject()
        if IAnnotations(obj).get(store.KEY):
            obj.reindexObject(idxs=["getId"])

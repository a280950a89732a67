"""1014 → 1015: the invoices in the catalog's indexes their queries use
only (#22, ``content/indexing.py`` ``InvoiceAttributesWrapper``,
docs/invoices.md « Catalogue »).

Each stored invoice is catalogued again from scratch: taken out of every
index and column, then put back with the new wrapper, which gives values to
the path, type, UID, security, state, number, régie and issue date alone.
(Re-indexing in place would leave it in the text indexes, SearchableText,
Title and Description: a ZCTextIndex keeps a document's old words when it is
given no text.) The invoices' catalog entries change; the objects do not.
"""

from illkirch.eservices.content.billing import IInvoice

import logging
import transaction


logger = logging.getLogger(__name__)

# Invoices catalogued between two savepoints (their memory is freed at each).
BATCH = 1000


def recatalog_invoices(context):
    """The upgrade step (``context``: portal_setup)."""
    catalog = context.portal_catalog
    paths = [
        brain.getPath()
        for brain in catalog.unrestrictedSearchResults(portal_type="Invoice")
    ]
    done = 0
    for path in sorted(paths):  # a household's invoices one after the other
        obj = catalog.unrestrictedTraverse(path, None)
        catalog.uncatalog_object(path)
        if obj is None or not IInvoice.providedBy(obj):
            continue  # a stale entry: left out
        catalog.catalog_object(obj, path)
        done += 1
        if not done % BATCH:
            transaction.savepoint(optimistic=True)
            catalog._p_jar.cacheGC()
            logger.info("%s of %s invoices catalogued again", done, len(paths))
    logger.info("%s invoices catalogued again", done)

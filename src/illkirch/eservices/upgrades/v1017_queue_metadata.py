"""1016 → 1017: the catalog's metadata columns the agents' queue reads
its rows from (#22, ``requests/queue.py`` ``Rows``, ``GET /@requests``,
the CSV export): ``service_uid``, ``member_id``, ``by_post``,
``submitted`` and ``household_title``.

The columns are added (ZCatalog gives every entry the empty value), then
the requests' metadata alone are read again from each request: no index is
touched, no other entry read again.
"""

from illkirch.eservices.requests import queue

import logging
import transaction


logger = logging.getLogger(__name__)

COLUMNS = queue.ROW_COLUMNS
# Requests whose metadata are read between two savepoints.
BATCH = 1000


def add_columns(catalog):
    """Add the missing ``COLUMNS``; return those added."""
    added = [name for name in COLUMNS if name not in catalog.schema()]
    for name in added:
        catalog.addColumn(name)
    return added


def queue_metadata(context):
    """The upgrade step (``context``: portal_setup)."""
    catalog = context.portal_catalog
    added = add_columns(catalog)
    logger.info("catalog columns added: %s", ", ".join(added) or "none")
    paths = [
        brain.getPath()
        for brain in catalog.unrestrictedSearchResults(portal_type="Request")
    ]
    done = 0
    for path in sorted(paths):  # a household's requests one after the other
        obj = catalog.unrestrictedTraverse(path, None)
        if obj is None or not queue.update_rows_metadata(obj, catalog):
            continue
        done += 1
        if not done % BATCH:
            transaction.savepoint(optimistic=True)
            catalog._p_jar.cacheGC()
            logger.info("%s of %s requests' metadata read again", done, len(paths))
    logger.info("%s requests' metadata read again", done)

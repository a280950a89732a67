"""1019 → 1020: the CSV export's rows, a projection of the catalog's
metadata kept with it (#22, ``catalog_rows``, ``requests/export_rows.py``).

The rows are made from the metadata records themselves (``_catalog.data``,
in rid order, bucket after bucket), no request woken up; every ``BATCH``
records a savepoint, and the buckets read are put back to sleep
(``catalog_reading.release_new``) so that the step's memory stays flat.
From then on the patched ZCatalog keeps them (``catalog_rows``).
"""

from illkirch.eservices import catalog_reading
from illkirch.eservices.requests import export_rows as rows

import logging
import time
import transaction


logger = logging.getLogger(__name__)

# Metadata records read between two savepoints.
BATCH = 20000


def export_rows(context):
    """The upgrade step (``context``: portal_setup)."""
    catalog = context.portal_catalog
    jar = catalog._p_jar
    cache = getattr(jar, "_cache", None)
    # what was loaded before the step stays as it is
    before = {oid for oid, _obj in cache.lru_items()} if cache is not None else set()
    started = time.process_time()

    def on_batch(done):
        transaction.savepoint(optimistic=True)
        if cache is not None:
            catalog_reading.release_new(cache, before)
        logger.info("export rows: %s metadata records read", done)

    count = rows.install(catalog, on_batch=on_batch, batch=BATCH)
    logger.info(
        "export rows: %s requests' rows made in %.1f s of CPU",
        count,
        time.process_time() - started,
    )

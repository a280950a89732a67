"""1018 → 1019: the statistics' past days frozen now, and the frozen days'
token drawn (#22, ``statistics/store.py`` ``closed_key``).

A report keeps the sums of its period's frozen days by that token
(``statistics/figures.py``); aggregates frozen before #22 have none, so each
of their reports read every past day until the next nightly compaction.
This step runs that compaction (``store.compact``: idempotent, what the
nightly task ``statistics.compact`` does), which draws the token. A site
without aggregates yet is left as it is.
"""

from illkirch.eservices.statistics import store

import logging


logger = logging.getLogger(__name__)


def freeze_past_days(context):
    """The upgrade step (``context``: portal_setup)."""
    aggregates = store.get(create=False)
    if aggregates is None:
        return
    done = store.compact(aggregates=aggregates)
    logger.info(
        "Statistics: %s past day(s) frozen, token %s", done, aggregates.closed_key
    )

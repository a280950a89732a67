"""The nightly task ``statistics.compact``: the past days' facts frozen
into one object per day (``store.compact``), so that a year's dashboard
loads a few hundred objects, not tens of thousands of counters. Idempotent:
a day missed (no worker that night) is frozen the next night."""

from illkirch.eservices import jobs
from illkirch.eservices.statistics import store

import logging


logger = logging.getLogger(__name__)


@jobs.periodic("statistics.compact", hour="0", minute="20")
def nightly():
    """The task: every day before today frozen; how many."""
    done = store.compact()
    logger.info("Statistics: %s past day(s) frozen", done)
    return done

"""Every aggregate recomputed from the content (the command
``eservices-statistics-rebuild``, the upgrade step 1011, after a restore).

The facts are those ``recording.py`` counts as things happen, computed by
the same functions from what the content keeps: each request's filing,
status, the transitions of its history, its decision (kept on it when it
was counted), its messages; each payment's end(s); each household's
registration and first validation. What was removed (requests purged by
the retention, closed accounts) is not found again: its past facts,
which the live aggregates keep, are lost by a rebuild.
"""

from illkirch.eservices.conversation import store as conversation_store
from illkirch.eservices.requests import processing
from illkirch.eservices.statistics import recording
from illkirch.eservices.statistics import store
from plone import api

import logging
import transaction


logger = logging.getLogger(__name__)

# Objects read between two savepoints (their memory is freed at each).
BATCH = 500


def _objects(portal_type):
    catalog = api.portal.get_tool("portal_catalog")
    for index, brain in enumerate(
        catalog.unrestrictedSearchResults(portal_type=portal_type)
    ):
        if index and not index % BATCH:
            transaction.savepoint(optimistic=True)
            catalog._p_jar.cacheGC()
        obj = brain._unrestrictedGetObject()
        if obj is not None:
            yield obj


def request_facts(request_obj):
    """``[(day, fact, delta)]`` of a request, as ``recording`` counted
    them (its status apart)."""
    found = []
    filed = recording.filed_fact(request_obj)
    if filed is not None:
        found.append((*filed, 1))
    found.extend(
        (*recording.transition_fact(request_obj, transition_id, day), 1)
        for _index, transition_id, day in recording.transitions_in_history(request_obj)
        if transition_id in processing.TRANSITIONS
    )
    decided = recording.decision(request_obj)
    if decided is not None:
        found.append((*recording.record_day(decided), 1))
    conversation = conversation_store.get(request_obj)
    for message in conversation.messages if conversation is not None else ():
        found.append((*recording.message_fact(request_obj, message), 1))
    return found


def payment_facts(payment):
    found = []
    for ordinal, count, cents, amount in recording.payment_ends(payment):
        found.append((*recording.record_day((ordinal, count)), 1))
        found.append((*recording.record_day((ordinal, cents)), amount))
    return found


def household_facts(household):
    found = [(*recording.record_day(recording.registered(household)), 1)]
    validated = recording.first_validation(household)
    if validated is not None:
        found.append((*recording.record_day(validated), 1))
    return found


def _mark(obj, name, value):
    """Keep on ``obj`` what was counted (written only when it changes)."""
    if value is not None and recording.kept(obj, name) != value:
        setattr(obj, name, value)


def count_request(request_obj, aggregates=None):
    """Add a request to the aggregates, as if it had been filed and
    processed with the events counted; keep on it what was counted."""
    service_uid = recording.counted_service(request_obj)
    _mark(request_obj, recording.COUNTED, service_uid)
    _mark(request_obj, recording.DECIDED, recording.decision(request_obj))
    store.move_status(service_uid, None, processing.state(request_obj), aggregates)
    for day, fact, delta in request_facts(request_obj):
        store.add(day, fact, delta, aggregates)


def count_payment(payment, aggregates=None):
    ends = recording.payment_ends(payment)
    _mark(payment, recording.ENDED, tuple(ends) or None)
    for day, fact, delta in payment_facts(payment):
        store.add(day, fact, delta, aggregates)


def count_household(household, aggregates=None, registration=True):
    """``registration``: False when its add event counted it already (a
    household written by the benchmarks' generator)."""
    _mark(household, recording.REGISTERED, recording.registered(household))
    _mark(household, recording.VALIDATED, recording.first_validation(household))
    facts = household_facts(household)
    for day, fact, delta in facts if registration else facts[1:]:
        store.add(day, fact, delta, aggregates)


COUNTERS = (
    ("Request", "requests", count_request),
    ("Payment", "payments", count_payment),
    ("Household", "households", count_household),
)


def rebuild(portal=None):
    """Reset the aggregates and recount them from the content; every
    object is then marked counted (``recording.COUNTED``…). Return how many
    requests, payments and households were read."""
    portal = portal if portal is not None else api.portal.get()
    aggregates = store.reset(portal)
    summary = {}
    for portal_type, name, count in COUNTERS:
        summary[name] = 0
        for obj in _objects(portal_type):
            count(obj, aggregates)
            summary[name] += 1
    # the past days frozen as the nightly task does (store.compact)
    store.compact(aggregates=aggregates)
    logger.info("Statistics rebuilt: %s", summary)
    return summary

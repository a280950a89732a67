"""The Guichet's counts per status read from the aggregates kept by events
(``requests.queue.IStatusCounts``): its first page costs the same whatever
the number of requests (``queue.counts`` asks this utility when its filters
hold nothing but a service)."""

from illkirch.eservices.requests.queue import IStatusCounts
from illkirch.eservices.statistics import store
from zope.interface import implementer


@implementer(IStatusCounts)
class StatusCounts:
    def counts(self, services):
        aggregates = store.get(create=False)
        if aggregates is None:  # not built yet (before the upgrade step 1011)
            return None
        result = {}
        for (_service, state), count in store.status_counts(
            services, aggregates
        ).items():
            result[state] = result.get(state, 0) + count
        return result

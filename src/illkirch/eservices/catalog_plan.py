"""ZCatalog's query plan with the date range indexes last (#22).

ZCatalog evaluates a query's indexes one after the other, each given the
result of the ones before (``resultset``), in the order of its query plan:
the indexes sorted by their mean time on earlier queries of the same keys
(``Products.ZCatalog.plan.CatalogPlan.plan``), or, before it has one, by
name (``Catalog._sorted_search_indexes``). Plone adds ``effectiveRange``, a
``DateRangeIndex``, to every query of a user who may not see unpublished
content (anonymous visitors, citizens, agents): the navigation's, the
« Events » portlet's, the search's. Asked first, without a result set, a
date range index unions the sets of every date up to now: the whole catalog
(5,039 buckets loaded at 10,000 households, 490 at 1,000:
docs/performance.md). Given a result set it only reads the sets of the
dates in the future or past their expiry, and takes them away from it.
Its mean time is short while those buckets are in the cache, so the plan
tends to put it first; after an eviction each page reads them all again.

Here both orders keep the date range indexes after the others (their own
order kept, and the others' too). The result is the same: the index
answers ``resultset`` minus the documents outside the range, which is the
intersection of ``resultset`` with its answer without one, every catalogued
document being in the index (in ``_always`` without dates). A query on
date range indexes only is left as it is.
"""

from Products.PluginIndexes.DateRangeIndex.DateRangeIndex import DateRangeIndex


def date_ranges_last(indexes, order):
    """``order`` (index names) with the ``DateRangeIndex``es of ``indexes``
    (a catalog's mapping) moved to its end."""
    if not order or len(order) < 2:
        return order
    ranges = [name for name in order if isinstance(indexes.get(name), DateRangeIndex)]
    if not ranges or len(ranges) == len(order):
        return order
    return [name for name in order if name not in ranges] + ranges


# What the patches do (configure.zcml: collective.monkeypatcher; ZCatalog's
# originals kept as ``_old_<name>``) -------------------------------------------


def plan(self):
    """``CatalogPlan.plan``: its order, the date range indexes last."""
    return date_ranges_last(self.catalog.indexes, self._old_plan())


def _sorted_search_indexes(self, query):
    """``Catalog._sorted_search_indexes`` (before a plan): the same."""
    return date_ranges_last(self.indexes, self._old__sorted_search_indexes(query))

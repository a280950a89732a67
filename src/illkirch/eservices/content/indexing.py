"""How the households' data are read by the catalog.

Plone's ``IndexableObjectWrapper`` reads every index and metadata column
that has no indexer as an attribute, through acquisition: for an attribute
the object does not have (``start``, ``getIcon``, ``location``, the
requests' own indexes on an invoice…) it walks up the household, the
households' folder and the site, each with Dexterity's costly
``__getattr__``, and then throws the acquired value away. A household holds
dozens of invoices, requests and persons, each indexed in some sixty indexes
and columns: the walk cost more than the indexing itself
(docs/performance.md). This wrapper answers « no such attribute » at once
when the object itself has none; indexers and workflow variables are used
exactly as Plone's. The only difference: a Python script acquired from the
site is not used as an indexer for these types (Plone accepts that, for
through-the-web indexers; the add-on's types have none).
"""

from Acquisition import aq_base
from plone.indexer.interfaces import IIndexer
from plone.indexer.wrapper import IndexableObjectWrapper
from zope.component import queryMultiAdapter


_MISSING = object()


class OwnAttributesWrapper(IndexableObjectWrapper):
    def __getattr__(self, name):
        obj = self._getWrappedObject()
        if (
            getattr(aq_base(obj), name, _MISSING) is _MISSING
            and name not in self._IndexableObjectWrapper__vars
            and queryMultiAdapter(
                (obj, self._IndexableObjectWrapper__catalog), IIndexer, name=name
            )
            is None
        ):
            raise AttributeError(name)
        return super().__getattr__(name)

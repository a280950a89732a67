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


# What an invoice gives the catalog: the attributes read by the indexes and
# metadata columns its queries use, nothing else (docs/invoices.md
# « Catalogue »). An invoice is found by its household's path (the
# household's own entries, ``households.own_brains``), its UID (basket,
# payments), its number and régie (the import), its type and state (checked
# on the brain); ``allowedRolesAndUsers`` keeps Plone's restricted searches
# (``@search``, the staff's listing of a household) filtering it by who may
# view it, and its title names it in that listing. The other indexes
# (SearchableText, Description, Subject, the dates, object_provides…) and
# columns stay without it: an invoice is not a page of the site, and its
# entries in those large indexes were most of the import's time
# (docs/performance.md « Import rate »).
INVOICE_NAMES = frozenset(
    {
        "getPhysicalPath",  # path
        "Title",  # index and column: the staff's listing of a household
        "portal_type",  # index and column
        "UID",  # index and column
        "allowedRolesAndUsers",
        "review_state",  # index and column (a workflow variable)
        "invoice_number",  # its own indexer (content/indexers.py)
        "regie",  # invoice_regie
        "invoice_issue_date",
        "getId",  # index and column (households.own_object)
        "id",  # index and column
    }
)


class InvoiceAttributesWrapper(OwnAttributesWrapper):
    """An invoice's own attributes, for ``INVOICE_NAMES`` only: for any
    other index or column it has no value (ZCatalog leaves it out of the
    index, and the column holds ``Missing.Value``)."""

    def __getattr__(self, name):
        if name not in INVOICE_NAMES and not name.startswith("_"):
            raise AttributeError(name)
        return super().__getattr__(name)

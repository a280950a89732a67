"""The text of what an anonymous visitor may find (#22): the catalog's
``public_text`` index.

Plone's ``SearchableText`` holds the words of every object of the site:
on a town's portal, of every household, person, request and payment too,
which no visitor may ever see. A text search intersects its words' result
sets with ``allowedRolesAndUsers`` only after the text index has scored
every matching document: an anonymous search for « acte » scored every
civil-status request of the town (their titles hold the service's name)
to show three services, and the more households, the slower
(docs/performance.md « #22: anonymous pages at town scale »).

``public_text`` is a second text index, of the same words (the same
lexicon and the same ``SearchableText`` indexer), that leaves out the
households' side of the portal (``PRIVATE``: the households' and the
account-less requests' folders and all they hold, the régies and their
invoices). The search entry points of the site (``@@search``,
``@@ajax-search``, plone.restapi's ``@search``, plone.app.querystring's
criteria) ask it instead of ``SearchableText`` for an anonymous visitor
(``for_visitor``); the catalog's security filter still applies to what it
finds. Citizens and staff, who may see some of the households' content,
keep Plone's ``SearchableText``: what each role finds does not change.
"""

from Acquisition import aq_base
from illkirch.eservices.content.billing import IInvoice
from illkirch.eservices.content.billing import IPayment
from illkirch.eservices.content.billing import IRegie
from illkirch.eservices.content.billing import IRegieFolder
from illkirch.eservices.content.household import IHousehold
from illkirch.eservices.content.household import IHouseholdFolder
from illkirch.eservices.content.household import IPerson
from illkirch.eservices.content.household import IRequestFolder
from illkirch.eservices.content.request import IRequest
from plone import api
from plone.app.querystring.interfaces import IParsedQueryIndexModifier
from plone.indexer import indexer
from plone.indexer.interfaces import IIndexableObject
from Products.CMFCore.utils import getToolByName
from zope.component import queryMultiAdapter
from zope.interface import Interface
from zope.interface import implementer


INDEX = "public_text"
TEXT = "SearchableText"

# The portal's private side: never viewable by an anonymous visitor.
PRIVATE = (
    IHouseholdFolder,
    IHousehold,
    IPerson,
    IRequestFolder,
    IRequest,
    IPayment,
    IRegieFolder,
    IRegie,
    IInvoice,
)


def is_private(obj):
    return any(iface.providedBy(obj) for iface in PRIVATE)


@indexer(Interface)
def public_text(obj):
    """``SearchableText``'s value for the catalog, but none (the object
    stays out of the index) for the private side of the portal."""
    if is_private(obj):
        raise AttributeError(INDEX)
    catalog = getToolByName(obj, "portal_catalog")
    wrapper = queryMultiAdapter((obj, catalog), IIndexableObject)
    value = getattr(wrapper if wrapper is not None else obj, TEXT, None)
    if value is None:
        raise AttributeError(INDEX)
    if callable(value):
        value = value()
    return value


def private_types(context=None):
    """The names of the portal types of the private side (their FTI's
    schema is one of ``PRIVATE``)."""
    schemas = {iface.__identifier__ for iface in PRIVATE}
    types_tool = (
        api.portal.get_tool("portal_types")
        if context is None
        else getToolByName(context, "portal_types")
    )
    return {
        fti.getId()
        for fti in types_tool.objectValues()
        if getattr(fti, "schema", None) in schemas
    }


def _public_types(value, private):
    """A ``portal_type`` criterion without the private types, or ``None``
    when it is not a list of names or when none would be left (then it is
    kept: nothing private is shown to the visitor anyway)."""
    names = value.get("query") if isinstance(value, dict) else value
    if not isinstance(names, (list, tuple)) or not names:
        return None
    if isinstance(value, dict) and set(value) - {"query", "operator"}:
        return None
    public = [name for name in names if name not in private]
    if not public or len(public) == len(names):
        return None
    return {**value, "query": public} if isinstance(value, dict) else public


def for_visitor(query):
    """``query`` (catalog criteria from a user's input) for whoever asks:
    without a ``path`` criterion that is the whole site
    (``without_site_path``). For an anonymous visitor: the
    ``SearchableText`` criterion searches ``public_text``, and a
    ``portal_type`` criterion leaves out the private side's types (the
    search page asks for every type Plone searches: the union of their
    sets of documents would read most of the catalog, to be thrown away by
    the security filter). Changed in place and returned."""
    without_site_path(query)
    if not isinstance(query, dict) or not api.user.is_anonymous():
        return query
    if TEXT in query and INDEX not in query and has_index():
        query[INDEX] = query.pop(TEXT)
    if "portal_type" in query:
        public = _public_types(query["portal_type"], private_types())
        if public is not None:
            query["portal_type"] = public
    return query


def without_site_path(query):
    """``query`` without a ``path`` criterion that is the whole site (the
    portal's path, every depth: what plone.restapi's ``@search`` adds when
    asked at the site's root): every catalogued object is under it, so the
    criterion selects nothing, but the path index answers it with the set
    of every object of the site, town-sized, intersected with the others'
    results. Kept when it is the only criterion. For everyone (the results
    are the same). Changed in place and returned."""
    if not isinstance(query, dict) or "path" not in query:
        return query
    value = query["path"]
    if isinstance(value, dict):
        if set(value) - {"query", "depth"} or value.get("depth", -1) != -1:
            return query
        value = value.get("query")
    if isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str):
        return query
    site = "/".join(api.portal.get().getPhysicalPath())
    if value.rstrip("/") != site:
        return query
    indexes = api.portal.get_tool("portal_catalog")._catalog.indexes
    if any(key != "path" and key in indexes for key in query):
        del query["path"]
    return query


def has_index():
    """Whether the catalog has ``public_text`` (not before the upgrade to
    1016: then Plone's index answers, as before)."""
    catalog = api.portal.get_tool("portal_catalog")
    return INDEX in catalog._catalog.indexes


def text_index_for_visitor():
    """The text index an anonymous visitor's search asks, else Plone's."""
    return INDEX if api.user.is_anonymous() and has_index() else TEXT


@implementer(IParsedQueryIndexModifier)
class VisitorTextCriterion:
    """plone.app.querystring (collections, listings, ``@querystring-search``):
    a ``SearchableText`` criterion, for an anonymous visitor, on
    ``public_text``. A utility providing ``IParsedQueryIndexModifier``,
    registered under the name ``SearchableText``."""

    def __call__(self, value):
        return text_index_for_visitor(), value


def index_public_objects(catalog, logger=None):
    """Put the public side of the portal into ``public_text`` (the upgrade
    step to 1016 and the site's setup): the objects of the catalog that are
    not private, looked up by type, so that the households' hundreds of
    thousands of entries are not even read."""
    private = private_types(catalog)
    index = catalog._catalog.getIndex("portal_type")
    types = [t for t in index.uniqueValues() if t not in private]
    done = 0
    for brain in catalog.unrestrictedSearchResults(portal_type=types):
        obj = brain._unrestrictedGetObject()
        if obj is None or is_private(aq_base(obj)):
            continue
        catalog.catalog_object(
            obj, brain.getPath(), idxs=[INDEX], update_metadata=False
        )
        done += 1
    if logger is not None:
        logger.info("%s objects put in the catalog's %s index", done, INDEX)
    return done

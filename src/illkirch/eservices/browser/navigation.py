"""Plone's main navigation, its catalog query confined to the sections
it shows.

Plone's ``GlobalSectionsViewlet`` asks the catalog for everything within
``navigation_depth`` levels of the navigation root. The path index answers
a depth query by intersecting the path's set with the set of *every* object
of the site at each of those levels: on a town's portal, level 3 holds all
the households' requests, invoices, payments and persons (hundreds of
thousands of entries the menu never shows: the households' folder is out
of the navigation). Every page paid for it, Plone's own Document view
included, and the more so as the town grew (docs/performance.md).

The path index answers "the children of these paths" (depth 1, absolute
paths) from a mapping, whatever the size of the site. So the query asks
for the children of the menu's own entries: the portal tabs (the menu's
top level), then, level by level down to ``navigation_depth``, the
folderish items of the menu under them. The menu is the same; the query
no longer reads the rest of the site.

Both the menu's query and the portal tabs' (``portal_tabs_view``) ask
``is_default_page=False``. A ``BooleanIndex`` keeps the set of its rarer
value (``True``, the few default pages); asked for ``False``, it
intersects the other criteria's result with its mapping of *every*
catalogued object, walked whole whatever the size of that result (567
buckets at 3,000 households: every page paid it). So the criterion is
left out of both queries and the default pages are left out of their
answers afterwards: the default pages under the query's path, asked from
the boolean index's ``True`` set (a handful of objects). Every catalogued
object has a value in that index (Plone's indexer is registered for every
object), so the menu and the tabs are exactly those of Plone.
"""

from plone.app.layout.viewlets import common
from Products.CMFCore.utils import getToolByName
from Products.CMFPlone.browser import navigation


# Criteria of the menu's items that a parent must meet too (a parent
# excluded from the navigation still shows when the visitor is inside it).
PARENT_CRITERIA = ("portal_type", "Language", "review_state")

DEFAULT_PAGE = "is_default_page"

# Key of a tab's catalog path while the tabs are built (removed before they
# are returned).
_TAB_PATH = "_illkirch_eservices_path"


def default_page_paths(catalog, path_query):
    """Paths of the default pages that ``path_query`` selects (or more).

    Unrestricted: only used to leave out of a query's answer what Plone's
    ``is_default_page=False`` would have left out (an object that the user
    may not see is not in that answer anyway). The boolean index answers
    ``True`` from its small set; the path index, asked for the children of
    a few paths, narrows it. A path query of several levels (which the path
    index answers by reading every object at those levels) is not asked:
    the site's default pages are few, and leaving out a path that is not in
    the answer changes nothing.
    """
    query = {"is_default_page": True}
    if isinstance(path_query, dict) and path_query.get("depth") == 1:
        query["path"] = path_query
    brains = catalog.unrestrictedSearchResults(**query)
    return {brain.getPath() for brain in brains}


class CatalogNavigationTabs(navigation.CatalogNavigationTabs):
    """Plone's portal tabs, without ``is_default_page=False`` in the query."""

    _default_pages_query = None

    def _getNavQuery(self):
        query = super()._getNavQuery()
        if query.get(DEFAULT_PAGE) is False and isinstance(query.get("path"), dict):
            del query[DEFAULT_PAGE]
            self._default_pages_query = query["path"]
        return query

    def customize_entry(self, entry, brain=None):
        super().customize_entry(entry, brain)
        if brain is not None:
            entry[_TAB_PATH] = brain.getPath()

    def topLevelTabs(self, actions=None, category="portal_tabs"):
        self._default_pages_query = None
        tabs = super().topLevelTabs(actions=actions, category=category)
        pages = set()
        if self._default_pages_query is not None:
            catalog = getToolByName(self.context, "portal_catalog")
            pages = default_page_paths(catalog, self._default_pages_query)
        kept = []
        for tab in tabs:
            path = tab.pop(_TAB_PATH, None)
            if path is None or path not in pages:
                kept.append(tab)
        return kept


class GlobalSectionsViewlet(common.GlobalSectionsViewlet):
    _default_pages_query = None
    _default_pages_left_out = False

    @property
    def navtree(self):
        # Plone's (memoized on the request), less the default pages; the
        # same dictionary each time, filtered once per viewlet
        tree = super().navtree
        if self._default_pages_query is not None and not self._default_pages_left_out:
            self._default_pages_left_out = True
            catalog = getToolByName(self.context, "portal_catalog")
            pages = default_page_paths(catalog, self._default_pages_query)
            root = self.navtree_path
            tabs = bool(self.portal_tabs)
            for parent, entries in tree.items():
                if tabs and parent == root:
                    continue  # the portal tabs, not from this query
                entries[:] = [e for e in entries if e.get("path") not in pages]
        return tree

    def customize_query(self, query):
        super().customize_query(query)
        self._confine_query(query)
        if query.get(DEFAULT_PAGE) is False and query.get("path") is not None:
            del query[DEFAULT_PAGE]
            self._default_pages_query = query["path"]

    def _confine_query(self, query):
        path = query.get("path")
        tabs = [tab["id"] for tab in self.portal_tabs if tab.get("id")]
        if not tabs or not isinstance(path, dict) or path.get("depth", -1) < 2:
            return  # one level: the root's children, already a direct look-up
        root, depth = path["query"], path["depth"]
        parents = ["/".join((root, tab_id)) for tab_id in tabs]
        every_parent = list(parents)
        catalog = getToolByName(self.context, "portal_catalog")
        criteria = {key: query[key] for key in PARENT_CRITERIA if key in query}
        for _level in range(depth - 2):  # the parents of the deepest level
            brains = catalog.searchResults(
                path={"query": parents, "depth": 1}, is_folderish=True, **criteria
            )
            parents = [brain.getPath() for brain in brains]
            if not parents:
                break
            every_parent += parents
        # children of the top level's tabs and of the menu's folders; the
        # tabs themselves come from portal_tabs, as with Plone's query
        query["path"] = {"query": every_parent, "depth": 1}

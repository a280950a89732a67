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
"""

from plone.app.layout.viewlets import common
from Products.CMFCore.utils import getToolByName


# Criteria of the menu's items that a parent must meet too (a parent
# excluded from the navigation still shows when the visitor is inside it).
PARENT_CRITERIA = ("portal_type", "Language", "review_state", "is_default_page")


class GlobalSectionsViewlet(common.GlobalSectionsViewlet):
    def customize_query(self, query):
        super().customize_query(query)
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

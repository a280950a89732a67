"""Plone's main navigation, its catalog query confined to the sections
it shows.

Plone's ``GlobalSectionsViewlet`` asks the catalog for everything within
``navigation_depth`` levels of the navigation root, then keeps the types
and sections it shows. The path index builds that set first: on a town's
portal it holds the households (level 2) and all their requests, invoices,
payments and persons (level 3), hundreds of thousands of entries that the
menu never shows (the households' folder is out of the navigation). Every
page paid for it, Plone's own Document view included, and the more so as
the town grew (docs/performance.md).

The top level of the menu comes from the portal tabs; below it, only the
subtrees of those tabs can appear in the menu. The query asks for these
subtrees alone (same depth, same criteria): the menu is the same, built
from the sections' own entries.
"""

from plone.app.layout.viewlets import common


class GlobalSectionsViewlet(common.GlobalSectionsViewlet):
    def customize_query(self, query):
        super().customize_query(query)
        path = query.get("path")
        tabs = [tab["id"] for tab in self.portal_tabs if tab.get("id")]
        if not tabs or not isinstance(path, dict) or path.get("depth", -1) < 1:
            return
        root = path["query"]
        query["path"] = {"query": ["/".join((root, tab_id)) for tab_id in tabs],
                         "depth": path["depth"] - 1}

"""Plone's folder listing (``@@folderListing``), its query narrowed to the
types of the folder's own children.

plone.app.contenttypes' listing of a folder (« Démarches en ligne ») asks
the catalog for the folder's children of every « friendly » type (the 22
searchable types, the households' among them). The ``portal_type`` index
answers a list of types with the union of their sets, the households',
requests' and payments' entries included (tens of thousands at a town's
scale), before ``path`` keeps the folder's few children: the listing grew
with the town (docs/performance.md, « #22: anonymous pages at town
scale »).

The folder's children are first read from the path index alone (a direct
look-up, unrestricted: only their types are used), then Plone's query is
asked unchanged but for its ``portal_type`` criterion, narrowed to the
types that are among these children: a child of another type could not be
in the answer anyway. The answer, its order and its batches are those of
Plone, for every user (security and ``effectiveRange`` as Plone's catalog
applies them). A folder with many children (the households' folders) is
listed by Plone's query as it is.
"""

from plone.app.contentlisting import browser
from plone.app.contentlisting.interfaces import IContentListing
from Products.CMFCore.utils import getToolByName


# Above that many children, their types are not read (Plone's query as is).
MAX_CHILDREN = 200


class FolderListing(browser.FolderListing):
    def __call__(self, batch=False, b_size=20, b_start=0, orphan=0, **kw):
        types = kw.get("portal_type")
        if isinstance(types, str):
            types = [types]
        if isinstance(types, (list, tuple)) and types:
            present = self.children_types()
            if present is not None:
                narrowed = [name for name in types if name in present]
                if not narrowed:
                    return IContentListing([])  # no child of these types
                kw["portal_type"] = narrowed
        return super().__call__(
            batch=batch, b_size=b_size, b_start=b_start, orphan=orphan, **kw
        )

    def children_types(self):
        """The types of the folder's catalogued children (None: too many)."""
        catalog = getToolByName(self.context, "portal_catalog")
        path = "/".join(self.context.getPhysicalPath())
        children = catalog.unrestrictedSearchResults(path={"query": path, "depth": 1})
        if len(children) > MAX_CHILDREN:
            return None
        return {brain.portal_type for brain in children}

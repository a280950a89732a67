"""Ways that lead somewhere: what Plone shows that the portal's visitors
should not follow (registered in ``ways.zcml``).

- Citizens (``accounts.citizens``: no staff role) see neither Plone's
  breadcrumbs nor its bylines (« par admin — Dernière modification »): the
  breadcrumbs of a request lead into the households' folders (« Foyers »,
  refused to them, then a raw Plone folder), and « Mon espace » has its own
  tabs. Anonymous visitors and the staff keep both.
- Nor, inside the households' folders, Plone's navigation portlet: it
  lists the household's folder and its content as Plone folders.
- A household's own page, a raw Plone folder, sends its citizen to the
  « Compte » tab of « Mon espace ». Its listing (the staff's) asks the
  catalog for the household's children only (``HouseholdListing``).
- On a request, Plone's « État » (workflow) and « Actions » menus of the
  toolbar are for administrators only: agents process requests through the
  request's page, which applies the portal's rules and sends its messages.
"""

from illkirch.eservices.accounts import citizens
from illkirch.eservices.site_folders import HOUSEHOLDS_FOLDER_ID
from plone import api
from plone.app.contentlisting.interfaces import IContentListing
from plone.app.contentmenu import menu
from plone.app.dexterity.browser.folder_listing import FolderView
from plone.app.layout.viewlets import common
from plone.app.layout.viewlets import content
from plone.app.portlets.portlets import navigation
from plone.dexterity.browser.view import DefaultView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

import os
import plone.app.dexterity.browser


class _HiddenFromCitizens:
    """A viewlet that renders nothing for citizens."""

    hidden = False

    def update(self):
        self.hidden = citizens.is_citizen()
        if not self.hidden:
            super().update()

    def render(self):
        return "" if self.hidden else super().render()


class PathBarViewlet(_HiddenFromCitizens, common.PathBarViewlet):
    """Plone's breadcrumbs, for anonymous visitors and the staff."""


class DocumentBylineViewlet(_HiddenFromCitizens, content.DocumentBylineViewlet):
    """Plone's byline, for anonymous visitors and the staff."""


def in_households_folder(obj):
    """Whether ``obj`` is the households' folder or inside it."""
    root = api.portal.get().getPhysicalPath()
    path = obj.getPhysicalPath()
    return path[: len(root) + 1] == (*root, HOUSEHOLDS_FOLDER_ID)


class NavigationRenderer(navigation.Renderer):
    """Plone's navigation portlet, except for citizens in the households'
    folders; its nav has a name (templates/navigation_portlet.pt)."""

    _template = ViewPageTemplateFile("templates/navigation_portlet.pt")

    @property
    def available(self):
        if citizens.is_citizen() and in_households_folder(self.context):
            return False
        return super().available


class HouseholdView(DefaultView):
    """A household's page: Plone's for the staff, « Mon espace » for its
    citizen."""

    index = ViewPageTemplateFile(
        "container.pt", _prefix=os.path.dirname(plone.app.dexterity.browser.__file__)
    )

    def __call__(self):
        # only the page asked for: templates that name a household in a path
        # expression call it, hence render this view
        if self.request.get("PUBLISHED") is self and citizens.is_citizen():
            root = api.portal.get_navigation_root(self.context).absolute_url()
            self.request.response.redirect(f"{root}/@@mon-espace-compte")
            return ""
        return super().__call__()


class HouseholdListing(FolderView):
    """The household page's listing (Plone's ``folder_listing``), the same
    items in the same order, asked of the catalog by the household's path
    alone: Plone's query also names every « friendly » type, and the
    catalog then reads the whole town's sets of these types (requests,
    persons, invoices…) to intersect them with the household's few
    children, a cost that grew with the town (#22). The types are filtered
    here, on the children's records; the listing is asked once per view
    (the template, ``templates/household_listing.pt`` registered in
    ``accessibility.zcml``, calls ``batch`` twice)."""

    def results(self, **kwargs):
        if kwargs or self.request.get("contentFilter"):
            return super().results(**kwargs)
        kept = self.__dict__.get("_children")
        if kept is None:
            types = set(self.friendly_types)
            brains = api.portal.get_tool("portal_catalog")(
                path={"query": "/".join(self.context.getPhysicalPath()), "depth": 1},
                sort_on="getObjPositionInParent",
            )
            kept = IContentListing([b for b in brains if b.portal_type in types])
            self._children = kept
        return kept


class _AdministratorsOnRequests:
    """A sub-menu of the toolbar that, on a request, only administrators
    get (registered for requests only)."""

    def available(self):
        return citizens.is_administrator(self.context) and super().available()


class WorkflowSubMenuItem(_AdministratorsOnRequests, menu.WorkflowSubMenuItem):
    """« État »: a request's status changes through its page."""


class ActionsSubMenuItem(_AdministratorsOnRequests, menu.ActionsSubMenuItem):
    """« Actions » (copy, delete, rename…): not for agents on requests."""

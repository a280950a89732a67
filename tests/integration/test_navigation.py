"""Plone's main navigation with its query confined to the menu's sections
(browser/navigation.py): the same menu as Plone's, without the households."""

from illkirch.eservices.browser.navigation import CatalogNavigationTabs
from illkirch.eservices.browser.navigation import GlobalSectionsViewlet
from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from plone import api
from plone.app.layout.viewlets import common
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login
from plone.app.testing import logout
from Products.CMFCore.indexing import processQueue
from Products.CMFPlone.browser import navigation
from zope.annotation.interfaces import IAnnotations
from zope.component import getMultiAdapter
from zope.interface import alsoProvides
from zope.viewlet.interfaces import IViewletManager

import unittest


class TestMainNavigation(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        alsoProvides(self.request, IIllkirchEservicesLayer)
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        section = api.content.create(
            container=self.portal, type="Folder", id="vie-locale", title="Vie locale"
        )
        sub = api.content.create(
            container=section, type="Folder", id="quartiers", title="Quartiers"
        )
        api.content.create(container=sub, type="Document", id="centre", title="Centre")
        hidden = api.content.create(
            container=self.portal,
            type="Folder",
            id="interne",
            title="Interne",
            exclude_from_nav=True,
        )
        api.content.create(container=hidden, type="Folder", id="cache", title="Caché")
        for obj in (section, sub, sub["centre"], hidden, hidden["cache"]):
            api.content.transition(obj=obj, transition="publish")

    def menu(self, viewlet_class, context=None):
        # the viewlets' navtree is memoized on the request (plone.memoize.view)
        IAnnotations(self.request).pop("plone.memoize", None)
        viewlet = viewlet_class(context or self.portal, self.request, None, None)
        viewlet.update()
        return viewlet.render_globalnav()

    def test_the_same_menu_as_plone(self):
        contexts = (
            self.portal,
            self.portal["vie-locale"]["quartiers"],
            self.portal["interne"]["cache"],
            self.portal["foyers"],
        )
        for depth in (1, 2, 3, 4):
            api.portal.set_registry_record("plone.navigation_depth", depth)
            for context in contexts:
                ours = self.menu(GlobalSectionsViewlet, context)
                self.assertEqual(
                    ours,
                    self.menu(common.GlobalSectionsViewlet, context),
                    (depth, context.getId()),
                )
                self.assertEqual("quartiers/centre" in ours, depth >= 3)
                self.assertEqual("vie-locale/quartiers" in ours, depth >= 2)
                self.assertNotIn("/foyers/", ours)

    def test_the_query_asks_for_the_menus_own_children(self):
        viewlet = GlobalSectionsViewlet(self.portal, self.request, None, None)
        query = {
            "path": {"query": "/plone", "depth": 3},
            "portal_type": {"query": ["Folder", "Document"]},
            "is_default_page": False,
        }
        viewlet.customize_query(query)
        paths = query["path"]["query"]
        self.assertEqual(query["path"]["depth"], 1)
        self.assertIn("/plone/vie-locale", paths)
        self.assertIn("/plone/vie-locale/quartiers", paths)  # a folder of the menu
        self.assertNotIn("/plone/foyers", paths)
        self.assertFalse([path for path in paths if path.startswith("/plone/foyers/")])
        self.assertNotIn("/plone/interne", paths)

    def test_registered_for_the_add_on_layer(self):
        manager = getMultiAdapter(
            (self.portal, self.request, self.portal.restrictedTraverse("@@view")),
            IViewletManager,
            name="plone.mainnavigation",
        )
        manager.update()
        found = [v for v in manager.viewlets if v.__name__ == "plone.global_sections"]
        self.assertEqual(len(found), 1)
        self.assertIsInstance(found[0], GlobalSectionsViewlet)


class TestDefaultPagesLeftOut(TestMainNavigation):
    """``is_default_page=False`` left out of the queries (a walk of every
    catalogued object), the default pages left out of the answers: the
    same menu and tabs as Plone's."""

    def setUp(self):
        super().setUp()
        section = self.portal["vie-locale"]
        sub = section["quartiers"]
        # default pages: a Document of a section, a folderish Folder of the
        # sub-section (with a child), and the site's own
        intro = api.content.create(
            container=section, type="Document", id="intro", title="Intro"
        )
        inner = api.content.create(
            container=sub, type="Folder", id="accueil", title="Ac"
        )
        api.content.create(container=inner, type="Folder", id="dedans", title="Dedans")
        home = api.content.create(
            container=self.portal, type="Folder", id="bienvenue", title="Bienvenue"
        )
        for obj in (intro, inner, inner["dedans"], home):
            api.content.transition(obj=obj, transition="publish")
        section.setDefaultPage("intro")
        sub.setDefaultPage("accueil")
        self.portal.setDefaultPage("bienvenue")
        api.portal.set_registry_record("plone.nonfolderish_tabs", True)
        for obj in (intro, inner, home):
            obj.reindexObject()
        processQueue()
        catalog = api.portal.get_tool("portal_catalog")
        self.assertEqual(
            len(catalog.unrestrictedSearchResults(is_default_page=True)), 3
        )

    def tabs(self, view_class):
        IAnnotations(self.request).pop("plone.memoize", None)
        tabs = view_class(self.portal, self.request).topLevelTabs()
        # the actions' entries hold lazily evaluated expressions
        keys = ("id", "name", "url", "description", "review_state")
        return [{key: tab.get(key) for key in keys} for tab in tabs]

    def test_the_same_tabs_as_plone(self):
        for user in (None, SITE_OWNER_NAME):
            if user is None:
                logout()
            else:
                login(self.portal.aq_parent, user)
            ours = self.tabs(CatalogNavigationTabs)
            self.assertEqual(ours, self.tabs(navigation.CatalogNavigationTabs))
            ids = [tab["id"] for tab in ours]
            self.assertIn("vie-locale", ids)
            self.assertNotIn("bienvenue", ids)

    def test_the_tabs_query_has_no_default_page_criterion(self):
        view = CatalogNavigationTabs(self.portal, self.request)
        self.assertNotIn("is_default_page", view._getNavQuery())
        self.assertIn(
            "is_default_page",
            navigation.CatalogNavigationTabs(self.portal, self.request)._getNavQuery(),
        )

    def test_default_pages_not_in_the_menu(self):
        api.portal.set_registry_record("plone.navigation_depth", 4)
        ours = self.menu(GlobalSectionsViewlet)
        self.assertEqual(ours, self.menu(common.GlobalSectionsViewlet))
        self.assertIn("vie-locale/quartiers", ours)
        self.assertNotIn("vie-locale/intro", ours)
        self.assertNotIn("quartiers/accueil", ours)
        self.assertNotIn("bienvenue", ours)

    def test_the_menu_query_has_no_default_page_criterion(self):
        viewlet = GlobalSectionsViewlet(self.portal, self.request, None, None)
        query = {"path": {"query": "/plone", "depth": 1}, "is_default_page": False}
        viewlet.customize_query(query)
        self.assertNotIn("is_default_page", query)

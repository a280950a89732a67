"""Plone's main navigation with its query confined to the menu's sections
(browser/navigation.py): the same menu as Plone's, without the households."""

from illkirch.eservices.browser.navigation import GlobalSectionsViewlet
from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from plone import api
from plone.app.layout.viewlets import common
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login
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
        section = api.content.create(container=self.portal, type="Folder",
                                     id="vie-locale", title="Vie locale")
        sub = api.content.create(container=section, type="Folder", id="quartiers",
                                 title="Quartiers")
        api.content.create(container=sub, type="Document", id="centre", title="Centre")
        hidden = api.content.create(container=self.portal, type="Folder", id="interne",
                                    title="Interne", exclude_from_nav=True)
        api.content.create(container=hidden, type="Folder", id="cache", title="Caché")
        for obj in (section, sub, sub["centre"], hidden, hidden["cache"]):
            api.content.transition(obj=obj, transition="publish")

    def navtree(self, viewlet_class, context=None):
        context = context or self.portal
        viewlet = viewlet_class(context, self.request, None, None)
        viewlet.update()
        return {path: [entry["path"] for entry in entries]
                for path, entries in viewlet.navtree.items()}

    def test_the_same_menu_as_plone(self):
        for context in (self.portal, self.portal["vie-locale"]["quartiers"],
                        self.portal["foyers"]):
            self.assertEqual(self.navtree(GlobalSectionsViewlet, context),
                             self.navtree(common.GlobalSectionsViewlet, context))
        tree = self.navtree(GlobalSectionsViewlet)
        self.assertIn("/plone/vie-locale/quartiers", tree["/plone/vie-locale"])
        self.assertIn("/plone/vie-locale/quartiers/centre",
                      tree["/plone/vie-locale/quartiers"])
        self.assertNotIn("/plone/interne", tree)

    def test_the_query_leaves_the_households_out(self):
        viewlet = GlobalSectionsViewlet(self.portal, self.request, None, None)
        query = {"path": {"query": "/plone", "depth": 3}}
        viewlet.customize_query(query)
        paths = query["path"]["query"]
        self.assertEqual(query["path"]["depth"], 2)
        self.assertIn("/plone/vie-locale", paths)
        self.assertNotIn("/plone/foyers", paths)
        self.assertNotIn("/plone/interne", paths)

    def test_registered_for_the_add_on_layer(self):
        manager = getMultiAdapter(
            (self.portal, self.request, self.portal.restrictedTraverse("@@view")),
            IViewletManager, name="plone.mainnavigation")
        manager.update()
        found = [v for v in manager.viewlets if v.__name__ == "plone.global_sections"]
        self.assertEqual(len(found), 1)
        self.assertIsInstance(found[0], GlobalSectionsViewlet)

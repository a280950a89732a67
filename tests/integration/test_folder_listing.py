"""Plone's folder listing with its query narrowed to the children's types
(browser/listing.py): « Démarches en ligne » lists, for every role, what
Plone's own listing lists."""

from DateTime import DateTime
from illkirch.eservices.browser import listing
from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from plone import api
from plone.app.contentlisting.browser import FolderListing as PloneFolderListing
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login
from plone.app.testing import logout
from Products.CMFCore.indexing import processQueue
from zope.interface import alsoProvides

import unittest


ROLES = (None, "amélie.lire", "agent.accueil", SITE_OWNER_NAME)


class TestFolderListing(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        alsoProvides(self.request, IIllkirchEservicesLayer)
        self.folder = self.portal["demarches"]
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        # beside the services: an expired one, one not yet effective, a
        # private one, a published Document and a private Folder
        services = [s for s in self.folder.objectValues() if s.portal_type == "Service"]
        services[0].setExpirationDate(DateTime() - 1)
        services[0].reindexObject()
        services[1].setEffectiveDate(DateTime() + 1)
        services[1].reindexObject()
        api.content.transition(obj=services[2], to_state="private")
        page = api.content.create(
            container=self.folder, type="Document", id="a-savoir", title="À savoir"
        )
        api.content.transition(obj=page, transition="publish")
        api.content.create(
            container=self.folder, type="Folder", id="brouillons", title="Brouillons"
        )
        processQueue()

    def listed(self, view_class, context=None, **kw):
        view = view_class(context or self.folder, self.request)
        return [brain.getPath() for brain in view(**kw)]

    def login_as(self, user):
        if user is None:
            logout()
        elif user == SITE_OWNER_NAME:
            login(self.portal.aq_parent, user)
        else:
            login(self.portal, user)

    def test_the_same_listing_as_plone_for_every_role(self):
        folder_view = self.folder.restrictedTraverse("@@listing_view")
        types = folder_view.friendly_types
        seen = {}
        for user in ROLES:
            self.login_as(user)
            for kw in (
                {"portal_type": types},
                {"portal_type": types, "batch": True, "b_size": 3, "b_start": 2},
                {"portal_type": "Document"},
                {"portal_type": ["News Item"]},
                {},
            ):
                ours = self.listed(listing.FolderListing, **kw)
                self.assertEqual(
                    ours, self.listed(PloneFolderListing, **kw), (user, kw)
                )
            seen[user] = self.listed(listing.FolderListing, portal_type=types)
        # the roles do see different listings: the check above means something
        self.assertIn("/plone/demarches/a-savoir", seen[None])
        self.assertNotIn("/plone/demarches/brouillons", seen[None])
        self.assertIn("/plone/demarches/brouillons", seen[SITE_OWNER_NAME])
        self.assertLess(len(seen[None]), len(seen[SITE_OWNER_NAME]))

    def test_the_folder_view_lists_the_same_items(self):
        # the page itself (plone.app.contenttypes' listing), through the view
        # registered for the add-on's layer
        for user in ROLES:
            self.login_as(user)
            view = self.folder.restrictedTraverse("@@listing_view")
            ours = [item.getPath() for item in view.batch()]
            self.assertIsInstance(
                self.folder.restrictedTraverse("@@folderListing"), listing.FolderListing
            )
            types = view.friendly_types
            expected = self.listed(
                PloneFolderListing, portal_type=types, batch=True, b_size=20, orphan=1
            )
            self.assertEqual(ours, expected[:20], user)

    def test_the_query_asks_for_the_childrens_types_only(self):
        queries = []
        catalog = api.portal.get_tool("portal_catalog")
        original = catalog.__class__.__call__

        def spy(catalog_self, query=None, **kw):
            queries.append(dict(query or {}, **kw))
            return original(catalog_self, query, **kw)

        catalog.__class__.__call__ = spy
        try:
            self.listed(
                listing.FolderListing, portal_type=["Service", "Document", "Request"]
            )
        finally:
            catalog.__class__.__call__ = original
        self.assertEqual(queries[-1]["portal_type"], ["Service", "Document"])
        self.assertEqual(queries[-1]["path"], {"query": "/plone/demarches", "depth": 1})

    def test_no_child_of_the_types(self):
        self.assertEqual(self.listed(listing.FolderListing, portal_type=["Event"]), [])
        self.assertEqual(self.listed(PloneFolderListing, portal_type=["Event"]), [])

    def test_a_large_folder_is_listed_by_plones_query(self):
        original = listing.MAX_CHILDREN
        listing.MAX_CHILDREN = 2
        try:
            view = listing.FolderListing(self.folder, self.request)
            self.assertIsNone(view.children_types())
            self.assertEqual(
                self.listed(listing.FolderListing, portal_type=["Service"]),
                self.listed(PloneFolderListing, portal_type=["Service"]),
            )
        finally:
            listing.MAX_CHILDREN = original

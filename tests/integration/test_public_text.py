"""The catalog's ``public_text`` index (#22, ``content/public_text.py``):
the words of the public side of the portal only; an anonymous visitor's
text criterion asks it, everyone else's Plone's ``SearchableText``; the
1017 → 1018 upgrade fills it with the public side and reads nothing else."""

from illkirch.eservices.content import public_text
from illkirch.eservices.conversation import private_indexes
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.unread import passport_request
from plone import api
from plone.app.querystring.interfaces import IParsedQueryIndexModifier
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from Products.CMFCore.indexing import processQueue
from zope.component import getUtility

import unittest


PROFILE = "illkirch.eservices:default"
PRIVATE_TYPES = (
    "HouseholdFolder",
    "Household",
    "Person",
    "RequestFolder",
    "Request",
    "Payment",
    "RegieFolder",
    "Regie",
    "Invoice",
)


def in_index(catalog, name, rid):
    return bool(catalog._catalog.getIndex(name).index.has_doc(rid))


class TestPublicText(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.catalog = api.portal.get_tool("portal_catalog")
        login(self.portal, "amélie.lire")
        self.request_obj = passport_request(self.portal, "amelie.lire")
        logout()
        processQueue()
        self.service = self.portal["demarches"]["rendez-vous-passeport-cni"]

    def rid(self, obj):
        return self.catalog.getrid("/".join(obj.getPhysicalPath()))

    def test_private_side_left_out(self):
        brains = self.catalog.unrestrictedSearchResults(portal_type=PRIVATE_TYPES)
        self.assertTrue(brains)
        types = set()
        for brain in brains:
            self.assertFalse(
                in_index(self.catalog, public_text.INDEX, brain.getRID()),
                brain.getPath(),
            )
            types.add(brain.portal_type)
        self.assertTrue({"Household", "Person", "Request"} <= types)
        # Plone's text index still holds the request
        self.assertTrue(
            in_index(self.catalog, "SearchableText", self.rid(self.request_obj))
        )

    def test_public_side_in_with_the_same_words(self):
        for obj in (self.portal, self.service, self.portal["faq"]):
            rid = self.rid(obj)
            with self.subTest(obj.getId()):
                self.assertTrue(in_index(self.catalog, public_text.INDEX, rid))
                self.assertEqual(
                    self.catalog.getIndexDataForRID(rid)[public_text.INDEX],
                    self.catalog.getIndexDataForRID(rid)["SearchableText"],
                )

    def test_new_and_edited_content(self):
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        login(self.portal, TEST_USER_NAME)
        page = api.content.create(
            container=self.portal, type="Document", id="zqxpage", title="Zqxword"
        )
        processQueue()
        found = self.catalog.unrestrictedSearchResults(public_text="zqxword")
        self.assertEqual([b.getObject() for b in found], [page])
        page.setTitle("Zqxother")
        page.reindexObject()
        processQueue()
        self.assertFalse(self.catalog.unrestrictedSearchResults(public_text="zqxword"))
        self.assertTrue(self.catalog.unrestrictedSearchResults(public_text="zqxother"))
        logout()

    def test_anonymous_criterion_on_public_text(self):
        logout()
        query = private_indexes.public_query({"SearchableText": "passeport*"})
        self.assertEqual(query, {"public_text": "passeport*"})
        modifier = getUtility(IParsedQueryIndexModifier, name="SearchableText")
        self.assertEqual(modifier("x"), ("public_text", "x"))
        found = {b.UID for b in self.catalog(**query)}
        self.assertIn(self.service.UID(), found)
        self.assertNotIn(self.request_obj.UID(), found)

    def test_members_keep_searchable_text(self):
        for userid in ("amélie.lire", "agent.accueil"):
            login(self.portal, userid)
            with self.subTest(userid):
                query = private_indexes.public_query({"SearchableText": "passeport*"})
                self.assertEqual(query, {"SearchableText": "passeport*"})
                modifier = getUtility(IParsedQueryIndexModifier, name="SearchableText")
                self.assertEqual(modifier("x"), ("SearchableText", "x"))
                found = {b.UID for b in self.catalog(**query)}
                self.assertIn(self.service.UID(), found)
                self.assertIn(self.request_obj.UID(), found)
            logout()

    def test_upgrade_1017_to_1018(self):
        self.catalog.delIndex(public_text.INDEX)
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1017")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), ("1018",))
        index = self.catalog._catalog.getIndex(public_text.INDEX)
        for obj in (self.portal, self.service, self.portal["faq"]):
            self.assertTrue(in_index(self.catalog, public_text.INDEX, self.rid(obj)))
        self.assertFalse(
            in_index(self.catalog, public_text.INDEX, self.rid(self.request_obj))
        )
        # every document of Plone's text index but the private side's
        text = self.catalog._catalog.getIndex("SearchableText").index
        public = {
            rid
            for rid in text._docwords.keys()
            if self.catalog.getMetadataForRID(rid)["portal_type"] not in PRIVATE_TYPES
        }
        self.assertEqual(set(index.index._docwords.keys()), public)

"""The catalog's ``public_text`` index (#22, ``content/public_text.py``):
the words of the public side of the portal only; an anonymous visitor's
text criterion asks it, everyone else's Plone's ``SearchableText``; the
1015 → 1016 upgrade fills it with the public side and reads nothing else."""

from illkirch.eservices.content import public_text
from illkirch.eservices.conversation import private_indexes
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.profile import profile_version
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

    def test_not_upgraded_yet(self):
        """Without the index (the code before its upgrade step), an
        anonymous search asks Plone's, as before."""
        self.catalog.delIndex(public_text.INDEX)
        logout()
        query = private_indexes.public_query({"SearchableText": "passeport*"})
        self.assertEqual(query, {"SearchableText": "passeport*"})
        modifier = getUtility(IParsedQueryIndexModifier, name="SearchableText")
        self.assertEqual(modifier("x"), ("SearchableText", "x"))

    def test_private_types_left_out_for_visitors(self):
        types = ["Service", "Request", "Household", "FAQQuestion"]
        logout()
        query = private_indexes.public_query({"portal_type": list(types)})
        self.assertEqual(query, {"portal_type": ["Service", "FAQQuestion"]})
        query = private_indexes.public_query(
            {"portal_type": {"query": list(types), "operator": "or"}}
        )
        self.assertEqual(
            query,
            {"portal_type": {"query": ["Service", "FAQQuestion"], "operator": "or"}},
        )
        # only private types: kept (the security filter shows nothing)
        query = private_indexes.public_query({"portal_type": ["Request"]})
        self.assertEqual(query, {"portal_type": ["Request"]})
        login(self.portal, "agent.accueil")
        query = private_indexes.public_query({"portal_type": list(types)})
        self.assertEqual(query, {"portal_type": types})
        logout()

    def test_site_wide_path_dropped(self):
        """A ``path`` criterion that is the whole site selects nothing: left
        out (for everyone) when another index's criterion remains."""
        site = "/".join(self.portal.getPhysicalPath())
        login(self.portal, "agent.accueil")
        for path in (site, {"query": site}, {"query": [site], "depth": -1}):
            query = {"portal_type": "Service", "path": path}
            self.assertEqual(
                private_indexes.public_query(query), {"portal_type": "Service"}
            )
        for path in (
            {"query": site, "depth": 1},
            f"{site}/demarches",
            {"query": site, "navtree": True},
        ):
            query = {"portal_type": "Service", "path": path}
            self.assertEqual(private_indexes.public_query(dict(query)), query, path)
        self.assertEqual(private_indexes.public_query({"path": site}), {"path": site})
        logout()

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

    def test_upgrade_1015_to_1016(self):
        self.catalog.delIndex(public_text.INDEX)
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1015")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))
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

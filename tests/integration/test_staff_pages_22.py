"""The staff's household page and the request page at town scale (#22): the
household's listing asks the catalog by the household's path alone (the
same items, in the same order, as Plone's listing), and the request page
looks the citizen's contact up only for those who see it."""

from Acquisition import aq_parent
from illkirch.eservices import mail
from illkirch.eservices.browser import ways
from illkirch.eservices.testing.conversation import AGENT_ID
from illkirch.eservices.testing.conversation import CITIZEN_LOGIN
from illkirch.eservices.testing.conversation import FiledRequestTestCase
from plone import api
from plone.app.dexterity.browser.folder_listing import FolderView
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login
from Products.ZCatalog.Catalog import Catalog
from unittest import mock


class _Base(FiledRequestTestCase):
    def setUp(self):
        super().setUp()
        self.household = aq_parent(self.request_obj)

    def searches(self):
        """A spy on the catalog's searches: the queries, in order."""
        queries = []
        search = Catalog.search

        def spy(catalog, query, *args, **kwargs):
            queries.append(dict(query))
            return search(catalog, query, *args, **kwargs)

        patcher = mock.patch.object(Catalog, "search", spy)
        patcher.start()
        self.addCleanup(patcher.stop)
        return queries


class TestHouseholdListing(_Base):
    def listing(self):
        return api.content.get_view("folder_listing", self.household, self.request)

    def paths(self, items):
        return [item.getPath() for item in items]

    def test_the_same_items_as_plone_in_one_path_query(self):
        for user_id in (AGENT_ID, SITE_OWNER_NAME):
            if user_id == SITE_OWNER_NAME:  # the Zope root's administrator
                login(self.layer["app"], SITE_OWNER_NAME)
            else:
                login(self.portal, user_id)
            view = self.listing()
            self.assertIsInstance(view, ways.HouseholdListing)
            plone = FolderView.results(self.listing(), batch=False)
            self.assertTrue(len(plone), user_id)
            queries = self.searches()
            ours = view.results()
            self.assertEqual(self.paths(ours), self.paths(plone), user_id)
            self.assertEqual(self.paths(view.batch()), self.paths(plone)[:20])
            # asked once per view, by the household's path alone
            self.assertIs(view.results(), ours)
            self.assertEqual(len(queries), 1)
            self.assertNotIn("portal_type", queries[0])
            self.assertEqual(
                queries[0]["path"],
                {"query": "/".join(self.household.getPhysicalPath()), "depth": 1},
            )

    def test_the_types_plone_leaves_out_are_left_out(self):
        login(self.portal, AGENT_ID)
        types = [t for t in self.listing().friendly_types if t != "Request"]
        with mock.patch.object(
            ways.HouseholdListing,
            "friendly_types",
            new_callable=mock.PropertyMock,
            return_value=types,
        ):
            ours = self.paths(self.listing().results())
            plone = self.paths(FolderView.results(self.listing(), batch=False))
        self.assertEqual(ours, plone)
        self.assertNotIn("/".join(self.request_obj.getPhysicalPath()), ours)

    def test_a_filter_or_a_query_is_plone_s(self):
        login(self.portal, AGENT_ID)
        queries = self.searches()
        self.listing().results(sort_on="sortable_title")
        self.assertIn("portal_type", queries[-1])

    def test_the_page_lists_the_household_s_requests(self):
        login(self.portal, AGENT_ID)
        html = api.content.get_view("view", self.household, self.request)()
        self.assertIn(self.request_obj.absolute_url(), html)
        self.assertIn('id="folder-listing"', html)


class TestContactLookedUpForTheStaffOnly(_Base):
    def render(self):
        return api.content.get_view("view", self.request_obj, self.request)()

    def test_the_citizen_s_page_asks_no_address(self):
        login(self.portal, CITIZEN_LOGIN)
        with mock.patch.object(mail, "user_email", wraps=mail.user_email) as spy:
            html = self.render()
        self.assertFalse(spy.called)
        self.assertNotIn("contact-title", html)

    def test_the_agent_s_page_shows_the_contact(self):
        login(self.portal, AGENT_ID)
        with mock.patch.object(mail, "user_email", wraps=mail.user_email) as spy:
            html = self.render()
        self.assertTrue(spy.called)
        self.assertIn('id="contact-title"', html)
        address = mail.user_email(self.household.holder_id)
        self.assertTrue(address)
        self.assertIn(f"mailto:{address}", html)

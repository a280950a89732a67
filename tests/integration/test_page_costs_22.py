"""The pages' costs (#22): no page renders another object's page inside
itself, and the look-ups made cheaper give the same answers.

A path expression (``tal:condition="view/household"``) *calls* the object
it ends on: a household or a payment was rendered as a whole page (its
chrome, its listing) only to test that it was there, twice per page, which
made « Mes documents » and the payment's return page 2 to 3.5 times as slow
as the Document view (docs/performance.md, #22)."""

from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from plone import api
from plone.app.testing import login
from plone.dexterity.browser.view import DefaultView
from unittest import mock
from zope.interface import alsoProvides

import unittest


CITIZEN = "amélie.lire"
CITIZEN_TABS = (
    "mon-espace",
    "mon-espace-compte",
    "mon-espace-services",
    "mon-espace-demandes",
    "mon-espace-documents",
    "mon-espace-factures",
    "paiement-retour",
    "panier",
)


class TestNoNestedPage(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        alsoProvides(self.request, IIllkirchEservicesLayer)
        login(self.portal, CITIZEN)

    def test_citizen_pages_render_no_object_page(self):
        for name in CITIZEN_TABS:
            with mock.patch.object(
                DefaultView, "__call__", side_effect=AssertionError(name)
            ) as nested:
                view = api.content.get_view(name, self.portal, self.request)
                html = view()
            self.assertFalse(nested.called, name)
            self.assertIn("eservices-tab-title", html, name)


class TestCurrentHousehold(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]

    def test_current_household_of_the_logged_in_user(self):
        login(self.portal, CITIZEN)
        self.assertEqual(households.current_userid(), "amelie.lire")
        self.assertIs(
            aq_base(households.current_household()),
            aq_base(household_of("amelie.lire")),
        )
        self.assertEqual(households.current_userid(), api.user.get_current().getId())

    def test_no_household_for_anonymous_and_staff(self):
        login(self.portal, "agent.accueil")
        self.assertIsNone(households.current_household())
        from plone.app.testing import logout

        logout()
        self.assertIsNone(households.current_userid())
        self.assertIsNone(households.current_household())


class TestAccountTabLookups(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        alsoProvides(self.request, IIllkirchEservicesLayer)

    def view(self):
        view = api.content.get_view("mon-espace-compte", self.portal, self.request)
        view.household = households.current_household()
        return view

    def test_fullname_as_member_data_has_it(self):
        """The welcome line reads the PAS user: the same name as member data."""
        for login_name in (CITIZEN, "jérôme.attente", "agent.accueil"):
            login(self.portal, login_name)
            member = api.user.get_current()
            expected = member.getProperty("fullname") or member.getUserName()
            self.assertEqual(self.view().fullname(), expected, login_name)

    def test_state_looked_up_once_per_household(self):
        login(self.portal, CITIZEN)
        view = self.view()
        with mock.patch.object(
            households, "state", wraps=households.state
        ) as looked_up:
            self.assertTrue(view.editable)
            self.assertTrue(view.editable)
            self.assertEqual(view.state(), "validated")
            self.assertEqual(looked_up.call_count, 1)
            view.household = household_of("jerome.attente")
            self.assertFalse(view.editable)
            self.assertEqual(looked_up.call_count, 2)

    def test_root_url_once_per_view(self):
        login(self.portal, CITIZEN)
        view = self.view()
        self.assertEqual(view.root_url(), self.portal.absolute_url())
        self.assertEqual(
            view.url("modifier-membre", "x y"),
            f"{self.portal.absolute_url()}/@@modifier-membre?membre=x%20y",
        )


class TestFAQGroupsKept(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        alsoProvides(self.request, IIllkirchEservicesLayer)
        self.faq = self.portal["faq"]

    def view(self):
        return api.content.get_view("view", self.faq, self.request)

    def test_kept_until_the_catalog_changes(self):
        from plone.app.textfield.value import RichTextValue

        import transaction

        # the counter as committed by the layer: the groups are kept
        first = self.view().groups()
        self.assertTrue(first)
        self.assertIs(self.view().groups(), first)
        self.assertEqual(self.view()._groups(), first)
        question = self.faq[first[0]["questions"][0]["anchor"][len("question-") :]]
        question.answer = RichTextValue(
            "<p>Une réponse changée.</p>", "text/html", "text/x-html-safe"
        )
        question.reindexObject()
        # not committed: computed again, not kept
        again = self.view().groups()
        self.assertIsNot(again, first)
        self.assertIn("Une réponse changée.", again[0]["questions"][0]["answer"])
        self.assertIsNot(self.view().groups(), again)
        self.assertEqual(again, self.view()._groups())
        transaction.abort()
        self.assertIs(self.view().groups(), first)


class TestPaymentsInvoices(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def test_household_invoices_as_looked_up_by_uid(self):
        from illkirch.eservices.payments import records

        household = household_of("amelie.lire")
        known = records.HouseholdInvoices(household)
        self.assertTrue(known.brains)
        for uid in known.brains:
            self.assertIs(aq_base(known.get(uid)), aq_base(records._invoice(uid)))
        self.assertIsNone(known.get("no-such-uid"))
        for payment in records.household_payments(household):
            self.assertEqual(
                records.payment_info(payment, None, known),
                records.payment_info(payment, None),
            )


class TestOwnEntries(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.household = household_of("amelie.lire")

    def uncached(self, portal_type):
        catalog = api.portal.get_tool("portal_catalog")
        path = "/".join(self.household.getPhysicalPath())
        return [
            brain.getPath()
            for brain in catalog.unrestrictedSearchResults(
                path={"query": path, "depth": 1}
            )
            if brain.portal_type == portal_type
        ]

    def paths(self, portal_type):
        return [b.getPath() for b in households.own_brains(self.household, portal_type)]

    def test_read_once_per_request_while_the_catalog_is_unchanged(self):
        catalog = api.portal.get_tool("portal_catalog")
        self.assertFalse(catalog._counter._p_changed)
        for portal_type in ("Request", "Invoice", "Person"):
            self.assertEqual(self.paths(portal_type), self.uncached(portal_type))
        with mock.patch.object(
            aq_base(catalog).__class__, "unrestrictedSearchResults", autospec=True
        ) as search:
            self.paths("Request")
            self.paths("Invoice")
        search.assert_not_called()

    def test_a_change_is_seen_at_once(self):
        before = self.paths("Person")
        with api.env.adopt_roles(["Manager"]):
            person = api.content.create(
                container=self.household,
                type="Person",
                id="membre-test-22",
                first_name="Test",
                last_name="Vingt-deux",
                member_type="child",
                relationship="child",
            )
        after = self.paths("Person")
        self.assertEqual(len(after), len(before) + 1)
        self.assertIn("/".join(person.getPhysicalPath()), after)
        self.assertEqual(after, self.uncached("Person"))


class TestHouseholdOfKept(unittest.TestCase):
    """``household_of`` keeps the household's path of each holder while the
    catalog is unchanged (#22)."""

    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        households._HOLDERS.clear()
        self.addCleanup(households._HOLDERS.clear)
        self.catalog = api.portal.get_tool("portal_catalog")

    def search(self):
        return mock.patch.object(
            aq_base(self.catalog).__class__,
            "unrestrictedSearchResults",
            autospec=True,
            side_effect=aq_base(self.catalog).__class__.unrestrictedSearchResults,
        )

    def test_kept_while_the_catalog_is_unchanged(self):
        self.assertFalse(self.catalog._counter._p_changed)
        amelie = household_of("amelie.lire")
        self.assertIsNone(household_of("agent.sans.foyer"))
        with self.search() as search:
            again = household_of("amelie.lire")
            self.assertIsNone(household_of("agent.sans.foyer"))
        search.assert_not_called()
        self.assertIs(aq_base(again), aq_base(amelie))
        self.assertEqual(again.getPhysicalPath(), amelie.getPhysicalPath())

    def test_another_holder_seen_at_once(self):
        amelie = household_of("amelie.lire")
        amelie.holder_id = "quelquun.dautre"
        amelie.reindexObject(idxs=["household_holder"])
        with self.search() as search:
            self.assertIsNone(household_of("amelie.lire"))
            found = household_of("quelquun.dautre")
        self.assertTrue(search.called)
        self.assertIs(aq_base(found), aq_base(amelie))


def aq_base(obj):
    from Acquisition import aq_base as base

    return base(obj)

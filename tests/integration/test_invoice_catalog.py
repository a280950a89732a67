"""An invoice in the catalog's indexes its queries use only
(content/indexing.py ``InvoiceAttributesWrapper``, docs/invoices.md
« Catalogue »): every page, REST route and import still finds it; Plone's
text and navigation indexes do not hold it; the 1014 → 1015 upgrade
catalogues the invoices stored before that way."""

from illkirch.eservices.accounts import households
from illkirch.eservices.billing import basket
from illkirch.eservices.billing import importer
from illkirch.eservices.billing import invoices
from illkirch.eservices.billing import overview
from illkirch.eservices.content.indexing import OwnAttributesWrapper
from illkirch.eservices.payments import records
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.profile import profile_version
from Missing import MV
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from Products.CMFCore.indexing import processQueue
from Products.ZCatalog.ZCatalog import ZCatalog

import datetime
import unittest


PROFILE = "illkirch.eservices:default"
HEADER = (
    "regie;numero;compte_facturation;domaine;beneficiaire;periode;"
    "date_emission;date_echeance;libelle;quantite;prix_unitaire;statut"
)
# the indexes an invoice is in (its own and those of its queries)
KEPT = {
    "path",
    "portal_type",
    "UID",
    "allowedRolesAndUsers",
    "review_state",
    "invoice_number",
    "invoice_regie",
    "invoice_issue_date",
    "Title",  # the staff's listing of a household
    "getId",
    "id",
}
# Plone's indexes it is no longer in
LEFT_OUT = (
    "SearchableText",
    "Description",
    "sortable_title",
    "Subject",
    "Creator",
    "created",
    "modified",
    "Date",
    "effective",
    "expires",
    "object_provides",
    "is_folderish",
    "is_default_page",
)
UNUSED_COLUMNS = ("Description", "CreationDate", "modified", "getIcon")


def in_index(catalog, name, rid):
    index = catalog._catalog.getIndex(name)
    if index.meta_type == "ZCTextIndex":
        return bool(index.index.has_doc(rid))
    return rid in index._unindex


class TestInvoiceCatalog(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.catalog = api.portal.get_tool("portal_catalog")
        self.household = households.household_of("amelie.lire")
        login(self.portal, "agent.regie")
        issued = datetime.date.today().strftime("%d/%m/%Y")
        importer.import_file(
            "\n".join(
                (
                    HEADER,
                    f"ville;V-2099-0001;ILK-000123;Périscolaire;Léo Lire;06/2026;"
                    f"{issued};;Restauration scolaire;3;4,50;a_payer",
                )
            )
            + "\n"
        )
        logout()
        processQueue()  # indexed as at the commit
        self.invoice = next(
            obj
            for obj in self.household.objectValues()
            if getattr(obj, "number", None) == "V-2099-0001"
        )
        self.path = "/".join(self.invoice.getPhysicalPath())

    def rid(self):
        return self.catalog.getrid(self.path)

    def test_kept_out_of_the_other_indexes(self):
        rid = self.rid()
        self.assertIsNotNone(rid)
        for name in KEPT:
            with self.subTest(index=name):
                self.assertTrue(in_index(self.catalog, name, rid))
        for name in LEFT_OUT:
            with self.subTest(index=name):
                self.assertFalse(in_index(self.catalog, name, rid))
        brain = self.catalog.unrestrictedSearchResults(UID=self.invoice.UID())[0]
        self.assertEqual(brain.portal_type, "Invoice")
        self.assertEqual(brain.review_state, "unpaid")
        self.assertEqual(brain.getId, self.invoice.getId())
        self.assertEqual(brain.Title, "Facture n° V-2099-0001")
        for name in UNUSED_COLUMNS:
            with self.subTest(column=name):
                self.assertIs(getattr(brain, name), MV)
        # Plone's search by text does not find it
        self.assertEqual(
            len(self.catalog.unrestrictedSearchResults(SearchableText="V-2099-0001")),
            0,
        )

    def test_found_by_every_query(self):
        uid = self.invoice.UID()
        own = households.own_brains(self.household, "Invoice")
        self.assertIn(uid, [brain.UID for brain in own])
        # « Mes comptes », GET /@invoices, the dashboard
        self.assertIn(
            self.invoice, invoices.household_invoices(self.household, "unpaid")
        )
        self.assertIn(self.invoice, overview.latest(self.household, count=100))
        # the basket, the payments
        self.assertEqual(basket.household_invoice(self.household, uid), self.invoice)
        self.assertEqual(records._invoice(uid), self.invoice)
        # the import: the stored invoice by its régie and number
        found = importer.stored_invoices({("ville", "V-2099-0001")})
        self.assertEqual(found[("ville", "V-2099-0001")].getPath(), self.path)
        # by type, by state, by path (as the tests and Plone's tools ask)
        for query in (
            {"portal_type": "Invoice"},
            {"review_state": "unpaid"},
            {"path": {"query": self.path, "depth": 0}},
            {"invoice_number": "V-2099-0001"},
        ):
            with self.subTest(query=query):
                paths = [
                    b.getPath() for b in self.catalog.unrestrictedSearchResults(**query)
                ]
                self.assertIn(self.path, paths)

    def test_restricted_search_by_who_may_view_it(self):
        query = {
            "portal_type": "Invoice",
            "path": "/".join(self.household.getPhysicalPath()),
        }
        login(self.portal, "amélie.lire")
        self.assertIn(self.path, [b.getPath() for b in self.catalog(**query)])
        login(self.portal, "jérôme.attente")
        self.assertEqual(len(self.catalog(**query)), 0)
        logout()
        self.assertEqual(len(self.catalog(**query)), 0)

    def test_in_the_staffs_listing_of_the_household(self):
        """Plone's folder listing (the household's page for the staff):
        the invoice by its title, in the folder's order."""
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        login(self.portal, TEST_USER_NAME)
        listing = self.household.restrictedTraverse("@@folderListing")()
        titles = [item.Title() for item in listing]
        self.assertIn("Facture n° V-2099-0001", titles)
        self.assertGreater(len(titles), 1)
        logout()

    def test_reindexed_as_few(self):
        """Paid, cancelled or updated: still only in its indexes."""
        login(self.portal, "agent.regie")
        with api.env.adopt_roles(["Manager"]):
            api.content.transition(obj=self.invoice, transition="cancel")
        self.invoice.reindexObject()
        processQueue()
        rid = self.rid()
        self.assertEqual(
            self.catalog.getIndexDataForRID(rid)["review_state"], "cancelled"
        )
        for name in LEFT_OUT:
            with self.subTest(index=name):
                self.assertFalse(in_index(self.catalog, name, rid))

    def test_upgrade_1014_to_1015(self):
        # the invoice catalogued as before 1015: in every index
        ZCatalog.catalog_object(
            self.catalog, OwnAttributesWrapper(self.invoice, self.catalog), self.path
        )
        rid = self.rid()
        self.assertTrue(in_index(self.catalog, "SearchableText", rid))
        self.assertTrue(in_index(self.catalog, "modified", rid))
        others = len(self.catalog.unrestrictedSearchResults(portal_type="Invoice"))
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1014")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))
        rid = self.rid()
        for name in LEFT_OUT:
            with self.subTest(index=name):
                self.assertFalse(in_index(self.catalog, name, rid))
        for name in KEPT:
            with self.subTest(index=name):
                self.assertTrue(in_index(self.catalog, name, rid))
        # every invoice still catalogued, once
        self.assertEqual(
            len(self.catalog.unrestrictedSearchResults(portal_type="Invoice")), others
        )
        uid = self.invoice.UID()
        self.assertEqual(len(self.catalog.unrestrictedSearchResults(UID=uid)), 1)
        self.assertEqual(basket.household_invoice(self.household, uid), self.invoice)
        for brain in self.catalog.unrestrictedSearchResults(portal_type="Invoice"):
            self.assertFalse(in_index(self.catalog, "SearchableText", brain.getRID()))

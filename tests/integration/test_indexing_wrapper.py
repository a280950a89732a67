"""The households' data are catalogued from their own attributes
(content/indexing.py): every index and metadata column gets the value
Plone's own wrapper gives, without the acquisition walk."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.billing import basket
from illkirch.eservices.content.indexing import INVOICE_NAMES
from illkirch.eservices.content.indexing import InvoiceAttributesWrapper
from illkirch.eservices.content.indexing import OwnAttributesWrapper
from illkirch.eservices.payments import checkout
from illkirch.eservices.payments import records
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.indexer.interfaces import IIndexableObject
from plone.indexer.wrapper import IndexableObjectWrapper
from zope.component import queryMultiAdapter

import unittest


TYPES = ("Household", "Person", "Request", "Invoice", "Payment")
_MISSING = object()


def read(wrapper, name):
    try:
        value = getattr(wrapper, name)
        return value() if callable(value) else value
    except AttributeError:
        return _MISSING


class TestOwnAttributesWrapper(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.catalog = api.portal.get_tool("portal_catalog")
        self.names = (set(self.catalog.indexes()) | set(self.catalog.schema())) - {
            "getObjPositionInParent"
        }
        _, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        login(self.portal, "jérôme.attente")
        request = submission.submit(
            self.portal["demarches"]["signalement-voie-publique"],
            dict(SIGNALEMENT_ANSWERS),
        )
        login(self.portal, "amélie.lire")
        household = household_of("amelie.lire")
        unpaid = next(
            obj
            for obj in household.objectValues()
            if getattr(obj, "portal_type", "") == "Invoice"
            and api.content.get_state(obj) == "unpaid"
        )
        basket.add(
            household, unpaid.UID(), in_payment=records.pending_invoice_uids(household)
        )
        url = self.portal.absolute_url()
        payment, _ = checkout.start(
            household, f"{url}/@@paiement-retour", checkout.notify_url_base(self.portal)
        )
        logout()
        persons = [
            obj
            for obj in household.objectValues()
            if getattr(obj, "portal_type", "") == "Person"
        ]
        # the objects checked: one of each type, made or read here
        self.checked = {
            "Household": [household],
            "Person": persons[:1],
            "Request": [request],
            "Invoice": [unpaid],
            "Payment": [payment],
        }

    def objects(self, portal_type):
        brains = self.catalog.unrestrictedSearchResults(portal_type=portal_type)
        return [brain._unrestrictedGetObject() for brain in brains]

    def test_used_for_the_households_data_only(self):
        for portal_type in TYPES:
            (obj,) = self.checked[portal_type]
            self.assertIn(obj, self.objects(portal_type), portal_type)
            wrapper = queryMultiAdapter((obj, self.catalog), IIndexableObject)
            self.assertIsInstance(wrapper, OwnAttributesWrapper, portal_type)
        wrapper = queryMultiAdapter(
            (self.portal["faq"], self.catalog), IIndexableObject
        )
        self.assertNotIsInstance(wrapper, OwnAttributesWrapper)

    def test_same_values_as_plone(self):
        compared = dict.fromkeys(TYPES, 0)
        for portal_type in TYPES:
            catalogued = self.objects(portal_type)[:5]
            for obj in self.checked[portal_type] + [
                obj for obj in catalogued if obj not in self.checked[portal_type]
            ]:
                ours = OwnAttributesWrapper(obj, self.catalog)
                plone = IndexableObjectWrapper(obj, self.catalog)
                for name in sorted(self.names):
                    with self.subTest(type=portal_type, name=name):
                        self.assertEqual(read(ours, name), read(plone, name))
                    compared[portal_type] += 1
        # every type compared, on every index and column (some sixty)
        self.assertGreater(len(self.names), 50)
        for portal_type in TYPES:
            self.assertGreaterEqual(compared[portal_type], len(self.names), portal_type)

    def test_invoice_gives_its_few_names_only(self):
        """An invoice: Plone's values for the indexes and columns its
        queries use, none for the others (docs/invoices.md « Catalogue »)."""
        for invoice in self.checked["Invoice"] + self.objects("Invoice")[:3]:
            ours = queryMultiAdapter((invoice, self.catalog), IIndexableObject)
            self.assertIsInstance(ours, InvoiceAttributesWrapper)
            plone = IndexableObjectWrapper(invoice, self.catalog)
            for name in sorted(self.names | INVOICE_NAMES):
                with self.subTest(name=name):
                    if name in INVOICE_NAMES:
                        self.assertIsNot(read(plone, name), _MISSING)
                        self.assertEqual(read(ours, name), read(plone, name))
                    else:
                        self.assertIs(read(ours, name), _MISSING)

    def test_attribute_of_the_household_not_taken_by_an_invoice(self):
        invoice = self.objects("Invoice")[0]
        self.assertTrue(invoice.aq_parent.billing_account)
        self.assertEqual(invoice.billing_account, invoice.aq_parent.billing_account)
        wrapper = OwnAttributesWrapper(invoice, self.catalog)
        with self.assertRaises(AttributeError):
            _ = wrapper.billing_account
        self.assertEqual(wrapper.invoice_number, invoice.number)
        self.assertEqual(wrapper.review_state, api.content.get_state(invoice))

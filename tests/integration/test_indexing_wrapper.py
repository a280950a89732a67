"""The households' data are catalogued from their own attributes
(content/indexing.py): every index and metadata column gets the value
Plone's own wrapper gives, without the acquisition walk."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.billing import basket
from illkirch.eservices.content.indexing import OwnAttributesWrapper
from illkirch.eservices.payments import checkout
from illkirch.eservices.payments import records
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing import use_mock_mailhost
from illkirch.eservices.testing_requests import SIGNALEMENT_ANSWERS
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
        self.names = (set(self.catalog.indexes())
                      | set(self.catalog.schema())) - {"getObjPositionInParent"}
        _, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        login(self.portal, "jérôme.attente")
        submission.submit(self.portal["demarches"]["signalement-voie-publique"],
                          dict(SIGNALEMENT_ANSWERS))
        login(self.portal, "amélie.lire")
        household = household_of("amelie.lire")
        unpaid = next(obj for obj in household.objectValues()
                      if getattr(obj, "portal_type", "") == "Invoice"
                      and api.content.get_state(obj) == "unpaid")
        basket.add(household, unpaid.UID(),
                   in_payment=records.pending_invoice_uids(household))
        url = self.portal.absolute_url()
        checkout.start(household, f"{url}/@@paiement-retour",
                       checkout.notify_url_base(self.portal))
        logout()

    def objects(self, portal_type):
        brains = self.catalog.unrestrictedSearchResults(portal_type=portal_type)
        return [brain._unrestrictedGetObject() for brain in brains]

    def test_used_for_the_households_data_only(self):
        for portal_type in TYPES:
            objects = self.objects(portal_type)
            self.assertTrue(objects, portal_type)
            wrapper = queryMultiAdapter((objects[0], self.catalog), IIndexableObject)
            self.assertIsInstance(wrapper, OwnAttributesWrapper, portal_type)
        wrapper = queryMultiAdapter((self.portal["faq"], self.catalog), IIndexableObject)
        self.assertNotIsInstance(wrapper, OwnAttributesWrapper)

    def test_same_values_as_plone(self):
        for portal_type in TYPES:
            for obj in self.objects(portal_type)[:5]:
                ours = OwnAttributesWrapper(obj, self.catalog)
                plone = IndexableObjectWrapper(obj, self.catalog)
                for name in sorted(self.names):
                    with self.subTest(type=portal_type, name=name):
                        self.assertEqual(read(ours, name), read(plone, name))

    def test_attribute_of_the_household_not_taken_by_an_invoice(self):
        invoice = self.objects("Invoice")[0]
        self.assertTrue(invoice.aq_parent.billing_account)
        self.assertEqual(invoice.billing_account, invoice.aq_parent.billing_account)
        wrapper = OwnAttributesWrapper(invoice, self.catalog)
        with self.assertRaises(AttributeError):
            wrapper.billing_account
        self.assertEqual(wrapper.invoice_number, invoice.number)
        self.assertEqual(wrapper.review_state, api.content.get_state(invoice))

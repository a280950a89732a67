"""Closing an account drops the household's basket: accounts fires
``AccountClosed``, billing empties the basket (accounts imports nothing
of billing)."""

from illkirch.eservices.accounts import closure
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.billing import basket
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.site import use_mock_mailhost
from plone.app.testing import TEST_USER_ID
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from zope.annotation.interfaces import IAnnotations

import unittest


class TestClosureEmptiesBasket(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        # closing the account emails its holder
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.household = household_of("amelie.lire")
        invoice = next(
            obj
            for obj in self.household.objectValues()
            if getattr(obj, "portal_type", "") == "Invoice" and basket.is_payable(obj)
        )
        login(self.portal, "amélie.lire")
        basket.add(self.household, invoice.UID())
        logout()
        self.assertEqual(len(basket.items(self.household)), 1)

    def test_closing_drops_the_basket(self):
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        login(self.portal, "test-user")
        closure.anonymise(self.household)
        self.assertNotIn(basket.BASKET_KEY, IAnnotations(self.household))
        self.assertEqual(basket.items(self.household), [])
        self.assertEqual(len(self.mailhost.messages), 1)

"""``/@cart`` over HTTP: add and remove, the total from the server, the
refusals (same invoice twice, another régie, another household's invoice),
the checkout's redirection to the (demonstration) bank, and who may use it."""

from datetime import date
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.sessions import rest_session
from plone import api
from plone.dexterity.utils import createContentInContainer

import transaction
import unittest


MESSAGE = (
    "Impossible d'ajouter cet article, vous devez d'abord payer ceux en "
    "attente dans votre panier"
)


class TestCartApi(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        household = household_of("amelie.lire")
        self.ville = household["facture-ville-v-2026-0412"].UID()
        self.ville2 = household["facture-ville-v-2026-0388"].UID()
        self.ccas = household["facture-ccas-c-2026-0093"].UID()
        self.paid = household["facture-ville-v-2026-0351"].UID()
        self.session = rest_session(self.url, *AMELIE)

    def cart(self):
        return self.session.get(f"{self.url}/@cart").json()

    def test_add_remove_total_and_refusals(self):
        response = self.session.post(
            f"{self.url}/@cart", json={"uid": self.ville, "total_cents": 1}
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.session.post(f"{self.url}/@cart", json={"uid": self.ville2})
        cart = self.cart()
        self.assertEqual(cart["regie"], "ville")
        self.assertEqual(cart["total_cents"], 7600 + 6000)
        for uid in (self.ville, self.ccas):
            refused = self.session.post(f"{self.url}/@cart", json={"uid": uid})
            self.assertEqual(refused.status_code, 400)
            self.assertEqual(refused.json()["error"]["message"], MESSAGE)
            self.assertTrue(refused.json()["error"]["basket_url"].endswith("/@@panier"))
        refused = self.session.post(f"{self.url}/@cart", json={"uid": self.paid})
        self.assertEqual(refused.status_code, 400)
        response = self.session.delete(f"{self.url}/@cart/{self.ville}")
        self.assertEqual(response.json()["total_cents"], 6000)

    def test_checkout_goes_to_the_bank_with_the_servers_amount(self):
        self.session.post(f"{self.url}/@cart", json={"uid": self.ville})
        response = self.session.post(
            f"{self.url}/@cart/checkout", json={"amount_cents": 1, "uids": [self.ccas]}
        )
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        self.assertEqual(data["amount_cents"], 7600)
        self.assertTrue(data["redirect"].startswith(f"{self.url}/@@banque-demo?"))
        self.assertEqual(self.cart()["items"], [])
        # in a payment in progress: cannot go into the basket again
        refused = self.session.post(f"{self.url}/@cart", json={"uid": self.ville})
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(refused.json()["error"]["message"], MESSAGE)
        empty = self.session.post(f"{self.url}/@cart/checkout", json={})
        self.assertEqual(empty.status_code, 400)

    def test_nobody_uses_another_households_invoice(self):
        jerome = household_of("jerome.attente")
        with api.env.adopt_roles(["Manager"]):
            other = createContentInContainer(
                jerome, "Invoice", checkConstraints=False, id="facture-ville-j-1"
            )
            other.number, other.regie, other.issue_date = "J-1", "ville", date.today()
            other.total_cents = 500
            other.reindexObject()
            other_uid = other.UID()
        transaction.commit()
        response = self.session.post(f"{self.url}/@cart", json={"uid": other_uid})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.cart()["items"], [])
        # a pending account has no basket; anonymous visitors get 401
        jerome_session = rest_session(self.url, *JEROME)
        self.assertEqual(jerome_session.get(f"{self.url}/@cart").status_code, 404)
        self.assertEqual(
            rest_session(self.url).get(f"{self.url}/@cart").status_code, 401
        )

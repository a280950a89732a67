"""« Mes comptes » and ``GET /@invoices``: the validated household sees its
invoices of the window (to pay, and its statement), an account awaiting
validation sees why it has none, and nobody reaches another household's
invoices (pages, print page, REST)."""

from datetime import date
from illkirch.eservices import money
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import REGIE
from illkirch.eservices.testing.sessions import rest_session
from plone import api
from plone.dexterity.utils import createContentInContainer

import html
import requests
import transaction
import unittest


class TestInvoicesPages(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()

    def session(self, account):
        session = requests.Session()
        login, password = account
        session.post(
            f"{self.url}/login",
            data={
                "__ac_name": login,
                "__ac_password": password,
                "buttons.login": "Se connecter",
                "form.widgets.came_from": "",
            },
        )
        self.assertIn("__ac", session.cookies)
        return session

    def page(self, account):
        response = self.session(account).get(f"{self.url}/@@mon-espace-factures")
        self.assertEqual(response.status_code, 200)
        return html.unescape(response.text)

    def test_validated_household_sees_its_invoices_of_the_window(self):
        text = self.page(AMELIE)
        for shown in (
            "V-2026-0412",
            "V-2026-0388",
            "C-2026-0093",  # to pay
            "V-2026-0351",
            "C-2026-0061",
            "DEMO-PAY-0351",  # paid
            "Régie Ville",
            "Régie CCAS",
            "76,00\u00a0€",
            "Factures à payer",
            "Consulter votre relevé",
        ):
            self.assertTrue(shown in text, shown)
        for hidden in ("V-2026-0127", "C-2026-0012"):  # issued before the window
            self.assertFalse(hidden in text, hidden)
        unpaid = text.split('id="releve"')[0]
        self.assertFalse("V-2026-0351" in unpaid)

    def test_pending_account_is_told_why(self):
        text = self.page(JEROME)
        self.assertTrue("une fois votre compte validé" in text)
        data = rest_session(self.url, *JEROME).get(f"{self.url}/@invoices").json()
        self.assertEqual(data["items_total"], 0)
        self.assertIn("validé", data["message"])

    def test_rest_invoices(self):
        session = rest_session(self.url, *AMELIE)
        unpaid = session.get(f"{self.url}/@invoices", params={"state": "unpaid"}).json()
        self.assertEqual(
            {i["number"] for i in unpaid["items"]},
            {"V-2026-0412", "V-2026-0388", "C-2026-0093"},
        )
        item = next(i for i in unpaid["items"] if i["number"] == "V-2026-0412")
        self.assertEqual(item["total_cents"], 12 * 450 + 8 * 275)
        paid = session.get(f"{self.url}/@invoices", params={"state": "paid"}).json()
        self.assertEqual(
            {i["payment_reference"] for i in paid["items"]},
            {"DEMO-PAY-0351", "DEMO-PAY-0061"},
        )
        self.assertEqual(
            session.get(f"{self.url}/@invoices", params={"state": "x"}).status_code, 400
        )
        self.assertEqual(
            rest_session(self.url).get(f"{self.url}/@invoices").status_code, 401
        )

    def test_nobody_else_reaches_an_invoice(self):
        amelie = household_of("amelie.lire")
        invoice = amelie["facture-ville-v-2026-0412"]
        url = invoice.absolute_url()
        mine = self.session(AMELIE).get(url)
        self.assertEqual(mine.status_code, 200)
        self.assertTrue("Restauration scolaire" in html.unescape(mine.text))
        self.assertTrue("Imprimer" in html.unescape(mine.text))
        self.assertEqual(self.session(REGIE).get(url).status_code, 200)
        for account in (JEROME, AGENT, None):
            session = self.session(account) if account else requests.Session()
            response = session.get(url, allow_redirects=False)
            if response.status_code == 302:
                self.assertIn("login", response.headers["Location"])
            else:
                self.assertIn(response.status_code, (401, 403, 404))
            self.assertFalse("Restauration scolaire" in response.text)
            api_session = (
                rest_session(self.url, *account) if account else rest_session(self.url)
            )
            self.assertIn(api_session.get(url).status_code, (401, 403, 404))

    def test_invoices_of_another_household_never_listed(self):
        jerome = household_of("jerome.attente")
        with api.env.adopt_roles(["Manager"]):
            other = createContentInContainer(
                jerome, "Invoice", checkConstraints=False, id="facture-ville-x-1"
            )
            other.number, other.regie, other.issue_date = "X-1", "ville", date.today()
            other.total_cents = 100
            other.reindexObject()
        transaction.commit()
        self.assertFalse("n° X-1" in self.page(AMELIE))
        data = rest_session(self.url, *AMELIE).get(f"{self.url}/@invoices").json()
        self.assertNotIn("X-1", {i["number"] for i in data["items"]})
        self.assertEqual(money.euros(123456), "1\u202f234,56\u00a0€")

    def test_a_citizen_changes_no_invoice_nor_sees_anothers_payment(self):
        amelie = household_of("amelie.lire")
        invoice = amelie["facture-ville-v-2026-0412"]
        url = invoice.absolute_url()
        session = rest_session(self.url, *AMELIE)
        self.assertIn(
            session.patch(url, json={"total_cents": 1}).status_code, (401, 403)
        )
        self.assertIn(session.post(f"{url}/@workflow/pay").status_code, (400, 401, 403))
        transaction.begin()
        self.assertEqual(amelie["facture-ville-v-2026-0412"].total_cents, 7600)
        self.assertEqual(
            api.content.get_state(amelie["facture-ville-v-2026-0412"]), "unpaid"
        )
        # her payment: hers only
        session.post(f"{self.url}/@cart", json={"uid": invoice.UID()})
        checkout = session.post(f"{self.url}/@cart/checkout", json={}).json()
        payments = session.get(f"{self.url}/@payments").json()
        self.assertEqual(
            [p["transaction_id"] for p in payments["items"]],
            [checkout["transaction_id"]],
        )
        transaction.begin()
        payment = next(
            obj
            for obj in household_of("amelie.lire").objectValues()
            if obj.portal_type == "Payment"
        )
        for account in (JEROME, AGENT):
            other = rest_session(self.url, *account)
            self.assertIn(
                other.get(payment.absolute_url()).status_code, (401, 403, 404)
            )
            self.assertEqual(
                other.get(f"{self.url}/@payments").json().get("items", []), []
            )

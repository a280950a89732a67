"""Browser test (Chromium): the basket and a card payment through the
demonstration bank, accepted then refused; « Mes comptes », the basket and
the return page checked by axe-core at WCAG 2.1 AA."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AMELIE
from playwright.sync_api import expect


MESSAGE = (
    "Impossible d'ajouter cet article, vous devez d'abord payer ceux en "
    "attente dans votre panier"
)


class TestBasketPayment(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def open_accounts(self):
        self.page.goto(f"{self.portal_url}/@@mon-espace-factures")

    def add(self, number):
        row = self.page.locator("#factures-a-payer tr", has_text=number)
        row.get_by_role("button", name="Ajouter au panier").click()

    def test_pay_two_ville_invoices_then_a_refused_payment(self):
        page = self.page
        self.login(*AMELIE)
        self.open_accounts()
        self.assert_accessible("Mes comptes")
        self.add("V-2026-0412")
        expect(page.locator(".portalMessage").first).to_contain_text(
            "dans votre panier"
        )
        self.add("V-2026-0388")
        self.add("C-2026-0093")  # another régie: refused
        refusal = page.locator("#panier-refus")
        expect(refusal).to_contain_text(MESSAGE)
        expect(
            refusal.get_by_role("link", name="Accéder à votre panier")
        ).to_be_visible()
        self.assert_accessible("Mes comptes, ajout refusé")
        self.add("V-2026-0412")  # twice: refused as well
        expect(page.locator("#panier-refus")).to_contain_text(MESSAGE)

        page.locator("#panier-refus").get_by_role(
            "link", name="Accéder à votre panier"
        ).click()
        rows = page.locator("table tbody tr")
        expect(rows).to_have_count(2)
        expect(page.locator("tfoot")).to_contain_text("136,00")
        self.assert_accessible("Panier")
        page.get_by_role("button", name="Payer par carte").click()

        expect(page.locator("h1")).to_have_text("Banque de démonstration")
        expect(page.locator("dl")).to_contain_text("136,00")
        self.assert_accessible("banque de démonstration")
        page.get_by_role("button", name="Payer", exact=True).click()
        expect(page.locator("#payment-status")).to_have_text("Paiement accepté")
        self.assert_accessible("retour de paiement")
        receipt = self.wait_for_mail("amelie.lire@example.org", "V-2026-0412")
        self.assertIn("V-2026-0388", receipt.get_body(("plain",)).get_content())
        self.assertIn("136,00", receipt.get_body(("plain",)).get_content())

        self.open_accounts()
        statement = page.locator("#releve")
        expect(statement).to_contain_text("V-2026-0412")
        expect(statement).to_contain_text("V-2026-0388")
        expect(page.locator("#factures-a-payer")).not_to_contain_text("V-2026-0412")

        # a refused payment leaves the invoice to pay
        self.add("C-2026-0093")
        page.goto(f"{self.portal_url}/@@panier")
        page.get_by_role("button", name="Payer par carte").click()
        page.get_by_role("button", name="Refuser").click()
        expect(page.locator("#payment-status")).to_have_text("Paiement refusé")
        self.open_accounts()
        expect(page.locator("#factures-a-payer")).to_contain_text("C-2026-0093")

"""Browser test (Chromium): « Mes comptes » and an invoice's printable page,
checked by axe-core at WCAG 2.1 AA; an account awaiting validation is told
why it has no invoice yet."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from playwright.sync_api import expect


class TestMyAccounts(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def test_invoices_and_statement(self):
        page = self.page
        self.login(*AMELIE)
        page.goto(f"{self.portal_url}/@@mon-espace-factures")
        unpaid = page.locator("#factures-a-payer")
        expect(unpaid.get_by_role("heading")).to_have_text("Factures à payer")
        expect(unpaid.locator("tbody tr")).to_have_count(3)
        statement = page.locator("#releve")
        expect(statement.get_by_role("heading")).to_have_text("Consulter votre relevé")
        expect(statement).to_contain_text("DEMO-PAY-0351")
        self.assert_accessible("Mes comptes")
        unpaid.get_by_role("link", name="n° V-2026-0412").click()
        expect(page.locator("h1")).to_contain_text("Facture n° V-2026-0412")
        expect(page.locator("tfoot")).to_contain_text("76,00")
        self.assert_accessible("facture")

    def test_pending_account(self):
        self.login(*JEROME)
        self.page.goto(f"{self.portal_url}/@@mon-espace-factures")
        expect(self.page.locator(".alert-info")).to_contain_text("2 jours ouvrés")
        self.assert_accessible("Mes comptes (compte en attente)")

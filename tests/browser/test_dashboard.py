"""Browser test (Chromium): « Mon espace → Accueil » as the demo citizens
see it: « À faire » first (the invoices to pay and their total, a request
the town asked documents for, an account awaiting validation), the status
badges with their text and a hidden icon, axe-core clean at 1280 and
320 px."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.requests import periscolaire_filing
from illkirch.eservices.testing.sessions import rest_session
from playwright.sync_api import expect

import re


# The demo citizen's unpaid invoices of the window (demo/billing.py).
AMELIE_UNPAID = ("V-2026-0412", "V-2026-0388", "C-2026-0093")
QUESTION = "Merci de joindre le carnet de vaccination à jour."
WIDTHS = (1280, 320)


class TestDashboard(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def open_dashboard(self, account):
        self.login(*account)
        self.page.goto(f"{self.portal_url}/@@mon-espace")
        expect(self.page.locator("h1")).to_have_text("Mon espace")

    def assert_accessible_at_widths(self, what):
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 900})
            self.assert_accessible(f"{what} ({width} px)")
        self.page.set_viewport_size({"width": 1280, "height": 900})

    def assert_badges_have_text(self):
        """Every badge shows its text; its icon is hidden from assistive
        technologies (the text says it)."""
        badges = self.page.locator(".eservices-dashboard .eservices-badge")
        self.assertGreater(badges.count(), 0)
        for index in range(badges.count()):
            badge = badges.nth(index)
            self.assertTrue(badge.inner_text().strip(), badge.inner_html())
            expect(badge.locator(".eservices-badge-text")).to_be_visible()
            expect(badge.locator("svg")).to_have_attribute("aria-hidden", "true")

    def test_invoices_to_pay_first(self):
        page = self.page
        self.open_dashboard(AMELIE)
        todo = page.locator("#a-faire")
        expect(todo.get_by_role("heading", name="À faire")).to_be_visible()
        card = page.locator("#a-faire-factures")
        expect(card.get_by_role("heading")).to_have_text("Factures à payer")
        expect(card.locator(".eservices-todo-total")).to_have_text(
            re.compile(r"^3 facture\(s\) à payer, 198,00\s€ au total\.$")
        )
        expect(card.locator("li")).to_have_count(3)
        for number in AMELIE_UNPAID:
            expect(card).to_contain_text(f"n° {number}")
        expect(card.locator("li time")).to_have_count(3)  # the due dates
        expect(card.locator("li").first).to_contain_text("à régler au plus tard le")
        expect(page.locator("#a-faire-compte")).to_have_count(0)
        expect(page.locator("#a-faire-demandes")).to_have_count(0)
        expect(page.locator(".eservices-todo-nothing")).to_have_count(0)

        latest = page.locator("#dernieres-factures")
        expect(latest.get_by_role("heading")).to_have_text("Mes dernières factures")
        expect(latest.locator("li")).to_have_count(3)
        expect(latest.locator(".eservices-badge").first).to_have_text("À payer")
        expect(
            latest.get_by_role("link", name="Toutes mes factures dans « Mes comptes »")
        ).to_have_attribute("href", f"{self.portal_url}/@@mon-espace-factures")
        expect(page.locator("#demandes-en-cours")).to_contain_text(
            "Vous n'avez aucune demande en cours."
        )
        expect(page.locator("#demarches-frequentes li")).to_have_count(4)
        self.assert_badges_have_text()
        self.assert_accessible_at_widths("Accueil (factures à payer)")

        card.get_by_role("link", name="Payer mes factures").click()
        expect(page).to_have_url(f"{self.portal_url}/@@mon-espace-factures")

    def test_request_awaiting_documents(self):
        child = next(
            p for p in household_of("amelie.lire").persons() if p.member_type == "child"
        )
        citizen = rest_session(self.portal_url, *AMELIE)
        agent = rest_session(self.portal_url, *AGENT)
        self.addCleanup(citizen.close)
        self.addCleanup(agent.close)
        filed = citizen.post(
            f"{self.portal_url}/@requests", json=periscolaire_filing(child.getId())
        )
        self.assertEqual(filed.status_code, 201, filed.text)
        number, url = filed.json()["number"], filed.json()["@id"]
        asked = agent.post(f"{url}/@workflow/ask_documents", json={"comment": QUESTION})
        self.assertEqual(asked.status_code, 200, asked.text)

        page = self.page
        self.open_dashboard(AMELIE)
        card = page.locator("#a-faire-demandes")
        expect(card.get_by_role("heading")).to_have_text("Demandes à compléter")
        expect(card).to_contain_text(f"n° {number}")
        expect(card.locator(".eservices-town-message")).to_have_text(QUESTION)
        expect(card.locator(".eservices-status")).to_have_text("Incomplète")
        in_progress = page.locator("#demandes-en-cours .eservices-requests li")
        expect(in_progress).to_have_count(1)
        expect(in_progress.locator(".eservices-status")).to_have_text("Incomplète")
        expect(in_progress).to_contain_text("Léo Lire")
        shortcut = page.locator("#demarches-frequentes li").first
        expect(shortcut).to_contain_text("Inscription périscolaire")
        expect(shortcut).to_contain_text("1 demande(s) déposée(s)")
        self.assert_badges_have_text()
        self.assert_accessible_at_widths("Accueil (demande incomplète)")

        card.get_by_role(
            "link", name=f"Ajouter les pièces ou réponses demandées n° {number}"
        ).click()
        expect(page).to_have_url(f"{url}#documents")
        expect(page.locator("#documents form")).to_be_visible()

    def test_account_awaiting_validation(self):
        page = self.page
        self.open_dashboard(JEROME)
        card = page.locator("#a-faire-compte")
        expect(card.get_by_role("heading")).to_have_text(
            "Votre compte attend sa validation"
        )
        expect(card.locator(".eservices-badge")).to_have_text(
            "En attente de validation"
        )
        expect(card).to_contain_text("2 jours ouvrés")
        expect(card).to_contain_text("vous pouvez déjà déposer des démarches en ligne")
        expect(
            card.get_by_role("link", name="Faire une demande en ligne")
        ).to_have_attribute("href", f"{self.portal_url}/@@mon-espace-services")
        expect(page.locator("#a-faire-factures")).to_have_count(0)
        expect(page.locator("#dernieres-factures")).to_contain_text("2 jours ouvrés")
        self.assert_badges_have_text()
        self.assert_accessible_at_widths("Accueil (compte en attente)")

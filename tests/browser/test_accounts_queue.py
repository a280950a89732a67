"""Browser tests (Chromium): an agent works through « Comptes à valider »;
the page is checked by axe-core at WCAG 2.1 AA."""

from DateTime import DateTime
from illkirch.eservices.accounts import households
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from playwright.sync_api import expect

import transaction


class TestAccountsQueueInBrowser(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def open_queue_as_agent(self):
        self.login(*AGENT)
        self.page.goto(f"{self.portal_url}/@@comptes-a-valider")
        expect(self.page.locator("h1")).to_have_text("Comptes à valider")
        return self.page.get_by_role("table", name="Comptes en attente de validation")

    def test_agent_searches_sets_billing_number_and_validates(self):
        household = households.household_of("jerome.attente")
        household.creation_date = DateTime()  # created just now
        household.reindexObject()
        transaction.commit()
        page = self.page
        table = self.open_queue_as_agent()
        row = table.get_by_role("row", name="Jérôme Attente")
        expect(row).to_contain_text("jérôme.attente")
        expect(row).to_contain_text("jerome.attente@example.org")
        expect(row).to_contain_text("Jérôme Attente (Adulte, Titulaire du compte)")
        expect(row).to_contain_text("0 jour(s) ouvré(s)")
        expect(row).not_to_contain_text("En retard")
        self.assert_accessible("Comptes à valider")

        # search, accents and case ignored
        search = page.get_by_role("search", name="Rechercher un compte")
        field = search.get_by_label("Rechercher par nom, courriel ou identifiant")
        field.fill("JEROME")
        search.get_by_role("button", name="Rechercher").click()
        expect(page.get_by_role("status")).to_have_text(
            "1 compte(s) en attente de validation correspondent à « JEROME »."
        )
        expect(page.get_by_role("row", name="Jérôme Attente")).to_be_visible()
        field.fill("inconnu")
        search.get_by_role("button", name="Rechercher").click()
        expect(page.locator(".eservices-empty")).to_contain_text(
            "Aucun compte en attente de validation ne correspond à votre recherche."
        )
        page.get_by_role("link", name="Afficher tous les comptes").click()

        # billing account number, then validation
        row = page.get_by_role("row", name="Jérôme Attente")
        row.get_by_label(
            "Numéro de compte de facturation (facultatif) pour Jérôme Attente"
        ).fill("ILK-000789")
        row.get_by_role("button", name="Valider le compte de Jérôme Attente").click()
        expect(page.locator(".portalMessage")).to_contain_text(
            "Le compte de Jérôme Attente est validé"
        )
        expect(page.locator(".eservices-empty")).to_have_text(
            "Aucun compte n'attend de validation."
        )
        self.assert_accessible("Comptes à valider, après validation")

        transaction.begin()  # see what the server committed
        household = households.household_of("jerome.attente")
        self.assertEqual(households.state(household), "validated")
        self.assertEqual(household.billing_account, "ILK-000789")
        [message] = self.mailsink.messages()
        self.assertEqual(message["To"], "jerome.attente@example.org")
        self.assertEqual(message["Subject"], "Votre compte est validé")
        self.assertIn("ILK-000789", message.get_body(("plain",)).get_content())

    def test_late_account_flagged_and_rejected_with_a_reason(self):
        household = households.household_of("jerome.attente")
        household.creation_date = DateTime() - 30
        household.reindexObject()
        transaction.commit()
        page = self.page
        table = self.open_queue_as_agent()
        row = table.get_by_role("row", name="Jérôme Attente")
        expect(row.get_by_text("En retard", exact=True)).to_be_visible()
        self.assert_accessible("Comptes à valider, compte en retard")

        # the reason is required: the browser keeps the form
        button = row.get_by_role("button", name="Refuser le compte de Jérôme Attente")
        button.click()
        reason = row.get_by_label(
            "Motif du refus (obligatoire, envoyé au citoyen) pour Jérôme Attente"
        )
        self.assertFalse(reason.evaluate("field => field.validity.valid"))
        expect(page.locator(".portalMessage")).to_have_count(0)
        reason.fill("Justificatif de domicile manquant.")
        button.click()
        expect(page.locator(".portalMessage")).to_contain_text(
            "Le compte de Jérôme Attente est refusé"
        )
        [message] = self.mailsink.messages()
        self.assertEqual(message["Subject"], "Votre demande de compte est refusée")
        self.assertIn(
            "Motif : Justificatif de domicile manquant.",
            message.get_body(("plain",)).get_content(),
        )

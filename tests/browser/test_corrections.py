"""Browser test (Chromium): a correction cycle of one answer and one
document (#17). The agent asks for them with a message; the citizen's page
shows only that answer, prefilled, and that document; a wrong value gets
the French error; the correction sends the request back to the agent, who
sees the new value and the old → new history. Each form checked by axe."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import periscolaire_filing
from illkirch.eservices.testing.sessions import rest_session
from playwright.sync_api import expect

import re


MESSAGE = "La date de début est fausse ; joignez la page 2 du carnet."


class TestCorrections(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def file_request(self):
        child = next(
            p for p in household_of("amelie.lire").persons() if p.member_type == "child"
        )
        session = rest_session(self.portal_url, *AMELIE)
        self.addCleanup(session.close)
        response = session.post(
            f"{self.portal_url}/@requests", json=periscolaire_filing(child.getId())
        )
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()["@id"]

    def test_a_correction_cycle(self):
        url = self.file_request()
        page = self.page

        # the agent ticks one answer and one document, with a message
        self.login(*AGENT)
        page.goto(url)
        processing = page.locator("#traitement")
        expect(processing.get_by_role("group", name="Que doit corriger l'usager ?"))
        self.assert_accessible("demande (agent) : corrections à demander")
        processing.get_by_label(
            "Demander des pièces ou informations manquantes"
        ).check()
        processing.get_by_label("À partir du").check()
        processing.get_by_label("Carnet de vaccination").check()
        processing.get_by_label("Message à l'usager").fill(MESSAGE)
        processing.get_by_role("button", name="Appliquer").click()
        expect(page.locator(".eservices-status").first).to_have_text("Incomplète")
        asked = page.locator("section[aria-labelledby=correction-asked-title]")
        expect(asked).to_contain_text("À partir du")
        expect(asked).to_contain_text("Carnet de vaccination")
        self.assert_accessible("demande (agent) : corrections demandées")

        # the citizen sees only that answer (prefilled) and that document
        self.logout()
        self.login(*AMELIE)
        page.goto(url)
        section = page.locator("#corrections")
        expect(section).to_contain_text(MESSAGE)
        form = section.locator("form")
        date = form.get_by_label("À partir du")
        expect(date).to_have_value("2027-09-01")
        expect(
            form.locator("input:not([type=hidden]), select, textarea")
        ).to_have_count(3)  # the date, the document, the optional message
        document = form.get_by_label(
            re.compile(r"Carnet de vaccination\s+\(à remplacer\)")
        )
        expect(document).to_have_attribute("type", "file")
        expect(form).to_contain_text("vaccins.png")
        self.assert_accessible("demande (usager) : formulaire de correction")

        # a wrong value: the French error, nothing stored
        date.fill("")
        document.set_input_files(
            {"name": "carnet-p2.pdf", "mimeType": "application/pdf", "buffer": pdf()}
        )
        form.get_by_role("button", name="Envoyer mes corrections").click()
        summary = page.locator("#error-summary")
        expect(summary).to_contain_text("À partir du : Cette réponse est obligatoire.")
        expect(page).to_have_title(re.compile(r"^Erreur"))
        expect(page.locator("#field-date_debut-error")).to_have_text(
            "Cette réponse est obligatoire."
        )
        expect(page.locator("#field-date_debut")).to_have_attribute(
            "aria-invalid", "true"
        )
        self.assert_accessible("demande (usager) : formulaire de correction en erreur")
        expect(page.locator(".eservices-status").first).to_have_text("Incomplète")

        # the right value and the new file: back to the agent
        form = page.locator("#corrections form")
        form.get_by_label("À partir du").fill("2027-09-15")
        form.get_by_label(
            re.compile(r"Carnet de vaccination\s+\(à remplacer\)")
        ).set_input_files(
            {"name": "carnet-p2.pdf", "mimeType": "application/pdf", "buffer": pdf()}
        )
        form.get_by_role("button", name="Envoyer mes corrections").click()
        expect(page.locator(".portalMessage").first).to_contain_text(
            "Vos corrections ont été envoyées"
        )
        expect(page.locator(".eservices-status").first).to_have_text("En cours")
        expect(page.locator("#corrections")).to_have_count(0)
        mail = self.wait_for_mail("agent.accueil@illkirch.example", "corrigée")
        body = mail.get_body(("plain",)).get_content()
        self.assertIn("À partir du, Carnet de vaccination", body)
        self.assertIn(url, body)

        # the agent sees the new value and the history old → new
        self.logout()
        self.login(*AGENT)
        page.goto(url)
        answers = page.locator("section[aria-labelledby=answers-title]")
        expect(answers).to_contain_text("15/09/2027")
        expect(answers).not_to_contain_text("01/09/2027")
        expect(page.locator("#documents")).to_contain_text("carnet-p2.pdf")
        expect(page.locator("#documents")).not_to_contain_text("vaccins.png")
        history = page.locator("#historique tbody")
        expect(history).to_contain_text("Réponse corrigée")
        expect(history).to_contain_text("À partir du : 01/09/2027 → 15/09/2027")
        expect(history).to_contain_text(
            "Carnet de vaccination : vaccins.png → carnet-p2.pdf"
        )

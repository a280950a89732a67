"""Browser tests (Chromium): filing a request through the steps, its
processing by an agent, the citizen's lists and request page; each page
checked by axe-core at WCAG 2.1 AA."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from playwright.sync_api import expect

import re


def upload(name, data, mime):
    return {"name": name, "mimeType": mime, "buffer": data}


class TestRequestFlow(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def next_step(self):
        self.page.get_by_role("button", name="Étape suivante").click()

    def step_heading(self):
        return self.page.locator("h2#step-title")

    def file_periscolaire(self):
        page = self.page
        page.goto(f"{self.portal_url}/@@mon-espace-services")
        self.assert_accessible("Services")
        page.get_by_role("link", name="Inscription périscolaire").click()
        self.assert_accessible("page de la démarche")
        page.get_by_role("link", name="Faire la demande en ligne").click()

        # step 1: the member concerned (a child only)
        expect(self.step_heading()).to_contain_text("Étape 1 sur 4")
        expect(page.locator("main").get_by_label("Amélie Lire")).to_have_count(0)
        self.assert_accessible("étape Personne concernée")
        self.next_step()
        expect(page.locator(".alert-danger")).to_contain_text("Choisissez la personne")
        page.get_by_label("Léo Lire").check()
        self.next_step()

        # step 2: the first fieldset, with its help; server-side checks
        expect(self.step_heading()).to_contain_text("Inscription")
        expect(page.locator(".eservices-step-help").first).to_contain_text(
            "année scolaire"
        )
        page.get_by_label("École élémentaire Sud").check()
        self.next_step()
        expect(page.locator(".alert-danger")).to_contain_text(
            "Cette réponse est obligatoire."
        )
        self.assert_accessible("étape Inscription avec erreurs")
        expect(page.get_by_label("École élémentaire Sud")).to_be_checked()
        page.get_by_label("Classe à la rentrée").select_option(label="CE1")
        page.get_by_label("Restauration scolaire").check()
        page.get_by_label("Accueil du soir").check()
        page.get_by_label("À partir du").fill("2027-09-01")
        self.next_step()

        # step 3, then back: what was typed is kept
        expect(self.step_heading()).to_contain_text("Santé et autorisations")
        page.get_by_label("Allergies ou régime alimentaire").fill("Arachides")
        page.get_by_role("button", name="Étape précédente").click()
        expect(page.get_by_label("Classe à la rentrée")).to_have_value(re.compile(".+"))
        expect(page.get_by_label("Restauration scolaire")).to_be_checked()
        self.next_step()
        expect(page.get_by_label("Allergies ou régime alimentaire")).to_have_value(
            "Arachides"
        )
        self.next_step()

        # last step: summary, documents, sending
        expect(self.step_heading()).to_contain_text("Pièces et envoi")
        expect(page.locator("section[aria-labelledby=summary-title]")).to_contain_text(
            "Arachides"
        )
        self.assert_accessible("étape Pièces et envoi")
        page.get_by_label("Attestation d'assurance scolaire").set_input_files(
            upload("assurance.pdf", pdf(), "application/pdf")
        )
        page.get_by_role("button", name="Envoyer ma demande").click()
        expect(page.locator(".alert-danger")).to_contain_text(
            "Joignez ce document, ou choisissez d'envoyer les pièces par courrier."
        )
        page.get_by_label("Attestation d'assurance scolaire").set_input_files(
            upload("assurance.pdf", pdf(), "application/pdf")
        )
        page.get_by_role("button", name="Envoyer ma demande").click()
        expect(page.locator(".alert-danger")).to_have_count(1)
        page.get_by_label("Attestation d'assurance scolaire").set_input_files(
            upload("assurance.pdf", pdf(), "application/pdf")
        )
        page.get_by_label("Je transmets les pièces par courrier").check()
        page.get_by_role("button", name="Envoyer ma demande").click()
        confirmation = page.locator(".alert-success")
        expect(confirmation).to_contain_text(
            "Votre demande a été envoyée sous le numéro"
        )
        expect(confirmation).to_contain_text("sur l'enveloppe")
        number = re.search(r"\d{4}-\d{6}", confirmation.inner_text()).group(0)
        self.assert_accessible("confirmation")
        return number, page.url.split("?")[0]

    def test_file_follow_complete_and_accept(self):
        page = self.page
        self.login(*AMELIE)
        number, url = self.file_periscolaire()
        self.wait_for_mail("amelie.lire@example.org", number)

        page.goto(f"{self.portal_url}/@@mon-espace")
        row = page.locator(".eservices-requests li", has_text=number)
        expect(row.locator(".eservices-status")).to_have_text("En cours")
        self.assert_accessible("Accueil")
        page.goto(f"{self.portal_url}/@@mon-espace-demandes")
        row = page.locator(".eservices-requests tr", has_text=number)
        expect(row).to_contain_text("Léo Lire")
        expect(row).to_contain_text("En cours")
        self.assert_accessible("Demandes")
        page.get_by_label("Statut").select_option(label="Validée")
        page.get_by_role("button", name="Filtrer").click()
        expect(page.locator(".eservices-requests tr", has_text=number)).to_have_count(0)

        # the agent asks for the vaccination booklet
        self.logout()
        self.login(*AGENT)
        page.goto(url)
        expect(page.locator(".eservices-request")).to_contain_text("assurance.pdf")
        self.assert_accessible("demande (agent)")
        page.get_by_label("Demander des pièces ou informations manquantes").check()
        page.get_by_role("button", name="Appliquer").click()
        expect(page.locator(".portalMessage").first).to_contain_text(
            "Précisez les pièces"
        )
        page.get_by_label("Demander des pièces ou informations manquantes").check()
        page.get_by_label("Message à l'usager").fill(
            "Merci de joindre le carnet de vaccination."
        )
        page.get_by_role("button", name="Appliquer").click()
        expect(page.locator(".eservices-status").first).to_have_text("Incomplète")
        mail = self.wait_for_mail("amelie.lire@example.org", "Incomplète")
        self.assertIn(
            "Merci de joindre le carnet de vaccination.",
            mail.get_body(("plain",)).get_content(),
        )
        self.assertIn(number, mail.get_body(("plain",)).get_content())

        # the citizen adds the document and says the request is complete
        self.logout()
        self.login(*AMELIE)
        page.goto(url)
        expect(
            page.locator("#conversation-thread .eservices-thread-status")
        ).to_contain_text("carnet de vaccination")
        self.assert_accessible("demande incomplète (usager)")
        page.get_by_label("Pièce", exact=True).select_option(
            label="Carnet de vaccination"
        )
        page.get_by_label("Fichiers (PDF, JPEG ou PNG)").set_input_files(
            upload("carnet.png", image("PNG"), "image/png")
        )
        page.get_by_role("button", name="Ajouter", exact=True).click()
        expect(page.locator(".portalMessage").first).to_contain_text(
            "1 pièce(s) ajoutée(s)."
        )
        expect(page.locator("#documents")).to_contain_text("carnet.png")
        page.get_by_role("button", name="J'ai complété ma demande").click()
        expect(page.locator(".eservices-status").first).to_have_text("En cours")

        # the agent accepts
        self.logout()
        self.login(*AGENT)
        page.goto(url)
        page.get_by_label("Déclarer complète").check()
        page.get_by_role("button", name="Appliquer").click()
        expect(page.locator(".eservices-status").first).to_have_text("Complète")
        page.get_by_label("Valider", exact=True).check()
        page.get_by_label("Message à l'usager").fill("Inscription enregistrée.")
        page.get_by_role("button", name="Appliquer").click()
        expect(page.locator(".eservices-status").first).to_have_text("Validée")
        self.wait_for_mail("amelie.lire@example.org", "Validée")

        # the citizen sees the status and the history
        self.logout()
        self.login(*AMELIE)
        page.goto(f"{self.portal_url}/@@mon-espace")
        expect(
            page.locator(".eservices-requests li", has_text=number).locator(
                ".eservices-status"
            )
        ).to_have_text("Validée")
        page.goto(url)
        history = page.locator("#historique tbody")
        expect(history.locator("tr")).to_have_count(6)
        expect(history.locator("tr").first).to_contain_text("Demande validée")
        expect(history).to_contain_text("Pièces ou informations manquantes demandées")
        expect(history).to_contain_text("Merci de joindre le carnet de vaccination.")
        self.assert_accessible("demande validée (usager)")

    def test_a_pending_account_files_a_request(self):
        page = self.page
        self.login(*JEROME)
        page.goto(f"{self.portal_url}/demarches/signalement-voie-publique/@@deposer")
        expect(self.step_heading()).to_contain_text("Le problème")
        page.get_by_label("Dépôt sauvage").check()
        page.get_by_label("Description").fill("Des sacs de gravats devant le n° 12.")
        self.next_step()
        page.get_by_label("Adresse ou lieu").fill("12 rue des Vignes")
        self.next_step()
        self.assert_accessible("signalement, dernière étape")
        page.get_by_label("Photo").set_input_files(
            upload("gravats.jpg", image("JPEG"), "image/jpeg")
        )
        page.get_by_role("button", name="Envoyer ma demande").click()
        expect(page.locator(".alert-success")).to_contain_text(
            "Votre demande a été envoyée"
        )
        expect(page.locator("#documents")).to_contain_text("gravats.jpg")
        page.goto(f"{self.portal_url}/@@mon-espace")
        expect(page.locator(".eservices-requests li")).to_contain_text(
            "Signalement sur la voie publique"
        )

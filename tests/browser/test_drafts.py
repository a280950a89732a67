"""Browser tests (Chromium): a request being filled in is saved as a draft
at each step, survives the browser's closing, is resumed from « Mon espace »
and sent; the documents chosen are kept with it; the autosave while typing
and its polite live region. Pages checked by axe-core."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.files import pdf
from playwright.sync_api import expect

import re


SAVED = re.compile(r"Brouillon enregistré à \d\d:\d\d")


def upload(name, data, mime):
    return {"name": name, "mimeType": mime, "buffer": data}


class TestDrafts(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def wizard_url(self):
        return f"{self.portal_url}/demarches/inscription-periscolaire/@@deposer"

    def next_step(self):
        self.page.get_by_role("button", name="Étape suivante").click()

    def step_heading(self):
        return self.page.locator("h2#step-title")

    def drafts(self):
        """The citizen's drafts, as ``GET /@drafts`` gives them (the page's
        login cookie)."""
        response = self.page.request.get(
            f"{self.portal_url}/@drafts", headers={"Accept": "application/json"}
        )
        self.assertEqual(response.status, 200, response.text())
        return response.json()["items"]

    def new_browser(self):
        """The browser closed and opened again: nothing of the session is left."""
        browser = self.context.browser
        self.context.close()
        self.context = browser.new_context(locale="fr-FR", reduced_motion="reduce")
        self.context.set_default_timeout(15000)
        self.page = self.context.new_page()

    def test_saved_closed_resumed_and_sent(self):
        page = self.page
        self.login(*AMELIE)
        page.goto(self.wizard_url())
        page.get_by_label("Léo Lire").check()
        self.next_step()
        expect(self.step_heading()).to_contain_text("Étape 2 sur 4")
        expect(page.locator("#draft-status")).to_have_text(SAVED)
        page.get_by_label("École élémentaire Sud").check()
        page.get_by_label("Classe à la rentrée").select_option(label="CE1")
        page.get_by_label("Restauration scolaire").check()
        page.get_by_label("À partir du").fill("2027-09-01")
        self.next_step()
        expect(self.step_heading()).to_contain_text("Étape 3 sur 4")
        (draft,) = self.drafts()
        self.assertEqual(draft["answers"]["classe"], "CE1")
        self.assertEqual(draft["step"], "sante")

        # the browser is closed; another day, logged in again
        self.new_browser()
        page = self.page
        self.login(*AMELIE)
        page.goto(f"{self.portal_url}/@@mon-espace")
        section = page.locator("section#demandes-en-saisie")
        expect(section.get_by_role("heading")).to_have_text(
            "Demandes en cours de saisie"
        )
        expect(section).to_contain_text("Inscription périscolaire")
        expect(section).to_contain_text("si elle n'est pas envoyée")
        self.assert_accessible("Accueil avec une demande en cours de saisie")
        section.get_by_role("link", name="Reprendre Inscription périscolaire").click()

        # at the saved step, everything filled in
        expect(self.step_heading()).to_contain_text("Santé et autorisations")
        page.get_by_role("button", name="Étape précédente").click()
        expect(page.get_by_label("Classe à la rentrée")).to_have_value("CE1")
        expect(page.get_by_label("École élémentaire Sud")).to_be_checked()
        expect(page.get_by_label("Restauration scolaire")).to_be_checked()
        expect(page.get_by_label("À partir du")).to_have_value("2027-09-01")
        self.next_step()
        self.next_step()

        # the last step refused: the file chosen is kept with the draft
        expect(self.step_heading()).to_contain_text("Pièces et envoi")
        page.get_by_label("Attestation d'assurance scolaire").set_input_files(
            upload("assurance.pdf", pdf(), "application/pdf")
        )
        page.get_by_role("button", name="Envoyer ma demande").click()
        expect(page.locator(".alert-danger")).to_contain_text(
            "Joignez ce document, ou choisissez d'envoyer les pièces par courrier."
        )
        kept = page.locator("section#draft-kept-files")
        expect(kept).to_contain_text("assurance.pdf")
        self.assert_accessible("étape Pièces et envoi avec un document gardé")
        # removed, then chosen again
        kept.get_by_role("button", name="Retirer assurance.pdf").click()
        expect(page.locator("#draft-status")).to_have_text(
            "Le fichier assurance.pdf a été retiré."
        )
        expect(page.locator("section#draft-kept-files")).to_have_count(0)
        page.get_by_label("Attestation d'assurance scolaire").set_input_files(
            upload("assurance.pdf", pdf(), "application/pdf")
        )
        page.get_by_role("button", name="Enregistrer le brouillon").click()
        expect(page.locator("section#draft-kept-files")).to_contain_text(
            "assurance.pdf"
        )
        page.get_by_label("Je transmets les pièces par courrier").check()
        page.get_by_role("button", name="Envoyer ma demande").click()
        expect(page.locator(".alert-success")).to_contain_text(
            "Votre demande a été envoyée sous le numéro"
        )
        expect(page.locator(".eservices-request")).to_contain_text("assurance.pdf")
        self.assertEqual(self.drafts(), [])
        page.goto(f"{self.portal_url}/@@mon-espace")
        expect(page.locator("section#demandes-en-saisie")).to_have_count(0)

    def test_autosave_while_typing(self):
        page = self.page
        self.login(*AMELIE)
        page.goto(self.wizard_url())
        status = page.locator("#draft-status")
        expect(status).to_have_attribute("role", "status")
        # the test's delay: half a second instead of 30 s
        page.eval_on_selector(
            "#draft-autosave", "el => { el.dataset.autosaveDelay = '500'; }"
        )
        page.get_by_label("Léo Lire").check()
        expect(status).to_have_text(SAVED)
        (draft,) = self.drafts()
        self.assertEqual(draft["step"], "membre")
        expect(page.locator("#draft-id")).to_have_value(draft["id"])
        self.next_step()
        page.eval_on_selector(
            "#draft-autosave", "el => { el.dataset.autosaveDelay = '500'; }"
        )
        page.evaluate("document.getElementById('draft-status').textContent = ''")
        page.get_by_label("Classe à la rentrée").select_option(label="CM2")
        page.get_by_label("Accueil du soir").check()
        expect(status).to_have_text(SAVED)
        (saved,) = self.drafts()  # the same draft, no second one
        self.assertEqual(saved["id"], draft["id"])
        self.assertEqual(saved["answers"]["classe"], "CM2")
        self.assertEqual(saved["answers"]["accueils"], ["Accueil du soir"])
        self.assertEqual(saved["step"], "inscription")

    def test_delete_from_my_space(self):
        page = self.page
        self.login(*AMELIE)
        page.goto(self.wizard_url())
        page.get_by_label("Léo Lire").check()
        self.next_step()
        expect(page.locator("#draft-status")).to_have_text(SAVED)
        page.goto(f"{self.portal_url}/@@mon-espace")
        page.get_by_role("link", name="Supprimer Inscription périscolaire").click()
        expect(page.locator("main")).to_contain_text("Voulez-vous vraiment supprimer")
        self.assert_accessible("confirmation de la suppression d'un brouillon")
        page.get_by_role(
            "button", name="Supprimer cette demande en cours de saisie"
        ).click()
        expect(page.locator(".portalMessage").first).to_contain_text(
            "La demande en cours de saisie a été supprimée."
        )
        expect(page.locator("section#demandes-en-saisie")).to_have_count(0)
        self.assertEqual(self.drafts(), [])

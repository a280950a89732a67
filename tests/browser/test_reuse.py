"""« Dites-le-nous une fois » in Chromium (#17): the editor maps questions
to the household's data, the citizen finds the form prefilled; a document
given with a first request is reused from « Mes documents » in one click by
the second; « Mes documents » lists and deletes. Each new page (the
prefilling editor, « Mes documents » and its confirmation, the documents
step with the locker's choices) checked by axe-core."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import EDITOR
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.reuse import MAPPING
from illkirch.eservices.testing.reuse import PROOF
from illkirch.eservices.testing.reuse import SERVICE_ID
from illkirch.eservices.testing.reuse import create_service
from playwright.sync_api import expect

import re


PROOF_BYTES = pdf(padding=77)


class TestReuse(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING
    mapping = None

    def setUp(self):
        create_service(self.layer["portal"], self.mapping)
        super().setUp()  # commits
        self.service_url = f"{self.portal_url}/demarches/{SERVICE_ID}"

    def next_step(self):
        self.page.get_by_role("button", name="Étape suivante").click()

    def step_heading(self):
        return self.page.locator("h2#step-title")

    def name_box(self):
        return self.page.get_by_role("textbox", name="Nom du demandeur", exact=True)


class TestPrefillEditor(TestReuse):
    def test_editor_maps_and_citizen_finds_the_form_prefilled(self):
        page = self.page
        self.login(*EDITOR)
        page.goto(self.service_url)
        page.get_by_role(
            "link", name="Préremplissage des questions à partir du foyer"
        ).click()
        expect(page.locator("h1")).to_have_text(
            "Préremplissage : Attestation d'accueil"
        )
        self.assert_accessible("préremplissage")
        # a date question offers the dates only
        options = page.get_by_label("Date de naissance du demandeur").locator("option")
        expect(options).to_have_text(
            [
                "— Choisir —",
                "Titulaire du compte : date de naissance",
                "Membre concerné : date de naissance",
            ]
        )
        page.get_by_label("Nom du demandeur", exact=True).select_option(
            label="Titulaire du compte : nom"
        )
        page.get_by_label("Date de naissance du demandeur").select_option(
            label="Titulaire du compte : date de naissance"
        )
        page.get_by_label("Adresse du demandeur").select_option(
            label="Adresse (rue, code postal et commune)"
        )
        page.get_by_label("Prénom de l'enfant").select_option(
            label="Membre concerné : prénom"
        )
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.locator(".portalMessage").first).to_contain_text(
            "Préremplissage enregistré."
        )
        expect(page.get_by_label("Nom du demandeur", exact=True)).to_have_value(
            "holder_last_name"
        )

        self.logout()
        self.login(*AMELIE)
        page.goto(f"{self.service_url}/@@deposer")
        expect(self.step_heading()).to_contain_text("Étape 1 sur 4")
        page.get_by_label("Léo Lire").check()
        self.next_step()
        expect(self.step_heading()).to_contain_text("Le demandeur")
        expect(self.name_box()).to_have_value("Lire")
        expect(page.get_by_label("Date de naissance du demandeur")).to_have_value(
            "1986-03-14"
        )
        expect(page.get_by_label("Adresse du demandeur")).to_have_value(
            "12 rue de la Poste, 67400 Illkirch-Graffenstaden"
        )
        expect(page.get_by_label("Prénom du demandeur")).to_have_value("")
        # the citizen may change a prefilled answer
        page.get_by_label("Prénom du demandeur").fill("Amélie")
        self.name_box().fill("Lire-Martin")
        self.next_step()
        expect(self.step_heading()).to_contain_text("L'enfant")
        expect(page.get_by_label("Prénom de l'enfant")).to_have_value("Léo")
        page.get_by_label("Date de naissance de l'enfant").fill("2016-09-21")
        page.get_by_label("Une semaine").check()
        self.next_step()
        expect(page.locator("section[aria-labelledby=summary-title]")).to_contain_text(
            "Lire-Martin"
        )


class TestLocker(TestReuse):
    mapping = MAPPING

    def file_request(self, reuse=False):
        """File the service through the wizard (its answers prefilled); the
        proof of address uploaded, or taken from the locker."""
        page = self.page
        page.goto(f"{self.service_url}/@@deposer")
        page.get_by_label("Léo Lire").check()
        self.next_step()
        expect(self.name_box()).to_have_value("Lire")
        self.next_step()
        expect(page.get_by_label("Prénom de l'enfant")).to_have_value("Léo")
        page.get_by_label("Une semaine").check()
        self.next_step()
        expect(self.step_heading()).to_contain_text("Pièces et envoi")
        choices = page.locator("fieldset.eservices-locker-choice")
        if reuse:
            expect(choices).to_have_count(1)
            expect(choices.locator("legend")).to_contain_text(
                "Ou utilisez un document déjà fourni : Justificatif de domicile"
            )
            self.assert_accessible("étape Pièces et envoi, avec Mes documents")
            page.get_by_label(re.compile(r"facture-edf\.pdf, fourni le")).check()
        else:
            expect(choices).to_have_count(0)
            page.locator(f"#field-doc-{PROOF}").set_input_files(
                {
                    "name": "facture-edf.pdf",
                    "mimeType": "application/pdf",
                    "buffer": PROOF_BYTES,
                }
            )
        page.get_by_role("button", name="Envoyer ma demande").click()
        expect(page.locator(".eservices-request")).to_contain_text("facture-edf.pdf")
        return page.url.split("?")[0]

    def test_a_document_reused_then_deleted(self):
        page = self.page
        self.login(*AMELIE)
        first = self.file_request()

        page.goto(f"{self.portal_url}/@@mon-espace")
        page.get_by_role("link", name="Mes documents").click()
        expect(page).to_have_title(re.compile("^Mes documents"))
        row = page.locator("#mes-documents tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Justificatif de domicile")
        expect(row).to_contain_text("facture-edf.pdf")
        self.assert_accessible("Mes documents")

        second = self.file_request(reuse=True)
        self.assertNotEqual(first, second)
        link = page.locator(".eservices-request a", has_text="facture-edf.pdf")
        with page.expect_download() as download:
            link.click()
        with open(download.value.path(), "rb") as kept:
            self.assertEqual(kept.read(), PROOF_BYTES)

        # deleted from the locker (confirmation), kept by the requests
        page.goto(f"{self.portal_url}/@@mon-espace-documents")
        expect(page.locator("#mes-documents tbody tr")).to_have_count(1)  # once
        page.get_by_role("link", name="Supprimer facture-edf.pdf").click()
        expect(page).to_have_title(re.compile("^Supprimer un document"))
        expect(page.locator("main")).to_contain_text("Supprimer « facture-edf.pdf »")
        self.assert_accessible("Mes documents : confirmation de suppression")
        page.get_by_role("button", name="Supprimer ce document").click()
        expect(page.locator(".portalMessage").first).to_contain_text(
            "« facture-edf.pdf » a été supprimé de vos documents."
        )
        expect(page.locator("#mes-documents")).to_have_count(0)
        expect(page.locator(".eservices-empty")).to_contain_text(
            "Aucun document conservé"
        )
        self.assert_accessible("Mes documents vide")
        page.goto(first)
        expect(page.locator(".eservices-request")).to_contain_text("facture-edf.pdf")

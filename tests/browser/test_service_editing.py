"""Browser test (Chromium): an editor creates an online service with two
fieldsets in Plone's UI (easyform's field editor), publishes it, and a
citizen files a request to it through the steps."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import EDITOR
from playwright.sync_api import expect


class TestServiceEditing(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def add_fieldset(self, service_url, title, name, help_text):
        page = self.page
        page.goto(f"{service_url}/fields/@@add-fieldset")
        expect(page.locator("#form-buttons-add")).to_be_visible()
        page.locator("#form-widgets-label").fill(title)
        page.locator("#form-widgets-__name__").fill(name)
        page.locator("#form-widgets-description").fill(help_text)
        page.locator("#form-buttons-add").click()
        page.wait_for_load_state()

    def add_field(self, service_url, fieldset, title, name, kind):
        page = self.page
        page.goto(f"{service_url}/fields/@@add-field?fieldset_id={fieldset}")
        expect(page.locator("#form-buttons-add")).to_be_visible()
        page.locator("#form-widgets-title").fill(title)
        page.locator("#form-widgets-__name__").fill(name)
        page.get_by_label("Type de champ").select_option(label=kind)
        page.get_by_label("Champ requis").check()
        page.locator("#form-buttons-add").click()
        page.wait_for_load_state()

    def test_editor_builds_a_service_and_a_citizen_files_it(self):
        page = self.page
        self.login(*EDITOR)
        page.goto(f"{self.portal_url}/demarches/++add++Service")
        page.locator("#form-widgets-IDublinCore-title").fill("Prêt de salle municipale")
        page.locator("#form-widgets-IDublinCore-description").fill(
            "Réserver une salle pour une réunion d'association."
        )
        page.locator(".autotoc-nav a", has_text="Démarche").click()
        page.locator("#form-widgets-category").select_option(label="Cadre de vie")
        page.locator("#form-widgets-concerns").select_option(
            label="Aucun membre en particulier"
        )
        page.locator("#form-widgets-processing_days").fill("8")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.locator("h1.documentFirstHeading")).to_have_text(
            "Prêt de salle municipale"
        )
        service_url = f"{self.portal_url}/demarches/pret-de-salle-municipale"
        self.assertEqual(
            page.url.split("?")[0].rstrip("/").removesuffix("/view"), service_url
        )

        self.add_fieldset(
            service_url,
            "Votre association",
            "association",
            "L'association doit avoir son siège à Illkirch-Graffenstaden.",
        )
        self.add_fieldset(
            service_url,
            "La réunion",
            "reunion",
            "Les salles sont prêtées du lundi au samedi.",
        )
        self.add_field(
            service_url,
            1,
            "Nom de l'association",
            "nom_association",
            "Ligne de texte (chaîne de caractères)",
        )
        self.add_field(service_url, 2, "Date de la réunion", "date_reunion", "Date")
        page.goto(f"{service_url}/fields")
        expect(page.locator("#fieldset-1")).to_contain_text("Nom de l'association")
        expect(page.locator("#fieldset-2")).to_contain_text("Date de la réunion")

        # publish it through the toolbar's state menu
        page.goto(service_url)
        page.locator("#plone-contentmenu-workflow > a").click()
        page.locator("#workflow-transition-publish").click()
        page.wait_for_load_state()

        # a citizen files it: two steps from the two fieldsets, then sending
        self.logout()
        self.login(*AMELIE)
        page.goto(f"{self.portal_url}/@@mon-espace-services")
        page.get_by_role("link", name="Prêt de salle municipale").click()
        page.get_by_role("link", name="Faire la demande en ligne").click()
        heading = page.locator("h2#step-title")
        expect(heading).to_contain_text("Étape 1 sur 3 : Votre association")
        expect(page.locator(".eservices-step-help").first).to_contain_text("siège")
        self.assert_accessible("démarche créée par un rédacteur, étape 1")
        page.get_by_label("Nom de l'association").fill("Les Amis du Rhin")
        page.get_by_role("button", name="Étape suivante").click()
        expect(heading).to_contain_text("Étape 2 sur 3 : La réunion")
        page.get_by_label("Date de la réunion").fill("2027-03-12")
        page.get_by_role("button", name="Étape suivante").click()
        expect(page.locator("section[aria-labelledby=summary-title]")).to_contain_text(
            "12/03/2027"
        )
        page.get_by_role("button", name="Envoyer ma demande").click()
        expect(page.locator(".alert-success")).to_contain_text(
            "Votre demande a été envoyée"
        )
        expect(page.locator("dl.eservices-answers")).to_contain_text("Les Amis du Rhin")
        self.assert_accessible("demande envoyée")

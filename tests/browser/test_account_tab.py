"""Browser tests (Chromium): the « Compte » tab and its forms, as a citizen
uses them, each page checked by axe-core at WCAG 2.1 AA."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from playwright.sync_api import expect

import re


class TestAccountTab(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def open_account(self):
        self.page.goto(f"{self.portal_url}/@@mon-espace-compte")
        expect(self.page.locator("h2#eservices-tab-title")).to_have_text("Compte")

    def message(self):
        return self.page.locator(".portalMessage")

    def test_validated_household_add_a_child_and_change_the_contact(self):
        page = self.page
        self.login(*AMELIE)
        self.open_account()
        expect(page.locator("#adults")).to_contain_text("Amélie Lire")
        expect(page.locator("#children")).to_contain_text("Léo Lire")
        self.assert_accessible("Compte (foyer validé)")

        # a child, through the form
        page.get_by_role("link", name="Ajouter un membre").click()
        expect(page.locator("h2#eservices-tab-title")).to_have_text("Ajouter un membre")
        self.assert_accessible("Ajouter un membre")
        kind = page.get_by_role("group", name="Adulte ou enfant")
        kind.get_by_label("Enfant").check()
        page.get_by_label("Lien avec le titulaire du compte").select_option("child")
        page.get_by_label("Madame").check()
        page.locator("#field-first_name").fill("Zoé")
        page.locator("#field-last_name").fill("Lire")
        page.locator("#field-birth_date").fill("2019-05-04")
        page.locator("#field-birth_place").fill("Strasbourg")
        page.get_by_role("button", name="Ajouter ce membre").click()
        expect(self.message()).to_contain_text(
            "Zoé Lire fait désormais partie de votre foyer."
        )
        expect(page).to_have_url(f"{self.portal_url}/@@mon-espace-compte")
        row = page.locator("#children tr", has_text="Zoé Lire")
        expect(row).to_contain_text("04/05/2019")
        expect(row).to_contain_text("Strasbourg")
        latest = page.locator("#history tbody tr").first
        expect(latest).to_contain_text("Ajout d'un membre")

        # the contact preference, to telephone
        page.get_by_role("link", name="Modifier l'adresse et le contact").click()
        self.assert_accessible("Modifier l'adresse et le contact")
        page.get_by_label("Par téléphone").check()
        page.get_by_role("button", name="Enregistrer").click()
        expect(self.message()).to_contain_text("Votre foyer a été mis à jour.")
        details = page.locator("dl.eservices-account-details")
        expect(details).to_contain_text("Par téléphone")
        latest = page.locator("#history tbody tr").first
        expect(latest).to_contain_text("Modification du foyer")
        expect(latest).to_contain_text("Comment la mairie vous contacte")
        expect(latest).to_contain_text("Vous")

    def test_bad_input_shown_next_to_the_field_and_kept(self):
        page = self.page
        self.login(*AMELIE)
        page.goto(f"{self.portal_url}/@@modifier-foyer")
        page.get_by_label("Code postal").fill("ABCDE")
        page.get_by_label("Numéro et voie").fill("14 rue de la Poste")
        page.get_by_role("button", name="Enregistrer").click()
        postal_code = page.get_by_label("Code postal")
        expect(postal_code).to_have_value("ABCDE")
        expect(page.get_by_label("Numéro et voie")).to_have_value("14 rue de la Poste")
        expect(postal_code).to_have_attribute("aria-invalid", "true")
        error = page.locator("#field-postal_code-error")
        expect(error).to_have_text(
            "Saisissez un code postal français à 5 chiffres, par exemple 67400."
        )
        expect(postal_code).to_have_attribute(
            "aria-describedby", re.compile(r"\bfield-postal_code-error\b")
        )
        # the summary above the form leads to the field
        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        expect(summary).to_contain_text("Le formulaire contient")
        summary.get_by_role("link", name=re.compile("Code postal")).click()
        expect(postal_code).to_be_focused()
        self.assert_accessible("Modifier l'adresse et le contact (erreurs)")
        # nothing was stored
        self.open_account()
        expect(page.locator("dl.eservices-account-details")).to_contain_text(
            "12 rue de la Poste"
        )

    def test_member_forms_are_accessible(self):
        page = self.page
        self.login(*AMELIE)
        self.open_account()
        page.get_by_role("link", name="Modifier Léo Lire").click()
        expect(page.locator("h2#eservices-tab-title")).to_have_text(
            "Modifier les informations de Léo Lire"
        )
        expect(page.locator("#field-first_name")).to_have_value("Léo")
        expect(page.locator("#field-birth_date")).to_have_value("2016-09-21")
        self.assert_accessible("Modifier un membre")
        # an email for a child: refused next to the field
        page.locator("#field-email").fill("leo@example.org")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.locator("#field-email-error")).to_contain_text(
            "ne concernent que les adultes"
        )
        self.assert_accessible("Modifier un membre (erreurs)")

        self.open_account()
        page.get_by_role("link", name="Retirer Léo Lire").click()
        expect(page.locator("h2#eservices-tab-title")).to_have_text(
            "Retirer Léo Lire du foyer"
        )
        self.assert_accessible("Retirer un membre")
        page.get_by_role("button", name="Retirer ce membre").click()
        expect(self.message()).to_contain_text(
            "Léo Lire ne fait plus partie de votre foyer."
        )
        expect(page.locator("#children")).to_have_count(0)
        expect(page.get_by_text("Aucun enfant déclaré.")).to_be_visible()

    def test_pending_household_is_locked(self):
        page = self.page
        self.login(*JEROME)
        self.open_account()
        status = page.get_by_role("region", name="Votre compte attend sa validation")
        expect(status).to_contain_text("en général sous 2 jours ouvrés")
        expect(status).to_contain_text("un courriel vous avertira")
        expect(status.get_by_role("link")).to_have_attribute(
            "href", f"{self.portal_url}/@@mon-espace-services"
        )
        expect(page.locator("#adults")).to_contain_text("Jérôme Attente")
        expect(
            page.get_by_role("link", name="Modifier l'adresse et le contact")
        ).to_have_count(0)
        expect(page.get_by_role("link", name="Ajouter un membre")).to_have_count(0)
        expect(
            page.get_by_role("link", name=re.compile("^Modifier (?!mon mot de passe)"))
        ).to_have_count(0)
        self.assert_accessible("Compte (foyer en attente)")
        # the form's address shows the same reason, and no form
        page.goto(f"{self.portal_url}/@@ajouter-membre")
        expect(
            page.get_by_role("region", name="Votre compte attend sa validation")
        ).to_be_visible()
        expect(page.locator("form.eservices-account-form")).to_have_count(0)
        self.assert_accessible("Ajouter un membre (foyer en attente)")

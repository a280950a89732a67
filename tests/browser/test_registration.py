"""A new citizen registers through the wizard in Chromium (axe on each step)."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from playwright.sync_api import expect

import re
import requests


class TestRegistrationWizard(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def next_step(self):
        self.page.get_by_role("button", name="Étape suivante").click()

    def expect_step(self, number, title):
        expect(self.page.locator("#step-title")).to_contain_text(
            f"Étape {number} sur 5 : {title}"
        )

    def test_register_through_every_step_then_log_in(self):
        page = self.page
        page.goto(f"{self.portal_url}/@@creer-un-compte")
        self.expect_step(1, "Identité")
        self.assert_accessible("inscription, étape 1")
        # step 1, with an error first: the message is next to the field
        page.get_by_label("Madame").check()
        page.get_by_label("Prénom").fill("Inès")
        page.get_by_label("Date de naissance").fill("1992-04-05")
        page.get_by_label("Adresse électronique").fill("ines.marchal@example.org")
        self.next_step()
        self.expect_step(1, "Identité")
        last_name = page.get_by_label("Nom", exact=False).and_(
            page.locator("#field-last_name")
        )
        expect(page.locator("#field-last_name-error")).to_have_text(
            "Ce champ est obligatoire."
        )
        expect(page.locator("#field-last_name")).to_have_attribute(
            "aria-invalid", "true"
        )
        expect(page.get_by_label("Prénom")).to_have_value("Inès")  # kept
        self.assert_accessible("inscription, étape 1 avec erreur")
        last_name.fill("Marchal")
        self.next_step()
        # step 2
        self.expect_step(2, "Adresse et contact")
        page.get_by_label("Numéro et voie").fill("8 rue des Vignes")
        page.get_by_label("Code postal").fill("67400")
        page.get_by_label("Commune").fill("Illkirch-Graffenstaden")
        page.get_by_label("Par courriel").check()
        self.assert_accessible("inscription, étape 2")
        self.next_step()
        # step 3: one child
        self.expect_step(3, "Membres du foyer")
        page.get_by_role("button", name="Ajouter un membre").click()
        member = page.locator("fieldset", has_text="Membre 1")
        member.get_by_role("group", name="Adulte ou enfant").get_by_label(
            "Enfant"
        ).check()
        member.get_by_label("Monsieur").check()
        member.get_by_label("Prénom").fill("Hugo")
        member.locator("[id$=-last_name]").fill("Marchal")
        member.get_by_label("Date de naissance").fill("2017-10-12")
        member.get_by_label("Lien avec le titulaire du compte").select_option(
            label="Enfant"
        )
        self.assert_accessible("inscription, étape 3")
        self.next_step()
        # going back keeps what was typed
        self.expect_step(4, "Mot de passe")
        page.get_by_role("button", name="Étape précédente").click()
        self.expect_step(3, "Membres du foyer")
        expect(
            page.locator("fieldset", has_text="Membre 1").get_by_label("Prénom")
        ).to_have_value("Hugo")
        self.next_step()
        # step 4: the rule is shown before typing; a weak password is refused
        self.expect_step(4, "Mot de passe")
        expect(page.locator("#field-password-help")).to_contain_text(
            "Au moins 12 caractères"
        )
        # the rule is the field's description for assistive technologies
        expect(page.locator("#field-password")).to_have_accessible_description(
            re.compile("Au moins 12 caractères")
        )
        page.locator("#field-password").fill("motdepasse")
        page.locator("#field-password_confirm").fill("motdepasse")
        self.next_step()
        expect(page.locator("#field-password-error")).to_contain_text("12 caractères")
        page.locator("#field-password").fill("Vignes-Illkirch-2026")
        page.locator("#field-password_confirm").fill("Vignes-Illkirch-2026")
        self.assert_accessible("inscription, étape 4")
        self.next_step()
        # step 5: summary, consent, captcha (read through the test-only hook)
        self.expect_step(5, "Validation")
        expect(page.locator("#summary-identity")).to_have_text("Identité")
        expect(
            page.locator("section[aria-labelledby=summary-identity]")
        ).to_contain_text("05/04/1992")
        self.assert_accessible("inscription, étape 5")
        token = page.locator("input[name=captcha_token]").input_value()
        answer = requests.get(
            f"{self.portal_url}/@@test-captcha-answer", params={"token": token}
        ).text
        page.get_by_label("J'accepte").check()
        page.get_by_label("Code", exact=False).and_(
            page.locator("#field-captcha_answer")
        ).fill(answer)
        page.get_by_role("button", name="Créer mon compte").click()
        expect(page.locator("h1")).to_have_text("Votre demande est enregistrée")
        self.assert_accessible("inscription terminée")

        # the identifier arrives by email
        message = self.mailsink.messages()[-1]
        self.assertEqual(message["To"], "ines.marchal@example.org")
        self.assertIn("inès.marchal", message.get_body(("plain",)).get_content())

        # log in with it (accents and all): « Compte » is locked while pending
        self.login("inès.marchal", "Vignes-Illkirch-2026")
        page.goto(f"{self.portal_url}/@@mon-espace-compte")
        expect(page.locator("h1")).to_have_text("Mon espace")
        expect(page.locator("#eservices-tab-title")).to_have_text("Compte")
        expect(page.locator("main")).to_contain_text(
            "Votre compte attend sa validation"
        )
        expect(page.get_by_role("link", name="Ajouter un membre")).to_have_count(0)
        self.assert_accessible("Compte en attente")

        # an agent validates the account from the queue
        self.logout()
        self.login(*AGENT)
        page.goto(f"{self.portal_url}/@@comptes-a-valider")
        row = page.get_by_role("row", name="Inès Marchal")
        row.get_by_role("button", name="Valider le compte de Inès Marchal").click()
        expect(page.locator(".portalMessage")).to_contain_text("est validé")
        validated = self.mailsink.messages()[-1]
        self.assertEqual(validated["To"], "ines.marchal@example.org")
        self.assertIn("validé", validated["Subject"])

        # the citizen adds a child and chooses to be contacted by telephone
        self.logout()
        self.login("ines.marchal", "Vignes-Illkirch-2026")  # without accents
        page.goto(f"{self.portal_url}/@@mon-espace-compte")
        expect(page.locator("#children")).to_contain_text("Hugo Marchal")
        page.get_by_role("link", name="Ajouter un membre").click()
        page.get_by_role("group", name="Adulte ou enfant").get_by_label(
            "Enfant"
        ).check()
        page.get_by_label("Lien avec le titulaire du compte").select_option("child")
        page.get_by_label("Madame").check()
        page.locator("#field-first_name").fill("Lina")
        page.locator("#field-last_name").fill("Marchal")
        page.locator("#field-birth_date").fill("2020-02-29")
        page.get_by_role("button", name="Ajouter ce membre").click()
        expect(page.locator("#children")).to_contain_text("Lina Marchal")
        page.get_by_role("link", name="Modifier l'adresse et le contact").click()
        page.get_by_label("Par téléphone").check()
        page.get_by_label("Téléphone mobile").fill("06 98 76 54 32")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.locator("dl.eservices-account-details")).to_contain_text(
            "Par téléphone"
        )
        self.assert_accessible("Compte validé")

    def test_wrong_captcha_keeps_the_data_and_asks_again(self):
        page = self.page
        page.goto(f"{self.portal_url}/@@creer-un-compte")
        page.get_by_label("Monsieur").check()
        page.get_by_label("Prénom").fill("Paul")
        page.locator("#field-last_name").fill("Klein")
        page.get_by_label("Date de naissance").fill("1970-01-20")
        page.get_by_label("Adresse électronique").fill("paul.klein@example.org")
        self.next_step()
        page.get_by_label("Numéro et voie").fill("1 place de la Mairie")
        page.get_by_label("Code postal").fill("67400")
        page.get_by_label("Commune").fill("Illkirch")
        page.get_by_label("Par courriel").check()
        self.next_step()
        self.next_step()
        page.locator("#field-password").fill("Place-Mairie-1970")
        page.locator("#field-password_confirm").fill("Place-Mairie-1970")
        self.next_step()
        page.get_by_label("J'accepte").check()
        page.locator("#field-captcha_answer").fill("12")
        page.get_by_role("button", name="Créer mon compte").click()
        expect(page.locator("#field-captcha_answer-error")).to_contain_text(
            "code de vérification"
        )
        expect(
            page.locator("section[aria-labelledby=summary-identity]")
        ).to_contain_text("Paul")
        self.assertEqual(self.mailsink.messages(), [])
        self.assert_accessible("inscription, code erroné")
        expect(page).to_have_url(re.compile("creer-un-compte"))

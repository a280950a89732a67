"""Browser tests (Chromium): a civil-status act without an account, from
the form to « Suivre ma demande »; the rule of full copies explained. Every
page checked by axe-core at WCAG 2.1 AA."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from playwright.sync_api import expect

import re
import requests


class TestCivilStatus(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def next_step(self):
        self.page.get_by_role("button", name="Étape suivante").click()

    def fill_birth_request(self, document, quality, until_document=False):
        page = self.page
        page.goto(f"{self.portal_url}/demarches/acte-de-naissance")
        self.assert_accessible("page de l'acte de naissance")
        page.get_by_role("link", name="Faire la demande en ligne").click()
        expect(page.locator("h2#step-title")).to_contain_text("Vos coordonnées")
        self.assert_accessible("coordonnées")
        page.locator("#field-r-first_name").fill("Paul")
        page.locator("#field-r-last_name").fill("Martin")
        page.locator("#field-r-email").fill("paul.martin@example.org")
        self.next_step()
        expect(page.locator("h2#step-title")).to_contain_text("Le document")
        expect(page.locator(".eservices-step-help").first).to_contain_text(
            "extrait sans filiation"
        )
        self.assert_accessible("le document")
        page.get_by_label(document).check()
        page.get_by_label("Vous êtes").select_option(label=quality)
        page.get_by_label("Nombre d'exemplaires").fill("1")
        self.next_step()
        if until_document:
            return
        page.get_by_label("Nom de la personne").fill("Lire")
        page.get_by_label("Prénoms de la personne").fill("Amélie")
        page.get_by_label("Date de naissance").fill("1986-03-14")
        self.next_step()
        page.get_by_label("France", exact=True).check()
        page.get_by_label("Nom du destinataire").fill("Paul Martin")
        page.get_by_label("Numéro et rue").fill("3 rue des Lilas")
        page.get_by_label("Code postal").fill("75011")
        page.get_by_label("Ville").fill("Paris")
        self.next_step()
        expect(page.locator("h2#step-title")).to_contain_text("Vérification et envoi")

    def solve_captcha(self):
        page = self.page
        token = page.locator("input[name=captcha_token]").input_value()
        answer = requests.get(
            f"{self.portal_url}/@@test-captcha-answer", params={"token": token}
        ).text
        page.locator("#field-captcha_answer").fill(answer)

    def test_anonymous_birth_extract_and_follow_it(self):
        page = self.page
        self.fill_birth_request(
            "Extrait sans filiation", "Autre (avocat, notaire, héritier…)"
        )
        self.assert_accessible("envoi avec code de vérification")
        page.get_by_role("button", name="Envoyer ma demande").click()
        expect(page.locator(".alert-danger")).to_contain_text("code de vérification")
        self.solve_captcha()
        page.get_by_role("button", name="Envoyer ma demande").click()
        confirmation = page.locator(".alert-success")
        expect(confirmation).to_contain_text("Votre code de suivi")
        number = re.search(r"\d{4}-\d{6}", confirmation.inner_text()).group(0)
        code = page.locator(".eservices-tracking-code").inner_text()
        self.assert_accessible("confirmation avec code de suivi")
        mail = self.wait_for_mail("paul.martin@example.org", code)
        self.assertIn(number, mail.get_body(("plain",)).get_content())

        expect(
            page.locator("#portal-footer").get_by_role("link", name="Suivre ma demande")
        ).to_be_visible()
        page.locator("#content").get_by_role("link", name="Suivre ma demande").click()
        self.assert_accessible("Suivre ma demande")
        page.get_by_label("Code de suivi").fill("ZZZZ2222")
        page.get_by_role("button", name="Voir la demande").click()
        expect(page.locator(".alert-danger")).to_contain_text("Aucune demande")
        page.get_by_label("Numéro de la demande").fill(number)
        page.get_by_label("Code de suivi").fill(code.lower())
        page.get_by_role("button", name="Voir la demande").click()
        result = page.locator("section[aria-labelledby=follow-result-title]")
        expect(result.locator(".eservices-status")).to_have_text("En cours")
        expect(result).to_contain_text("Demande déposée")
        self.assert_accessible("Suivre ma demande, résultat")

    def test_full_copy_by_someone_else_is_refused_with_the_rule(self):
        page = self.page
        # the rule is checked at its own step (issue 15), not at « Envoyer »
        self.fill_birth_request(
            "Copie intégrale", "Autre (avocat, notaire, héritier…)", until_document=True
        )
        error = page.locator(".alert-danger")
        expect(error).to_contain_text("n'est délivré qu'à la personne concernée")
        expect(error).to_contain_text("extrait sans filiation")
        expect(page.locator("h2#step-title")).to_contain_text("Le document")
        self.assert_accessible("refus expliqué")

"""« Choisir un mot de passe » in Chromium (#20): an account made through
FranceConnect (the local provider's pages, then the completion form) finds
the link in « Compte », the page asks only the new password and its
confirmation (labels, help, error summary, ``autocomplete="new-password"``;
axe with an error and without), then the identifier and that password log
in through Plone's login form, and FranceConnect may be unlinked."""

from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.testing import FRANCECONNECT_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from playwright.sync_api import expect

import re
import transaction


NEW = "Autre-Secret-2026"


class TestChoosePasswordPage(BrowserTestCase):
    layer = FRANCECONNECT_FUNCTIONAL_TESTING

    def fc_first_login(self, login):
        page = self.page
        page.goto(f"{self.portal_url}/login")
        page.get_by_role("button", name="S'identifier avec FranceConnect").click()
        page.get_by_label("Identifiant").fill(login)
        page.get_by_label("Mot de passe").fill("123")
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("button", name="Continuer sur le service").click()
        page.get_by_label("Numéro et voie").fill("3 rue du Général Leclerc")
        page.get_by_label("Code postal").fill("67400")
        page.get_by_label("Commune").fill("Illkirch-Graffenstaden")
        page.get_by_label("Par courriel").check()
        page.get_by_label("J'accepte", exact=False).check()
        page.get_by_role("button", name="Créer mon compte").click()
        page.wait_for_url(re.compile(r"/@@mon-espace"))

    def test_choose_a_password_then_log_in_with_it(self):
        page = self.page
        self.fc_first_login("angela")
        page.goto(f"{self.portal_url}/@@mon-espace-compte")
        expect(
            page.get_by_role("link", name="Modifier mon mot de passe")
        ).to_have_count(0)
        page.get_by_role("link", name="Choisir un mot de passe").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Choisir un mot de passe"
        )
        expect(page.locator("#content")).to_contain_text("créé avec FranceConnect")
        expect(page.locator("#content")).to_contain_text("angela.dubois")
        expect(page.get_by_label("Mot de passe actuel")).to_have_count(0)
        new = page.get_by_label("Nouveau mot de passe")
        again = page.get_by_label("Mot de passe (confirmation)")
        expect(new).to_have_attribute("autocomplete", "new-password")
        expect(again).to_have_attribute("autocomplete", "new-password")
        self.assert_accessible("Choisir un mot de passe")

        # a weak password: the error summary and the field's French error
        new.fill("abc")
        again.fill("abc")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.locator("#field-password-error")).to_contain_text(
            "au moins 12 caractères"
        )
        expect(new).to_have_attribute("aria-invalid", "true")
        summary = page.get_by_role("link", name=re.compile("au moins 12 caractères"))
        expect(summary).to_be_visible()
        self.assert_accessible("Choisir un mot de passe, une erreur")

        page.get_by_label("Nouveau mot de passe").fill(NEW)
        page.get_by_label("Mot de passe (confirmation)").fill(NEW)
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_url(re.compile(r"/@@mon-espace-compte"))
        expect(page.locator(".portalMessage")).to_contain_text(
            "Votre mot de passe est enregistré"
        )
        expect(
            page.get_by_role("link", name="Modifier mon mot de passe")
        ).to_be_visible()
        expect(page.get_by_role("button", name="Délier FranceConnect")).to_be_visible()
        transaction.begin()
        self.assertTrue(franceconnect.has_password("angela.dubois"))

        # Plone's login form with the identifier and the chosen password
        self.logout()
        self.login("angela.dubois", NEW)
        page.goto(f"{self.portal_url}/@@mon-espace-compte")
        expect(page.locator("#content")).to_contain_text("Angela")
        page.get_by_role("button", name="Délier FranceConnect").click()
        expect(page.locator(".portalMessage")).to_contain_text(
            "FranceConnect n'est plus lié à votre compte"
        )

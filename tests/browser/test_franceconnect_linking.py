"""Linking an existing account to FranceConnect in Chromium (#20), through
the local provider's pages: from « Compte », after the account's password
(a wrong one refused), never by email; then FranceConnect logs into that
account; an identity linked to another account is refused; unlinking while
the account has a password, not without one. axe on « Compte »."""

from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.testing import FRANCECONNECT_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.franceconnect import franceconnect_session
from playwright.sync_api import expect

import re
import transaction


JEAN_SUB = "2b3c5f1e8a9d4c7b6e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2dv1"


class TestFranceConnectLinking(BrowserTestCase):
    layer = FRANCECONNECT_FUNCTIONAL_TESTING

    def provider_login(self, login):
        page = self.page
        page.get_by_label("Identifiant").fill(login)
        page.get_by_label("Mot de passe").fill("123")
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("button", name="Continuer sur le service").click()

    def link_from_account_tab(self, provider_login, password):
        page = self.page
        page.goto(f"{self.portal_url}/@@mon-espace-compte")
        page.get_by_role("link", name="Lier mon compte à FranceConnect").click()
        page.get_by_label("Votre mot de passe").fill(password)
        page.get_by_role("button", name="Enregistrer").click()
        if password == PASSWORDS["amelie.lire"]:
            self.provider_login(provider_login)
            page.wait_for_url(re.compile(r"/@@mon-espace-compte"))

    def fc_login(self, login):
        page = self.page
        page.goto(f"{self.portal_url}/login")
        page.get_by_role("button", name="S'identifier avec FranceConnect").click()
        self.provider_login(login)

    def test_link_log_in_with_it_then_unlink(self):
        page = self.page
        self.login("amelie.lire", PASSWORDS["amelie.lire"])
        # a wrong password: nothing leaves for FranceConnect
        self.link_from_account_tab("jean", "pas-le-bon")
        expect(page.locator("#field-current_password-error")).to_contain_text(
            "n'est pas votre mot de passe actuel"
        )
        self.link_from_account_tab("jean", PASSWORDS["amelie.lire"])
        expect(page.locator(".portalMessage")).to_contain_text(
            "Votre compte est lié à FranceConnect"
        )
        expect(page.get_by_role("button", name="Délier FranceConnect")).to_be_visible()
        self.assert_accessible("Compte, FranceConnect lié")
        transaction.begin()
        self.assertEqual(franceconnect.linked_user(JEAN_SUB), "amelie.lire")

        # FranceConnect now logs into her account, straight to « Mon espace »
        self.logout()
        self.fc_login("jean")
        page.wait_for_url(re.compile(r"/@@mon-espace"))
        page.goto(f"{self.portal_url}/@@mon-espace-compte")
        expect(page.locator("#content")).to_contain_text("Amélie")

        # she has a password: she may unlink
        page.get_by_role("button", name="Délier FranceConnect").click()
        expect(page.locator(".portalMessage")).to_contain_text(
            "FranceConnect n'est plus lié à votre compte"
        )
        expect(
            page.get_by_role("link", name="Lier mon compte à FranceConnect")
        ).to_be_visible()
        self.logout()
        self.fc_login("jean")
        page.wait_for_url(re.compile(r"/@@franceconnect-inscription"))

    def test_identity_of_another_account_is_refused(self):
        # angela's account was made through FranceConnect
        franceconnect_session(self.portal_url, "angela")
        page = self.page
        self.login("amelie.lire", PASSWORDS["amelie.lire"])
        self.link_from_account_tab("angela", PASSWORDS["amelie.lire"])
        expect(page.locator(".portalMessage")).to_contain_text(
            "déjà liée à un autre compte"
        )
        expect(
            page.get_by_role("link", name="Lier mon compte à FranceConnect")
        ).to_be_visible()
        self.assert_accessible("Compte, identité FranceConnect refusée")
        transaction.begin()
        self.assertEqual(
            franceconnect.linked_user(
                "b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1"
            ),
            "angela.dubois",
        )

    def test_no_unlinking_without_a_password(self):
        page = self.page
        self.fc_login("angela")
        page.get_by_label("Numéro et voie").fill("3 rue du Général Leclerc")
        page.get_by_label("Code postal").fill("67400")
        page.get_by_label("Commune").fill("Illkirch-Graffenstaden")
        page.get_by_label("Par courriel").check()
        page.get_by_label("J'accepte", exact=False).check()
        page.get_by_role("button", name="Créer mon compte").click()
        page.wait_for_url(re.compile(r"/@@mon-espace"))
        page.goto(f"{self.portal_url}/@@mon-espace-compte")
        expect(page.get_by_text("choisissez d'abord un mot de passe")).to_be_visible()
        expect(page.get_by_role("button", name="Délier FranceConnect")).to_have_count(0)
        transaction.begin()
        self.assertEqual(
            franceconnect.linked_user(
                "b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1"
            ),
            "angela.dubois",
        )

"""Login and lost password in Chromium (axe on each page)."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import PASSWORDS
from playwright.sync_api import expect

import re


class TestLoginAndReset(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def test_login_page_links_and_lockout_message(self):
        page = self.page
        page.goto(f"{self.portal_url}/login")
        self.assert_accessible("connexion")
        expect(page.get_by_role("link", name="Créer un compte")).to_be_visible()
        for _ in range(5):
            page.fill("#__ac_name", "amelie.lire")
            page.fill("#__ac_password", "mauvais")
            page.click("#login-form button[type=submit], #login-form .btn-primary")
        page.fill("#__ac_name", "amelie.lire")
        page.fill("#__ac_password", PASSWORDS["amelie.lire"])
        page.click("#login-form button[type=submit], #login-form .btn-primary")
        expect(page.locator(".portalMessage")).to_contain_text(
            "la connexion est bloquée pendant 15 minutes"
        )
        self.assert_accessible("connexion bloquée")

    def test_reset_link_works_once(self):
        page = self.page
        page.goto(f"{self.portal_url}/login")
        page.get_by_role("link", name="Mot de passe oublié ?").click()
        self.assert_accessible("mot de passe oublié")
        page.get_by_label("Identifiant ou adresse électronique").fill("amélie.lire")
        page.get_by_role("button", name="M'envoyer un lien").click()
        expect(page.get_by_role("status")).to_contain_text("24 heures")
        body = self.mailsink.messages()[-1].get_body(("plain",)).get_content()
        link = re.search(r"(http\S+nouveau-mot-de-passe\?token=[\w\-]+)", body).group(1)

        page.goto(link)
        self.assert_accessible("nouveau mot de passe")
        expect(page.locator("#field-password-help")).to_contain_text("12 caractères")
        page.locator("#field-password").fill("Rue-de-la-Poste-12")
        page.locator("#field-password_confirm").fill("Rue-de-la-Poste-12")
        page.get_by_role("button", name="Modifier mon mot de passe").click()
        expect(page.locator(".portalMessage")).to_contain_text(
            "mot de passe a été modifié"
        )
        self.login("amelie.lire@example.org", "Rue-de-la-Poste-12")

        # a second time: refused with an explanation
        self.logout()
        page.goto(link)
        expect(page.get_by_role("alert")).to_contain_text("n'est plus valable")
        expect(page.locator("#field-password")).to_have_count(0)
        self.assert_accessible("lien expiré")

    def test_reset_link_refused_after_24_hours(self):
        from illkirch.eservices.accounts.password_reset import RESETS_KEY
        from zope.annotation.interfaces import IAnnotations

        import transaction

        page = self.page
        page.goto(f"{self.portal_url}/@@mot-de-passe-oublie")
        page.get_by_label("Identifiant ou adresse électronique").fill("amelie.lire")
        page.get_by_role("button", name="M'envoyer un lien").click()
        body = self.mailsink.messages()[-1].get_body(("plain",)).get_content()
        link = re.search(r"(http\S+nouveau-mot-de-passe\?token=[\w\-]+)", body).group(1)
        transaction.begin()
        storage = IAnnotations(self.portal)[RESETS_KEY]
        for digest, (userid, expires) in list(storage.items()):
            storage[digest] = (userid, expires - 24 * 3600 - 1)  # 24 hours later
        transaction.commit()
        page.goto(link)
        expect(page.get_by_role("alert")).to_contain_text("n'est plus valable")
        expect(page.locator("#field-password")).to_have_count(0)

    def test_account_security_pages(self):
        page = self.page
        self.login(*AMELIE)
        page.goto(f"{self.portal_url}/@@mon-espace-compte")
        page.get_by_role("link", name="Modifier mon mot de passe").click()
        self.assert_accessible("modifier mon mot de passe")
        page.locator("#field-current_password").fill("faux")
        page.locator("#field-password").fill("Autre-Secret-2026")
        page.locator("#field-password_confirm").fill("Autre-Secret-2026")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.locator("#field-current_password-error")).to_have_text(
            "Ce n'est pas votre mot de passe actuel."
        )
        self.assert_accessible("modifier mon mot de passe, erreur")
        page.goto(f"{self.portal_url}/@@mon-espace-compte")
        page.get_by_role("link", name="Modifier mon adresse électronique").click()
        self.assert_accessible("modifier mon adresse électronique")
        page.goto(f"{self.portal_url}/@@mon-espace-compte")
        page.get_by_role("link", name="Fermer mon compte").click()
        expect(
            page.get_by_role("button", name="Demander la fermeture de mon compte")
        ).to_be_visible()
        self.assert_accessible("fermer mon compte")

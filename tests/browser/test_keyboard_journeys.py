"""Keyboard-only journeys in Chromium (issue 15): registration, filing a
request with a document, the basket and the demonstration bank, with only
Tab, Shift+Tab, Enter, Space, arrows and typing after the first page.goto.
At every Tab stop the focus is visible: an indicator of 3:1 at least against
what surrounds the element, the element on screen and not covered
(testing/keyboard.py)."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.keyboard import assert_focus_visible
from illkirch.eservices.testing.keyboard import choose_radio
from illkirch.eservices.testing.keyboard import skip_to_content
from illkirch.eservices.testing.keyboard import tab_to
from illkirch.eservices.testing.keyboard import type_date
from illkirch.eservices.testing.keyboard import type_into
from playwright.sync_api import expect

import re
import requests


class KeyboardJourney(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        super().setUp()
        self.page.set_viewport_size({"width": 1280, "height": 800})

    def press(self, key):
        """A key on the focused element, whose focus is visible."""
        assert_focus_visible(self.page)
        self.page.keyboard.press(key)

    def follow(self, target, **kw):
        """Tab to a link or a button and press Enter."""
        tab_to(self.page, target, **kw)
        self.press("Enter")
        self.page.wait_for_load_state()

    def log_in_by_keyboard(self, login, password):
        page = self.page
        page.goto(f"{self.portal_url}/login")
        # Plone's login form puts the focus in the identifier's field
        expect(page.locator("#__ac_name")).to_be_focused()
        assert_focus_visible(page)
        page.keyboard.type(login)
        type_into(page, "#__ac_password", password)
        self.press("Enter")
        expect(page.locator("h1")).to_have_text("Mon espace")


class TestBasketAndDemoBank(KeyboardJourney):
    def test_add_an_invoice_and_pay_at_the_demo_bank(self):
        page = self.page
        self.log_in_by_keyboard(*AMELIE)
        skip_to_content(page)
        self.follow("Mes comptes")
        expect(page.locator("#eservices-tab-title")).to_have_text("Mes comptes")
        skip_to_content(page)
        self.follow("Ajouter au panier n° V-2026-0412", max_steps=40)
        expect(page.locator(".portalMessage").first).to_contain_text(
            "dans votre panier"
        )
        skip_to_content(page)
        self.follow("Votre panier (1 facture(s))", prefix=True, max_steps=40)
        expect(page.locator("table tbody tr")).to_have_count(1)
        skip_to_content(page)
        self.follow("Payer par carte", max_steps=40)
        expect(page.locator("h1")).to_have_text("Banque de démonstration")
        skip_to_content(page)
        self.follow("Payer")
        expect(page.locator("#payment-status")).to_have_text("Paiement accepté")
        receipt = self.wait_for_mail("amelie.lire@example.org", "V-2026-0412")
        self.assertIn("V-2026-0412", receipt.get_content())


class TestRegistrationByKeyboard(KeyboardJourney):
    def expect_step(self, number, title):
        expect(self.page.locator("#step-title")).to_contain_text(
            f"Étape {number} sur 5 : {title}"
        )

    def next_step(self):
        self.follow("Étape suivante", max_steps=40)

    def test_register_to_the_confirmation_then_log_in(self):
        page = self.page
        page.goto(f"{self.portal_url}/@@creer-un-compte")
        self.expect_step(1, "Identité")
        skip_to_content(page)
        # a radio group: Tab reaches its first radio, Space checks it
        choose_radio(page, page.locator("#field-civility-mme"))
        type_into(page, "#field-first_name", "Inès")
        type_into(page, "#field-last_name", "Clavier")
        tab_to(page, "Date de naissance")
        type_date(page, page.locator("#field-birth_date"), "1992-04-05")
        type_into(page, "Adresse électronique", "ines.clavier@example.org")
        self.next_step()

        self.expect_step(2, "Adresse et contact")
        skip_to_content(page)
        type_into(page, "Numéro et voie", "8 rue des Vignes")
        type_into(page, "Code postal", "67400")
        type_into(page, "Commune", "Illkirch-Graffenstaden")
        choose_radio(page, page.get_by_label("Par courriel"))
        self.next_step()

        # step 3: a member added and filled by keyboard
        self.expect_step(3, "Membres du foyer")
        skip_to_content(page)
        self.follow("Ajouter un membre")
        member = page.locator("fieldset", has_text="Membre 1")
        expect(member).to_be_visible()
        skip_to_content(page)
        kind = member.get_by_role("group", name="Adulte ou enfant")
        choose_radio(page, kind.get_by_label("Enfant"), max_steps=40)
        choose_radio(page, member.get_by_label("Monsieur"))
        type_into(page, member.get_by_label("Prénom"), "Hugo")
        type_into(page, member.locator("[id$=-last_name]"), "Clavier")
        birth_date = member.get_by_label("Date de naissance")
        tab_to(page, birth_date)
        type_date(page, birth_date, "2017-10-12")
        relation = member.get_by_label("Lien avec le titulaire du compte")
        tab_to(page, relation)
        page.keyboard.type("Enfant")  # a select chooses by typing
        expect(relation).to_have_value("child")
        self.next_step()

        self.expect_step(4, "Mot de passe")
        skip_to_content(page)
        type_into(page, "#field-password", "Vignes-Illkirch-2026")
        type_into(page, "#field-password_confirm", "Vignes-Illkirch-2026")
        self.next_step()

        # step 5: the summary, consent and the captcha (its answer read
        # through the test-only hook, typed)
        self.expect_step(5, "Validation")
        expect(
            page.locator("section[aria-labelledby=summary-household]")
        ).to_contain_text("Hugo")
        token = page.locator("input[name=captcha_token]").input_value()
        answer = requests.get(
            f"{self.portal_url}/@@test-captcha-answer", params={"token": token}
        ).text
        skip_to_content(page)
        tab_to(page, "#field-consent", max_steps=40)
        self.press("Space")
        expect(page.locator("#field-consent")).to_be_checked()
        type_into(page, "#field-captcha_answer", answer)
        self.follow("Créer mon compte")
        expect(page.locator("h1")).to_have_text("Votre demande est enregistrée")

        # the identifier arrives by email; « Se connecter » then the form
        message = self.wait_for_mail("ines.clavier@example.org", "inès.clavier")
        login = re.search(r"^\s+(\S+)\s*$", message.get_content(), re.M).group(1)
        self.assertEqual(login, "inès.clavier")
        skip_to_content(page)
        self.follow("Se connecter")
        expect(page.locator("#__ac_name")).to_be_focused()
        assert_focus_visible(page)
        page.keyboard.type(login)
        type_into(page, "#__ac_password", "Vignes-Illkirch-2026")
        self.press("Enter")
        expect(page.locator("h1")).to_have_text("Mon espace")
        expect(page.locator("main")).to_contain_text("attend sa validation")

"""Keyboard-only journeys in Chromium (issue 15): registration, filing a
request with a document, the basket and the demonstration bank, with only
Tab, Shift+Tab, Enter, Space, arrows and typing after the first page.goto.
At every Tab stop the focus is visible: an indicator of 3:1 at least against
what surrounds the element, the element on screen and not covered
(testing/keyboard.py)."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.keyboard import FocusNotVisible
from illkirch.eservices.testing.keyboard import assert_focus_visible
from illkirch.eservices.testing.keyboard import choose_radio
from illkirch.eservices.testing.keyboard import is_focused
from illkirch.eservices.testing.keyboard import skip_to_content
from illkirch.eservices.testing.keyboard import tab_through
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
        """Tab to a link or a button and press Enter: a new page loads."""
        tab_to(self.page, target, **kw)
        assert_focus_visible(self.page)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def log_in_by_keyboard(self, login, password):
        page = self.page
        page.goto(f"{self.portal_url}/login")
        # Plone's login form puts the focus in the identifier's field
        expect(page.locator("#__ac_name")).to_be_focused()
        assert_focus_visible(page)
        page.keyboard.type(login)
        type_into(page, "#__ac_password", password)
        with page.expect_navigation():
            self.press("Enter")
        expect(page.locator("h1")).to_have_text("Mon espace")


class TestRequestWithDocuments(KeyboardJourney):
    def step_heading(self):
        return self.page.locator("h2#step-title")

    def next_step(self):
        self.follow("Étape suivante", max_steps=50)

    def attach(self, label, name, data, mime):
        """Tab to a file field, open the file chooser with Space."""
        page = self.page
        field = page.get_by_label(label)
        tab_to(page, field, max_steps=40)
        with page.expect_file_chooser() as chooser:
            self.press("Space")
        chooser.value.set_files({"name": name, "mimeType": mime, "buffer": data})
        expect(field).to_have_js_property("files.length", 1)

    def test_file_a_periscolaire_request_with_its_documents(self):
        page = self.page
        self.log_in_by_keyboard(*AMELIE)
        skip_to_content(page)
        self.follow("Services")
        expect(page.locator("#eservices-tab-title")).to_have_text("Services")
        skip_to_content(page)
        self.follow("Inscription périscolaire", max_steps=40)
        skip_to_content(page)
        self.follow("Faire la demande en ligne", max_steps=40)

        # step 1: the child concerned
        expect(self.step_heading()).to_contain_text("Étape 1 sur 4")
        skip_to_content(page)
        choose_radio(page, page.get_by_label("Léo Lire"))
        self.next_step()

        # step 2: radios, a select, checkboxes and a date
        expect(self.step_heading()).to_contain_text("Inscription")
        skip_to_content(page)
        choose_radio(page, page.get_by_label("École élémentaire Sud"))
        school_class = page.get_by_label("Classe à la rentrée")
        tab_to(page, school_class)
        page.keyboard.type("CE1")
        expect(school_class).to_have_value(re.compile(".+"))
        for service in ("Restauration scolaire", "Accueil du soir"):
            tab_to(page, page.get_by_label(service))
            self.press("Space")
            expect(page.get_by_label(service)).to_be_checked()
        start = page.get_by_label("À partir du")
        tab_to(page, start)
        type_date(page, start, "2027-09-01")
        self.next_step()

        # step 3
        expect(self.step_heading()).to_contain_text("Santé et autorisations")
        skip_to_content(page)
        type_into(page, "Allergies ou régime alimentaire", "Arachides")
        self.next_step()

        # last step: the two documents through the file chooser
        expect(self.step_heading()).to_contain_text("Pièces et envoi")
        expect(page.locator("section[aria-labelledby=summary-title]")).to_contain_text(
            "Arachides"
        )
        skip_to_content(page)
        self.attach(
            "Attestation d'assurance scolaire",
            "assurance.pdf",
            pdf(),
            "application/pdf",
        )
        self.attach("Carnet de vaccination", "carnet.png", image("PNG"), "image/png")
        self.follow("Envoyer ma demande")
        confirmation = page.locator(".alert-success")
        expect(confirmation).to_contain_text(
            "Votre demande a été envoyée sous le numéro"
        )
        documents = page.locator("#documents")
        expect(documents).to_contain_text("assurance.pdf")
        expect(documents).to_contain_text("carnet.png")


class TestPhoneMenu(KeyboardJourney):
    def test_the_menu_opens_and_leads_by_keyboard(self):
        page = self.page
        page.set_viewport_size({"width": 320, "height": 700})
        page.goto(self.portal_url)
        menu = page.locator("#offcanvasNavbar")
        expect(menu).to_be_hidden()
        tab_to(page, ".navbar-toggler")
        self.press("Enter")
        expect(menu).to_be_visible()
        # once open, the focus is in the menu (a dialog)
        page.wait_for_function(
            "document.getElementById('offcanvasNavbar')"
            ".contains(document.activeElement)"
        )
        # Escape closes it and gives the focus back to its button
        page.keyboard.press("Escape")
        expect(menu).to_be_hidden()
        expect(page.locator(".navbar-toggler")).to_be_focused()
        self.press("Space")
        expect(menu).to_be_visible()
        page.wait_for_function(
            "document.getElementById('offcanvasNavbar')"
            ".contains(document.activeElement)"
        )
        self.follow("Démarches en ligne", max_steps=10)
        expect(page).to_have_url(re.compile("/demarches"))


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
        # the bank's page: every stop visible, then back to its top
        self.assertGreater(len(tab_through(page)), 5)
        skip_to_content(page)
        self.follow("Payer")
        expect(page.locator("#payment-status")).to_have_text("Paiement accepté")
        self.assertGreater(len(tab_through(page)), 5)
        receipt = self.wait_for_mail("amelie.lire@example.org", "V-2026-0412")
        self.assertIn("V-2026-0412", receipt.get_body(("plain",)).get_content())


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
        tab_to(page, "Date de naissance")
        type_date(page, page.locator("#field-birth_date"), "1992-04-05")
        type_into(page, "Adresse électronique", "ines.clavier@example.org")
        self.next_step()
        # the name forgotten: the error summary has the focus, its link
        # leads to the field
        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        assert_focus_visible(page)
        tab_to(page, summary.get_by_role("link", name=re.compile("^Nom")))
        self.press("Enter")
        expect(page.locator("#field-last_name")).to_be_focused()
        assert_focus_visible(page)
        page.keyboard.type("Clavier")
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
        login = re.search(
            r"^\s+(\S+)\s*$", message.get_body(("plain",)).get_content(), re.M
        ).group(1)
        self.assertEqual(login, "inès.clavier")
        skip_to_content(page)
        self.follow("Se connecter")
        expect(page.locator("#__ac_name")).to_be_focused()
        assert_focus_visible(page)
        page.keyboard.type(login)
        type_into(page, "#__ac_password", "Vignes-Illkirch-2026")
        with page.expect_navigation():
            self.press("Enter")
        expect(page.locator("h1")).to_have_text("Mon espace")
        expect(page.locator("main")).to_contain_text("attend sa validation")


class TestFocusCheck(BrowserTestCase):
    """The check itself fails where the focus is not visible."""

    layer = DEMO_FUNCTIONAL_TESTING

    PAGE = """<!doctype html><html lang="fr"><head><style>
      body { margin: 0; font: 16px sans-serif; }
      button { display: block; margin: 1rem; }
      .ring:focus { outline: 3px solid #0b1f33; outline-offset: 2px; }
      .none:focus { outline: none; }
      .glow:focus { outline: none; box-shadow: 0 0 0 4px rgba(0, 123, 177, .25); }
      .pale:focus { outline: 3px solid #dee2e6; }
      .dark { background: #212529; padding: 1rem; }
      .dark .ring:focus { outline-color: #fff; }
      aside { position: fixed; bottom: 0; left: 0; right: 0; height: 120px;
              background: #fff; }
      .under { margin-top: 2000px; }
    </style></head><body>
      <button class="ring">Bien</button>
      <div class="dark"><button class="ring">Sur fond sombre</button></div>
      <button class="none">Sans anneau</button>
      <button class="glow">Halo pâle</button>
      <button class="pale">Anneau pâle</button>
      <button class="ring under">Sous le bandeau</button>
      <aside>Bandeau des cookies</aside>
    </body></html>"""

    def test_what_fails(self):
        page = self.page
        page.set_viewport_size({"width": 800, "height": 600})
        page.set_content(self.PAGE)
        stops = tab_to(page, "Sur fond sombre")
        self.assertEqual(len(stops), 2)
        for name, why in (
            ("Sans anneau", "contrast 0.00:1"),
            ("Halo pâle", "contrast 1.4"),
            ("Anneau pâle", "contrast 1.3"),
            ("Sous le bandeau", "covered by ASIDE"),
        ):
            with self.assertRaises(FocusNotVisible) as failure:
                tab_to(page, name)
            self.assertIn(why, str(failure.exception))
            self.assertTrue(is_focused(page, name))
        page.set_content(self.PAGE)
        with self.assertRaises(AssertionError) as failure:
            tab_to(page, "Ailleurs", max_steps=2, check=False)
        self.assertIn("not reached in 2 Tab", str(failure.exception))


class TestEveryStopOfThePage(KeyboardJourney):
    """Every Tab stop of the pages the journeys start from, header and
    footer included, on a computer and on a phone."""

    def tab_through_both_widths(self, what):
        page = self.page
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 800})
            stops = tab_through(page)
            self.assertGreater(len(stops), 8, f"{what} at {width} px: {stops}")
            self.assertEqual(stops[0], "a « Aller au contenu »", what)

    def tab_through_pages(self, views):
        for view in views:
            self.page.goto(f"{self.portal_url}/{view}")
            self.tab_through_both_widths(view)

    def test_anonymous_pages(self):
        page = self.page
        page.goto(self.portal_url)
        self.tab_through_both_widths("accueil")
        self.tab_through_pages(
            (
                "login",
                "@@creer-un-compte",
                "@@mot-de-passe-oublie",
                "@@suivre-ma-demande",
                "faq",
                "demarches/acte-de-naissance/@@deposer",
                "@@search?SearchableText=inscription",
                "@@sitemap",
            )
        )

    def test_citizen_pages(self):
        self.log_in_by_keyboard(*AMELIE)
        self.tab_through_both_widths("Mon espace")
        self.tab_through_pages(
            (
                "@@mon-espace-compte",
                "@@mon-espace-services",
                "@@mon-espace-demandes",
                "@@mon-espace-factures",
                "@@panier",
                "demarches/inscription-periscolaire",
                "demarches/inscription-periscolaire/@@deposer",
            )
        )

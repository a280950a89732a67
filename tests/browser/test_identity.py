"""Browser tests (Chromium): the town's identity (#15, items 1 and 9).

On the citizen pages, at 1280 and 320 px: the town's logo (its accessible
name) in the header, the town hall's address, hours, phone and the links in
the footer, never « Powered by Plone »; axe-clean. A logo uploaded in Plone's
Site settings replaces the demo one. Printed (print media), a request's page,
« Mes comptes » and a payment's receipt keep the town's heading and leave out
the navigation, the toolbar, the footer and the buttons.
"""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.requests import periscolaire_filing
from illkirch.eservices.testing.sessions import rest_session
from playwright.sync_api import expect
from plone import api

import re
import transaction


TOWN = re.compile("Ville d'Illkirch-Graffenstaden")
WIDTHS = (1280, 320)
FOOTER_TEXTS = (
    "Mairie d'Illkirch-Graffenstaden",
    "181 route de Lyon",
    "67400 Illkirch-Graffenstaden",
    "Du lundi au vendredi",
    "03 53 01 00 00",
)
# link's name: (path, the page's heading)
FOOTER_LINKS = {
    "Suivre ma demande": ("/@@suivre-ma-demande", "Suivre ma demande"),
    "Accessibilité : non conforme": (
        "/@@declaration-accessibilite",
        "Déclaration d'accessibilité",
    ),
    "Mentions légales": ("/mentions-legales", "Mentions légales"),
    "Données personnelles": ("/donnees-personnelles", "Données personnelles"),
}
SERVICE_PAGE = "/demarches/signalement-voie-publique"
ADMIN = ("admin.mairie", "Admin-Mairie-2026")


class TestIdentity(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def check_identity(self, what):
        page = self.page
        logo = page.locator("#portal-logo")
        expect(logo).to_be_visible()
        expect(logo).to_have_accessible_name(TOWN)
        expect(logo).to_have_attribute("href", self.portal_url)
        # the logo's image is loaded and fits the screen
        self.assertTrue(
            logo.locator("img").evaluate("img => img.complete && img.naturalWidth > 0"),
            what,
        )
        box = logo.bounding_box()
        self.assertLessEqual(box["x"] + box["width"], page.viewport_size["width"])
        footer = page.locator("#portal-footer-wrapper")
        for text in FOOTER_TEXTS:
            expect(footer).to_contain_text(text)
        expect(footer.get_by_role("link", name="03 53 01 00 00")).to_have_attribute(
            "href", "tel:0353010000"
        )
        links = footer.get_by_role("navigation", name="Informations sur le site")
        for name, (path, _heading) in FOOTER_LINKS.items():
            expect(links.get_by_role("link", name=name, exact=True)).to_have_attribute(
                "href", f"{self.portal_url}{path}"
            )
        expect(page.locator("link[rel=icon]")).to_have_attribute(
            "href",
            f"{self.portal_url}/++plone++illkirch.eservices/favicon-illkirch.svg",
        )
        html = page.content()
        for plone in ("Powered by Plone", "Plone Foundation", "plone-logo.svg"):
            self.assertNotIn(plone, html, what)
        self.assert_accessible(what)

    def test_header_and_footer_on_citizen_pages(self):
        page = self.page
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            self.logout()
            for what, path in (("accueil", ""), ("connexion", "/login")):
                page.goto(f"{self.portal_url}{path}")
                self.check_identity(f"{what} à {width} px")
            self.login(*AMELIE)
            for what, path in (
                ("Mon espace", "/@@mon-espace"),
                ("page d'une démarche", SERVICE_PAGE),
            ):
                page.goto(f"{self.portal_url}{path}")
                self.check_identity(f"{what} à {width} px")

    def test_footer_links_lead_to_the_pages(self):
        page = self.page
        for name, (path, heading) in FOOTER_LINKS.items():
            page.goto(self.portal_url)
            page.locator("#portal-footer-wrapper").get_by_role(
                "link", name=name, exact=True
            ).click()
            expect(page).to_have_url(f"{self.portal_url}{path}")
            expect(page.locator("h1")).to_contain_text(heading)
            self.assert_accessible(heading)

    def test_logo_set_in_the_control_panel(self):
        api.user.create(
            email="admin.mairie@illkirch.example", username=ADMIN[0], password=ADMIN[1]
        )
        api.user.grant_roles(username=ADMIN[0], roles=["Site Administrator"])
        transaction.commit()
        page = self.page
        self.login(*ADMIN)
        page.goto(f"{self.portal_url}/@@site-controlpanel")
        page.locator("input[type=file][name='form.widgets.site_logo']").set_input_files(
            {"name": "armoiries.png", "mimeType": "image/png", "buffer": image("PNG")}
        )
        page.locator("#form-buttons-save").click()
        expect(page.locator(".portalMessage").first).to_be_visible()
        self.logout()
        page.goto(self.portal_url)
        logo = page.locator("#portal-logo img")
        expect(logo).to_have_attribute("src", re.compile("/@@site-logo/armoiries.png$"))
        self.assertTrue(logo.evaluate("img => img.complete && img.naturalWidth > 0"))
        expect(page.locator("#portal-logo")).to_have_accessible_name(TOWN)
        self.assertNotIn("logo-illkirch.svg", page.content())

    # print ---------------------------------------------------------------

    def check_print(self, what, button, toolbar=False):
        """On screen then printed: the town's heading stays, the navigation,
        the footer, the toolbar and the buttons (``button``) go."""
        page = self.page
        screen_only = ["#mainnavigation-wrapper", "#portal-footer-wrapper", button]
        if toolbar:
            screen_only.append("#edit-zone")
        for selector in screen_only:
            expect(page.locator(selector).first).to_be_visible()
        page.emulate_media(media="print")
        for selector in screen_only:
            expect(page.locator(selector).first, f"{what}: {selector}").to_be_hidden()
        expect(page.locator(".eservices-tabs")).to_be_hidden()
        expect(page.locator("#portal-logo img")).to_be_visible()
        expect(page.locator("#portal-logo")).to_have_accessible_name(TOWN)
        expect(page.locator("h1").first).to_be_visible()
        page.emulate_media(media="screen")

    def file_request(self):
        child = next(
            person
            for person in household_of("amelie.lire").persons()
            if person.member_type == "child"
        )
        session = rest_session(self.portal_url, *AMELIE)
        self.addCleanup(session.close)
        response = session.post(
            f"{self.portal_url}/@requests", json=periscolaire_filing(child.getId())
        )
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()["@id"]

    def test_print_a_request_page(self):
        url = self.file_request()
        page = self.page
        self.login(*AGENT)
        page.goto(url)
        expect(page.locator("#traitement")).to_be_visible()
        self.check_print(
            "page d'une demande (agent)", "#traitement button", toolbar=True
        )
        page.emulate_media(media="print")
        expect(page.locator("#traitement form")).to_be_hidden()
        page.emulate_media(media="screen")
        self.logout()
        self.login(*AMELIE)
        page.goto(url)
        page.emulate_media(media="print")
        expect(page.locator("#portal-logo img")).to_be_visible()
        # the citizen's request sits in « Mon espace »: its heading is a section's
        expect(
            page.get_by_role(
                "heading", name=re.compile("Inscription périscolaire")
            ).first
        ).to_be_visible()
        for selector in ("#mainnavigation-wrapper", "#portal-footer-wrapper"):
            expect(page.locator(selector)).to_be_hidden()

    def test_print_my_accounts_and_a_receipt(self):
        page = self.page
        self.login(*AMELIE)
        page.goto(f"{self.portal_url}/@@mon-espace-factures")
        self.check_print("Mes comptes", "#factures-a-payer button")
        expect(page.locator("#factures-a-payer table")).to_be_visible()
        expect(
            page.get_by_role("button", name=re.compile("Ajouter au panier")).first
        ).to_be_visible()  # back on screen

        row = page.locator("#factures-a-payer tr", has_text="V-2026-0412")
        row.get_by_role("button", name=re.compile("Ajouter au panier")).click()
        page.goto(f"{self.portal_url}/@@panier")
        page.get_by_role("button", name="Payer par carte").click()
        page.get_by_role("button", name="Payer", exact=True).click()
        expect(page.locator("#payment-status")).to_have_text("Paiement accepté")
        page.emulate_media(media="print")
        expect(page.locator("#payment-status")).to_be_visible()
        expect(page.locator("#portal-logo img")).to_be_visible()
        for selector in (
            "#mainnavigation-wrapper",
            "#portal-footer-wrapper",
            ".eservices-tabs",
        ):
            expect(page.locator(selector)).to_be_hidden()

"""Browser tests (Chromium): ways that lead somewhere (#15 items 3 and 6).
The citizen's user menu, where a login lands, the FAQ inside the site, a
request's page in « Mon espace » for its citizen and for agents, each page
checked by axe-core at 1280 and 320 px."""

from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from playwright.sync_api import expect
from plone.app.testing import login
from plone.app.testing import logout

import re
import transaction


WIDTHS = (1280, 320)


class TestWays(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def accessible_at_every_width(self, what):
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 900})
            self.assert_accessible(f"{what} ({width} px)")
        self.page.set_viewport_size({"width": 1280, "height": 900})

    def file_request(self):
        portal = self.layer["portal"]
        login(portal, "amélie.lire")
        filed = submission.submit(
            portal["demarches"]["signalement-voie-publique"],
            dict(SIGNALEMENT_ANSWERS),
        )
        logout()
        transaction.commit()
        return filed.absolute_url()

    def test_citizen_user_menu(self):
        page = self.page
        self.login(*AMELIE)
        page.goto(self.portal_url)
        page.locator("#portal-membertools #user-name").click()
        menu = page.locator("#portal-membertools .dropdown-menu")
        expect(menu).to_be_visible()
        expect(menu.get_by_role("link")).to_have_text(
            ["Mon espace", "Mon compte", "Se déconnecter"]
        )
        self.accessible_at_every_width("menu de l'usager ouvert")
        menu.get_by_role("link", name="Mon compte").click()
        expect(page).to_have_url(f"{self.portal_url}/@@mon-espace-compte")
        expect(page.locator("#eservices-tab-title")).to_have_text("Compte")
        # Plone's dashboard leads to « Mon espace »
        page.goto(f"{self.portal_url}/@@dashboard")
        expect(page).to_have_url(f"{self.portal_url}/@@mon-espace")

    def test_login_lands_on_my_space_or_where_the_citizen_was_going(self):
        page = self.page
        self.login(*AMELIE)
        expect(page).to_have_url(f"{self.portal_url}/@@mon-espace")
        self.logout()
        page.goto(f"{self.portal_url}/@@mon-espace-factures")
        page.fill("#__ac_name", AMELIE[0])
        page.fill("#__ac_password", AMELIE[1])
        page.click("#login-form button[type=submit]")
        expect(page).to_have_url(f"{self.portal_url}/@@mon-espace-factures")
        self.logout()
        self.login(*AGENT)
        expect(page).to_have_url(f"{self.portal_url}/@@guichet")

    def test_login_from_the_home_page_lands_on_my_space(self):
        page = self.page
        page.goto(self.portal_url)
        page.get_by_role("link", name="Se connecter").first.click()
        page.locator("#__ac_name").fill(AMELIE[0])
        page.locator("#__ac_password").fill(AMELIE[1])
        page.locator("#__ac_password").press("Enter")
        expect(page).to_have_url(f"{self.portal_url}/@@mon-espace")
        expect(page.locator("h1")).to_have_text("Mon espace")

    def test_faq_leads_to_the_site(self):
        page = self.page
        page.goto(f"{self.portal_url}/faq")
        home = re.compile(re.escape(self.portal_url) + "/?$")
        logo = page.locator("#portal-logo")
        expect(logo).to_have_attribute("href", home)
        home_tab = page.locator("#portal-globalnav").get_by_role(
            "link", name="Accueil", exact=True
        )
        expect(home_tab).to_have_attribute("href", home)
        breadcrumbs = page.locator("#portal-breadcrumbs")
        expect(breadcrumbs.get_by_role("link", name="Accueil")).to_have_attribute(
            "href", home
        )
        self.accessible_at_every_width("FAQ")
        # its answers link to the pages they name
        page.get_by_role("link", name="Créer un compte", exact=True).first.click()
        expect(page).to_have_url(f"{self.portal_url}/@@creer-un-compte")
        page.goto(f"{self.portal_url}/faq")
        logo.click()
        expect(page).to_have_url(home)
        page.goto(f"{self.portal_url}/faq")
        home_tab.click()
        expect(page).to_have_url(home)

    def test_citizen_request_page_in_my_space(self):
        url = self.file_request()
        page = self.page
        self.login(*AMELIE)
        page.goto(url)
        expect(page.locator("h1")).to_have_text("Mon espace")
        tabs = page.get_by_role("navigation", name="Rubriques de mon espace")
        expect(tabs.locator("[aria-current=true]")).to_have_text("Demandes")
        expect(page.locator("h2#eservices-tab-title")).to_contain_text("Signalement")
        expect(page.get_by_role("heading", name="Vos réponses")).to_be_visible()
        expect(page.locator("#portal-breadcrumbs")).to_have_count(0)
        expect(page.locator(".documentByLine")).to_have_count(0)
        # no way into the households' folders (the request's own downloads
        # aside: its official documents, #18)
        expect(page.locator("a[href*='/foyers']:not([download])")).to_have_count(0)
        expect(page.get_by_text("Foyers", exact=True)).to_have_count(0)
        self.accessible_at_every_width("demande (usager)")
        page.get_by_role("link", name="Retour à mes demandes").click()
        expect(page).to_have_url(f"{self.portal_url}/@@mon-espace-demandes")

    def test_agent_request_page(self):
        url = self.file_request()
        page = self.page
        self.login(*VOIRIE)
        page.goto(url)
        expect(page.locator("h1")).to_contain_text("Signalement")
        expect(
            page.get_by_role("heading", name="Réponses du demandeur")
        ).to_be_visible()
        expect(page.locator("#plone-contentmenu-workflow")).to_have_count(0)
        expect(page.locator("#plone-contentmenu-actions")).to_have_count(0)
        self.accessible_at_every_width("demande (agent)")
        page.get_by_role("link", name="Retour au Guichet").click()
        expect(page).to_have_url(f"{self.portal_url}/@@guichet")

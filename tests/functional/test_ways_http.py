"""Ways that lead somewhere (#15 items 3 and 6), over HTTP: Plone's member
pages send citizens to « Mon espace », a login lands on the visitor's own
page, citizens meet no breadcrumb nor byline, and on a request Plone's
« État » and « Actions » menus are for administrators only."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import EDITOR
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import re
import requests
import unittest


OWNER = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
# Plone's member page -> where a citizen is sent
MEMBER_PAGES = {
    "@@dashboard": "/@@mon-espace",
    "dashboard": "/@@mon-espace",
    "@@personal-preferences": "/@@mon-espace",
    "@@user-preferences": "/@@mon-espace",
    "@@personal-information": "/@@mon-espace-compte",
    "@@user-information": "/@@mon-espace-compte",
}
BREADCRUMBS = 'id="portal-breadcrumbs"'
BYLINE = "documentByLine"
STATE_MENU = 'id="plone-contentmenu-workflow"'
ACTIONS_MENU = 'id="plone-contentmenu-actions"'


class WaysTestCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()

    def browser(self, account):
        session = cookie_session(self.url, *account)
        self.addCleanup(session.close)
        return session

    def get(self, session_or_auth, path, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        url = path if path.startswith("http") else f"{self.url}/{path}"
        if isinstance(session_or_auth, tuple):
            return requests.get(url, auth=session_or_auth, **kwargs)
        return session_or_auth.get(url, **kwargs)

    def file_request(self, account=AMELIE):
        session = rest_session(self.url, *account)
        self.addCleanup(session.close)
        filed = session.post(
            f"{self.url}/@requests",
            json={
                "service": "signalement-voie-publique",
                "answers": SIGNALEMENT_ANSWERS,
            },
        )
        self.assertEqual(filed.status_code, 201, filed.text)
        return filed.json()["@id"]


class TestPloneMemberPages(WaysTestCase):
    """Item 3: Plone's dashboard, preferences and personal information."""

    def test_citizens_are_sent_to_my_space(self):
        for account in (AMELIE, JEROME):
            browser = self.browser(account)
            for page, target in MEMBER_PAGES.items():
                response = self.get(browser, page)
                self.assertEqual(response.status_code, 302, (account[0], page))
                self.assertEqual(
                    response.headers["Location"], f"{self.url}{target}", page
                )

    def test_agents_are_not_sent_to_my_space(self):
        response = self.get(AGENT, "@@dashboard")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Tableau de bord", response.text)
        for page in ("@@personal-preferences", "@@personal-information"):
            response = self.get(AGENT, page)
            self.assertNotIn("mon-espace", response.headers.get("Location", ""), page)
        # Plone's personal information stays closed to them (#13)
        self.assertTrue(
            self.get(AGENT, "@@personal-information")
            .headers["Location"]
            .endswith("/@@changer-courriel")
        )

    def test_editors_and_administrators_keep_plones_pages(self):
        self.assertEqual(self.get(EDITOR, "@@dashboard").status_code, 200)
        for page in MEMBER_PAGES:
            response = self.get(OWNER, page)
            self.assertEqual(response.status_code, 200, page)

    def test_anonymous_visitors_are_asked_to_log_in(self):
        response = requests.get(f"{self.url}/@@dashboard")
        self.assertIn("__ac_password", response.text)
        self.assertNotIn("Tableau de bord", response.text)


class TestLoginLanding(WaysTestCase):
    """Item 6: where a login lands."""

    def login(self, account, came_from=""):
        response = requests.post(
            f"{self.url}/login",
            data={
                "__ac_name": account[0],
                "__ac_password": account[1],
                "came_from": came_from,
                "buttons.login": "Se connecter",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 302, response.text[:300])
        return response.headers["Location"]

    def test_citizens_land_on_my_space(self):
        self.assertEqual(self.login(AMELIE), f"{self.url}/@@mon-espace")
        self.assertEqual(self.login(JEROME, self.url), f"{self.url}/@@mon-espace")
        self.assertEqual(self.login(AMELIE, f"{self.url}/"), f"{self.url}/@@mon-espace")
        # after creating an account, not back to its form
        self.assertEqual(
            self.login(JEROME, f"{self.url}/@@creer-un-compte"),
            f"{self.url}/@@mon-espace",
        )

    def test_citizens_go_where_they_were_going(self):
        going = f"{self.url}/@@mon-espace-factures"
        self.assertEqual(self.login(AMELIE, going), going)
        self.assertEqual(self.login(AMELIE, f"{self.url}/faq"), f"{self.url}/faq")

    def test_agents_land_on_the_guichet(self):
        self.assertEqual(self.login(AGENT), f"{self.url}/@@guichet")
        going = f"{self.url}/@@comptes-a-valider"
        self.assertEqual(self.login(AGENT, going), going)

    def test_editors_keep_plones_landing(self):
        self.assertEqual(self.login(EDITOR).rstrip("/"), self.url)


class TestRequestPage(WaysTestCase):
    """Item 6: a request's page in « Mon espace », for agents their own."""

    def test_citizen_sees_my_space_and_no_breadcrumb(self):
        url = self.file_request()
        html = self.get(self.browser(AMELIE), url).text
        self.assertIn('aria-label="Rubriques de mon espace"', html)
        self.assertRegex(html, r'aria-current="true"[^>]*>Demandes<|>Demandes</a>')
        self.assertIn(f'href="{self.url}/@@mon-espace-demandes"', html)
        self.assertIn("Retour à mes demandes", html)
        self.assertIn("Vos réponses", html)
        self.assertNotIn(BREADCRUMBS, html)
        self.assertNotIn(BYLINE, html)
        self.assertNotIn("Foyers", html)
        # no way into the households' folders (the request's own downloads
        # are the request's, below it)
        self.assertNotRegex(
            html, f'<a [^>]*href="{self.url}/foyers(?!/[^"/]+/{url.rsplit("/", 1)[1]}/)'
        )
        self.assertNotIn("portletNavigationTree", html)
        self.assertNotIn("Retour au Guichet", html)

    def test_agent_sees_agents_wording_and_the_guichet(self):
        url = self.file_request()
        html = self.get(VOIRIE, url).text
        self.assertIn("Réponses du demandeur", html)
        self.assertNotIn("Vos réponses", html)
        self.assertIn("Retour au Guichet", html)
        self.assertIn(f'href="{self.url}/@@guichet"', html)
        self.assertNotIn("Retour à mes demandes", html)
        self.assertNotIn('aria-label="Rubriques de mon espace"', html)
        self.assertIn(BREADCRUMBS, html)  # the staff keep Plone's ways

    def test_state_and_actions_menus_for_administrators_only(self):
        url = self.file_request()
        agent = self.get(VOIRIE, url).text
        self.assertIn('id="edit-zone"', agent)  # the agent has the toolbar
        self.assertNotIn(STATE_MENU, agent)
        self.assertNotIn(ACTIONS_MENU, agent)
        owner = self.get(OWNER, url).text
        self.assertIn(STATE_MENU, owner)
        self.assertIn(ACTIONS_MENU, owner)

    def test_households_page_leads_citizens_to_my_space(self):
        import transaction

        transaction.begin()
        household = household_of("amelie.lire").absolute_url()
        response = self.get(self.browser(AMELIE), household)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            response.headers["Location"], f"{self.url}/@@mon-espace-compte"
        )
        self.assertEqual(self.get(AGENT, household).status_code, 200)

    def test_citizens_meet_no_byline_on_plone_pages(self):
        html = self.get(self.browser(AMELIE), f"{self.url}/faq/creer-un-compte").text
        self.assertNotIn(BYLINE, html)
        self.assertNotIn(BREADCRUMBS, html)
        anonymous = requests.get(f"{self.url}/faq").text
        self.assertIn(BREADCRUMBS, anonymous)

    def test_citizens_search_without_bylines_nor_folders(self):
        """Plone's search lists a citizen's own request without « par … »
        nor « Situé dans » links into the households' folders; the staff
        keep both."""
        url = self.file_request()
        search = "@@search?SearchableText=signalement&portal_type=Request"
        html = self.get(self.browser(AMELIE), search).text
        self.assertIn(f'href="{url}', html)
        self.assertNotIn("documentAuthor", html)
        self.assertNotIn("text_searchitem_location", html)
        self.assertNotIn("Situé dans", html)
        self.assertNotRegex(html, f'<a [^>]*href="{self.url}/foyers/[^"/]*"')
        staff = self.get(OWNER, search).text
        self.assertIn(f'href="{url}', staff)
        self.assertIn("documentAuthor", staff)
        self.assertIn("Situé dans", staff)


class TestFAQInTheSite(WaysTestCase):
    """Item 6: the FAQ's links lead to the site."""

    def test_faq_links_lead_to_the_site(self):
        html = requests.get(f"{self.url}/faq").text
        self.assertNotIn(f'href="{self.url}/faq/login"', html)
        self.assertNotIn(f'action="{self.url}/faq/@@search"', html)
        self.assertIn(f'action="{self.url}/@@search"', html)
        home = re.search(r'<li class="[^"]*index_html[^"]*">\s*<a href="([^"]+)"', html)
        self.assertIsNotNone(home, "no « Accueil » in the main navigation")
        self.assertEqual(home.group(1).rstrip("/"), self.url)

    def test_create_account_is_a_link(self):
        html = requests.get(f"{self.url}/faq").text
        self.assertIn(
            f'<a href="{self.url}/@@creer-un-compte">Créer un compte</a>', html
        )
        question = requests.get(f"{self.url}/faq/creer-un-compte").text
        self.assertIn(f'href="{self.url}/@@creer-un-compte"', question)

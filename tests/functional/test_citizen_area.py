"""The citizen area "Mon espace" over HTTP."""

from illkirch.eservices.testing import FUNCTIONAL_TESTING
from illkirch.eservices.testing.sessions import ACCEPT_JSON
from plone import api
from urllib.parse import unquote

import requests
import transaction
import unittest


TABS = ["Accueil", "Compte", "Services", "Demandes", "Mes documents", "Mes comptes"]
VIEWS = [
    "mon-espace",
    "mon-espace-compte",
    "mon-espace-services",
    "mon-espace-demandes",
    "mon-espace-documents",
    "mon-espace-factures",
]


class TestCitizenArea(unittest.TestCase):
    layer = FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        api.user.create(
            email="lea@example.org",
            username="lea.martin",
            password="Secret-Password-2026",
            properties={"fullname": "Léa Martin"},
        )
        transaction.commit()
        self.session = requests.Session()

    def login(self):
        response = self.session.post(
            f"{self.url}/@login",
            json={"login": "lea.martin", "password": "Secret-Password-2026"},
            headers=ACCEPT_JSON,
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.session.headers["Authorization"] = f"Bearer {response.json()['token']}"

    def test_anonymous_sent_to_login(self):
        for view in VIEWS:
            response = self.session.get(f"{self.url}/@@{view}", allow_redirects=False)
            self.assertEqual(response.status_code, 302, view)
            location = unquote(response.headers["Location"])
            self.assertIn("require_login", location)
            self.assertIn(f"came_from=/plone/@@{view}", location)
        # and the login page is reached
        response = self.session.get(f"{self.url}/@@mon-espace")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="__ac_password"', response.text)

    def test_tabs_for_a_member(self):
        self.login()
        for view, label in zip(VIEWS, TABS, strict=True):
            response = self.session.get(f"{self.url}/@@{view}")
            self.assertEqual(response.status_code, 200, view)
            html = response.text
            self.assertIn('lang="fr"', html)
            self.assertIn("Bienvenue, Léa Martin.", html)
            for other in TABS:
                self.assertIn(f">{other}</a>", html)
            self.assertIn(f'aria-current="page">{label}</a>', html)
            self.assertEqual(html.count('aria-current="page"'), 1)
            self.assertIn(f"<title>{label} — ", html)

    def test_user_menu_links_to_my_space(self):
        self.login()
        html = self.session.get(self.url).text
        self.assertIn(f'href="{self.url}/@@mon-espace"', html)
        self.assertIn("Mon espace", html)


class TestSettingsControlPanel(unittest.TestCase):
    layer = FUNCTIONAL_TESTING

    def test_site_administrator_edits_the_settings(self):
        from plone.app.testing import SITE_OWNER_NAME
        from plone.app.testing import SITE_OWNER_PASSWORD

        url = self.layer["portal"].absolute_url()
        session = requests.Session()
        session.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        html = session.get(f"{url}/@@eservices-settings").text
        self.assertIn("Réglages de l'Espace citoyen", html)
        self.assertIn("Adresse postale de la mairie", html)
        # through the REST API too
        response = session.patch(
            f"{url}/@controlpanels/eservices-settings",
            headers=ACCEPT_JSON,
            json={"town_name": "Ville test"},
        )
        self.assertEqual(response.status_code, 204, response.text)
        data = session.get(
            f"{url}/@controlpanels/eservices-settings", headers=ACCEPT_JSON
        ).json()
        self.assertEqual(data["data"]["town_name"], "Ville test")
        self.assertEqual(data["title"], "Espace citoyen")

    def test_member_cannot_open_the_settings(self):
        url = self.layer["portal"].absolute_url()
        api.user.create(
            email="x@example.org", username="citoyen", password="Secret-Password-2026"
        )
        transaction.commit()
        response = requests.get(
            f"{url}/@@eservices-settings",
            auth=("citoyen", "Secret-Password-2026"),
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 401, 403))

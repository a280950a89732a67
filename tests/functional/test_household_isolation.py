"""Citizen A never reaches household B: pages, download, REST; by path, id
and UID. Every answer must be 401, 403 or 404 (or a redirection to the login
form), never B's data."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.sessions import rest_session

import requests
import unittest


REFUSED = (401, 403, 404)


class TestIsolation(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING
    # a word of the citizen's own data (test_franceconnect_isolation.py: the
    # same tests for an account made through FranceConnect)
    own_marker = "Amélie"

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.set_up_household_b()
        self.log_in()

    def set_up_household_b(self):
        other = household_of("jerome.attente")  # household B
        self.other_url = other.absolute_url()
        self.other_uid = other.UID()
        self.other_member = other.holder()
        self.secret_markers = (
            "Jérôme Attente",
            "jerome.attente@example.org",
            "allée des Tilleuls",
        )

    def log_in(self):
        self.api = rest_session(self.url, "amelie.lire", PASSWORDS["amelie.lire"])
        self.browser = requests.Session()
        self.browser.post(
            f"{self.url}/login",
            data={
                "__ac_name": "amelie.lire",
                "__ac_password": PASSWORDS["amelie.lire"],
                "buttons.login": "Se connecter",
            },
        )

    def assert_refused(self, response, what):
        if response.status_code in (301, 302, 303):
            self.assertIn("login", response.headers.get("Location", ""), what)
        else:
            self.assertIn(response.status_code, REFUSED, what)
        for marker in self.secret_markers:
            self.assertNotIn(marker, response.text, what)

    def test_pages_and_downloads(self):
        member = f"{self.other_url}/{self.other_member.getId()}"
        for path in (
            self.other_url,
            f"{self.other_url}/view",
            f"{self.other_url}/edit",
            f"{self.other_url}/folder_contents",
            f"{self.other_url}/@@historyview",
            member,
            f"{member}/edit",
            f"{self.url}/foyers",
            f"{self.url}/foyers/folder_contents",
            f"{self.url}/@@comptes-a-valider",
            f"{self.url}/@@modifier-membre?membre={self.other_member.getId()}",
            f"{self.url}/@@retirer-membre?membre={self.other_member.getId()}",
        ):
            self.assert_refused(self.browser.get(path, allow_redirects=False), path)
        # resolveuid only redirects to the URL, which is refused
        response = self.browser.get(f"{self.url}/resolveuid/{self.other_uid}")
        self.assertIn(response.status_code, REFUSED + (200,))
        if response.status_code == 200:  # Plone's page after the challenge
            self.assertIn("Privilèges insuffisants", response.text)
        for marker in self.secret_markers:
            self.assertNotIn(marker, response.text)
        # her own download holds her household only
        mine = self.browser.get(f"{self.url}/@@mes-donnees.json")
        self.assertEqual(mine.status_code, 200)
        self.assertIn(self.own_marker, mine.text)
        for marker in self.secret_markers:
            self.assertNotIn(marker, mine.text)

    def test_rest_routes(self):
        member_id = self.other_member.getId()
        for method, path, body in (
            ("GET", self.other_url, None),
            ("GET", f"{self.other_url}/{member_id}", None),
            ("PATCH", self.other_url, {"city": "X"}),
            ("PATCH", f"{self.other_url}/{member_id}", {"first_name": "X"}),
            ("DELETE", f"{self.other_url}/{member_id}", None),
            ("POST", f"{self.other_url}/@workflow/validate", {}),
            ("GET", f"{self.other_url}/@history", None),
            ("GET", f"{self.other_url}/@sharing", None),
            ("GET", f"{self.url}/@household/members/{member_id}", None),
            (
                "PATCH",
                f"{self.url}/@household/members/{member_id}",
                {"first_name": "X"},
            ),
            ("DELETE", f"{self.url}/@household/members/{member_id}", None),
            ("GET", f"{self.url}/@accounts", None),
            ("GET", f"{self.url}/foyers", None),
        ):
            response = self.api.request(method, path, json=body)
            if method == "POST" and "@workflow" in path and response.status_code == 400:
                continue  # the transition is refused: not available to her
            self.assert_refused(response, f"{method} {path}")

    def test_search_by_uid_and_type_finds_nothing_of_b(self):
        for query in (
            {"UID": self.other_uid},
            {"portal_type": "Household"},
            {"portal_type": "Person", "fullobjects": "1"},
            {"SearchableText": "Attente"},
        ):
            response = self.api.get(f"{self.url}/@search", params=query)
            self.assertEqual(response.status_code, 200)
            items = response.json()["items"]
            ids = [item["@id"] for item in items]
            self.assertFalse([i for i in ids if i.startswith(self.other_url)], query)
            for marker in self.secret_markers:
                self.assertNotIn(marker, str(items), query)

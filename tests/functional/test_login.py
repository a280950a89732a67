"""Logging in: accents optional, email address, 5 failures lock 15 minutes."""

from illkirch.eservices.accounts.pas import PLUGIN_ID
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.sessions import JSON_HEADERS

import requests
import transaction
import unittest


PASSWORD = PASSWORDS["amelie.lire"]


class TestLogin(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.sink = self.layer["mailsink"]

    def rest_login(self, login, password):
        return requests.post(
            f"{self.url}/@login",
            headers=JSON_HEADERS,
            json={"login": login, "password": password},
        )

    def form_login(self, login, password):
        session = requests.Session()
        form = session.get(f"{self.url}/login")
        response = session.post(
            f"{self.url}/login",
            data={
                "__ac_name": login,
                "__ac_password": password,
                "buttons.login": "Se connecter",
                "came_from": "",
            },
        )
        return form, response, session

    def test_identifier_with_or_without_accents_or_email(self):
        for login in (
            "amélie.lire",
            "amelie.lire",
            "Amelie.Lire",
            "AMÉLIE.LIRE",
            "amelie.lire@example.org",
            "AMELIE.LIRE@EXAMPLE.ORG",
        ):
            response = self.rest_login(login, PASSWORD)
            self.assertEqual(response.status_code, 200, login)
            self.assertIn("token", response.json())

    def test_login_form_accepts_the_identifier_without_accents(self):
        _form, response, session = self.form_login("amelie.lire", PASSWORD)
        self.assertEqual(response.status_code, 200)
        self.assertIn("__ac", session.cookies)

    def test_five_failures_lock_fifteen_minutes_and_mail_the_owner(self):
        for _ in range(5):
            self.assertEqual(self.rest_login("amelie.lire", "wrong").status_code, 401)
        locked = self.rest_login("amélie.lire", PASSWORD)  # right password, refused
        self.assertEqual(locked.status_code, 401)
        self.assertIn("bloquée pendant 15 minutes", locked.json()["error"]["message"])
        self.assertEqual(
            self.rest_login("amelie.lire@example.org", PASSWORD).status_code, 401
        )
        messages = [
            m for m in self.sink.messages() if m["To"] == "amelie.lire@example.org"
        ]
        self.assertEqual(len(messages), 1)
        self.assertIn("bloquée", messages[0]["Subject"])
        # the classic form says the same
        _form, response, session = self.form_login("amelie.lire", PASSWORD)
        self.assertIn("bloquée pendant 15 minutes", response.text)
        self.assertNotIn("__ac", session.cookies)
        # 15 minutes later (failures aged), the right password works again
        transaction.begin()
        storage = self.portal.acl_users[PLUGIN_ID]._failures
        storage["amelie.lire"] = tuple(t - 16 * 60 for t in storage["amelie.lire"])
        transaction.commit()
        self.assertEqual(self.rest_login("amelie.lire", PASSWORD).status_code, 200)

    def test_unknown_identifier_answers_the_same(self):
        known = [self.rest_login("amelie.lire", "wrong") for _ in range(6)]
        unknown = [self.rest_login("personne.inconnue", "wrong") for _ in range(6)]
        self.assertEqual(
            [r.status_code for r in known], [r.status_code for r in unknown]
        )
        self.assertEqual(known[0].json(), unknown[0].json())
        self.assertEqual(known[-1].json(), unknown[-1].json())
        self.assertIn("bloquée", unknown[-1].json()["error"]["message"])

    def test_other_accounts_not_locked(self):
        for _ in range(6):
            self.rest_login("amelie.lire", "wrong")
        self.assertEqual(self.rest_login(*JEROME).status_code, 200)

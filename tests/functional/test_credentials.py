"""Changing one's password (current one required) and email (password and a
confirmation link to the new address)."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.sessions import JSON_HEADERS
from illkirch.eservices.testing.sessions import rest_session

import re
import requests
import unittest


OLD = PASSWORDS["amelie.lire"]


class TestCredentials(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.sink = self.layer["mailsink"]

    def session(self, login="amelie.lire", password=OLD):
        return rest_session(self.url, login, password)

    def can_login(self, login, password):
        return (
            requests.post(
                f"{self.url}/@login",
                headers=JSON_HEADERS,
                json={"login": login, "password": password},
            ).status_code
            == 200
        )

    def test_change_password_needs_the_current_one(self):
        session = self.session()
        wrong = session.post(
            f"{self.url}/@account-password",
            json={
                "current_password": "pas-le-bon",
                "password": "Autre-Secret-2026",
                "password_confirm": "Autre-Secret-2026",
            },
        )
        self.assertEqual(wrong.status_code, 400)
        self.assertEqual(
            wrong.json()["error"]["errors"][0]["field"], "current_password"
        )
        self.assertIn(
            "mot de passe actuel", wrong.json()["error"]["errors"][0]["message"]
        )
        weak = session.post(
            f"{self.url}/@account-password",
            json={
                "current_password": OLD,
                "password": "abc",
                "password_confirm": "abc",
            },
        )
        self.assertEqual(weak.status_code, 400)
        ok = session.post(
            f"{self.url}/@account-password",
            json={
                "current_password": OLD,
                "password": "Autre-Secret-2026",
                "password_confirm": "Autre-Secret-2026",
            },
        )
        self.assertEqual(ok.status_code, 204, ok.text)
        self.assertTrue(self.can_login("amelie.lire", "Autre-Secret-2026"))
        self.assertFalse(self.can_login("amelie.lire", OLD))
        self.assertIn("modifié", self.sink.messages()[-1]["Subject"])
        # « Compte »'s history names the change in French, not by its code
        page = self.session(password="Autre-Secret-2026").get(
            f"{self.url}/@@mon-espace-compte", headers={"Accept": "text/html"}
        )
        self.assertEqual(page.status_code, 200)
        history = page.text[page.text.index('id="history"') :]
        self.assertIn("Mot de passe modifié", history)
        self.assertNotIn("password_changed", history)

    def test_change_email_after_confirmation_only(self):
        session = self.session()
        wrong = session.post(
            f"{self.url}/@account-email",
            json={"password": "faux", "email": "nouvelle@example.org"},
        )
        self.assertEqual(wrong.status_code, 400)
        response = session.post(
            f"{self.url}/@account-email",
            json={"password": OLD, "email": "nouvelle@example.org"},
        )
        self.assertEqual(response.status_code, 202, response.text)
        message = self.sink.messages()[-1]
        self.assertEqual(message["To"], "nouvelle@example.org")
        # not changed yet
        self.assertTrue(self.can_login("amelie.lire@example.org", OLD))
        self.assertFalse(self.can_login("nouvelle@example.org", OLD))
        token = re.search(
            r"confirmer-courriel\?token=([\w\-]+)",
            message.get_body(("plain",)).get_content(),
        ).group(1)
        confirm = requests.get(
            f"{self.url}/@@confirmer-courriel",
            params={"token": token},
            allow_redirects=False,
        )
        self.assertEqual(confirm.status_code, 302)
        self.assertTrue(self.can_login("nouvelle@example.org", OLD))
        self.assertFalse(self.can_login("amelie.lire@example.org", OLD))
        # the old address is told; the link works once
        self.assertIn(
            "amelie.lire@example.org", [m["To"] for m in self.sink.messages()]
        )
        again = requests.post(
            f"{self.url}/@account-email/{token}", headers=JSON_HEADERS
        )
        self.assertEqual(again.status_code, 400)

    def test_pending_account_cannot_change_its_email(self):
        session = self.session(*JEROME)
        response = session.post(
            f"{self.url}/@account-email",
            json={"password": PASSWORDS["jerome.attente"], "email": "j@example.org"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("validation", response.json()["error"]["errors"][0]["message"])

    def test_anonymous_refused(self):
        for route in ("@account-password", "@account-email"):
            response = requests.post(
                f"{self.url}/{route}", headers=JSON_HEADERS, json={}
            )
            self.assertEqual(response.status_code, 401, route)

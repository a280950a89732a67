"""Lost password: single-use link valid 24 hours, ends the other sessions."""

from illkirch.eservices.accounts.password_reset import RESETS_KEY
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.sessions import JSON_HEADERS
from zope.annotation.interfaces import IAnnotations

import re
import requests
import transaction
import unittest


OLD = PASSWORDS["amelie.lire"]
NEW = "Nouveau-Secret-2026!"


class TestPasswordReset(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.sink = self.layer["mailsink"]

    def token(self, login, password):
        response = requests.post(
            f"{self.url}/@login",
            headers=JSON_HEADERS,
            json={"login": login, "password": password},
        )
        return response.json().get("token") if response.status_code == 200 else None

    def ask(self, login):
        return requests.post(
            f"{self.url}/@password-reset", headers=JSON_HEADERS, json={"login": login}
        )

    def link_token(self):
        body = self.sink.messages()[-1].get_body(("plain",)).get_content()
        return re.search(r"nouveau-mot-de-passe\?token=([\w\-]+)", body).group(1)

    def reset(self, token, password=NEW):
        return requests.post(
            f"{self.url}/@password-reset/{token}",
            headers=JSON_HEADERS,
            json={"password": password, "password_confirm": password},
        )

    def test_link_works_once_and_ends_other_sessions(self):
        jwt = self.token("amelie.lire", OLD)
        me = f"{self.url}/@users/amelie.lire"
        auth = {**JSON_HEADERS, "Authorization": f"Bearer {jwt}"}
        self.assertEqual(requests.get(me, headers=auth).status_code, 200)
        browser = requests.Session()
        browser.post(
            f"{self.url}/login",
            data={
                "__ac_name": "amelie.lire",
                "__ac_password": OLD,
                "buttons.login": "Se connecter",
            },
        )
        self.assertIn("Amélie Lire", browser.get(f"{self.url}/@@mon-espace").text)

        response = self.ask("amelie.lire@example.org")
        self.assertEqual(response.status_code, 202)
        self.assertIn("24 heures", response.json()["message"])
        token = self.link_token()
        self.assertEqual(self.reset(token).status_code, 204)
        # other sessions ended: the old REST token and the cookie session
        # (checked before logging in again: a JWT issued in the same second
        # for the same user is the same string)
        self.assertEqual(requests.get(me, headers=auth).status_code, 401)
        page = browser.get(f"{self.url}/@@mon-espace", allow_redirects=False)
        self.assertEqual(page.status_code, 302)
        # the new password works, the old one not
        self.assertIsNotNone(self.token("amelie.lire", NEW))
        self.assertIsNone(self.token("amelie.lire", OLD))
        # the link works once
        again = self.reset(token, "Encore-Autre-2026!")
        self.assertEqual(again.status_code, 400)
        self.assertIn("plus valable", again.json()["error"]["errors"][0]["message"])

    def test_link_expires_after_24_hours(self):
        self.ask("amelie.lire")
        token = self.link_token()
        transaction.begin()
        storage = IAnnotations(self.portal)[RESETS_KEY]
        for digest, (userid, expires) in list(storage.items()):
            storage[digest] = (userid, expires - 24 * 3600 - 1)
        transaction.commit()
        self.assertEqual(self.reset(token).status_code, 400)
        self.assertIsNotNone(self.token("amelie.lire", OLD))
        # and the page says so
        page = requests.get(
            f"{self.url}/@@nouveau-mot-de-passe", params={"token": token}
        )
        self.assertIn("plus valable", page.text)

    def test_same_answer_for_an_unknown_account(self):
        known = self.ask("amelie.lire")
        unknown = self.ask("personne.inconnue")
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertEqual(known.json(), unknown.json())
        self.assertEqual(len(self.sink.messages()), 1)
        page = requests.Session()
        form = page.get(f"{self.url}/@@mot-de-passe-oublie").text
        authenticator = re.search(r'name="_authenticator" value="([^"]+)"', form).group(
            1
        )
        answers = [
            page.post(
                f"{self.url}/@@mot-de-passe-oublie",
                data={"login": login, "_authenticator": authenticator},
            ).text
            for login in ("amelie.lire", "personne.inconnue")
        ]
        strip = [
            re.search(r'role="status">(.*?)</div>', a, re.S).group(1).strip()
            for a in answers
        ]
        self.assertEqual(strip[0], strip[1])

    def test_weak_new_password_refused(self):
        self.ask("amelie.lire")
        token = self.link_token()
        response = self.reset(token, "amelie.lire2026")
        self.assertEqual(response.status_code, 400)
        self.assertIsNotNone(self.token("amelie.lire", OLD))
        self.assertEqual(self.reset(token).status_code, 204)  # token still usable


class TestPlonePagesLeadToOurs(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def test_redirections(self):
        url = self.layer["portal"].absolute_url()
        for name, target in (
            ("login-help", "mot-de-passe-oublie"),
            ("mail_password_form", "mot-de-passe-oublie"),
            ("passwordreset", "mot-de-passe-oublie"),
            ("register", "creer-un-compte"),
        ):
            response = requests.get(f"{url}/@@{name}", allow_redirects=False)
            self.assertEqual(response.status_code, 302, name)
            self.assertTrue(response.headers["Location"].endswith(f"/@@{target}"), name)

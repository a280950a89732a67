"""Rate limits of the anonymous actions that send email or create accounts
(#13 item 8): password-reset requests and registrations, per client address
and per target account, over REST (429) and on the pages, in French."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.sessions import ACCEPT_JSON
from illkirch.eservices.testing.sessions import JSON_HEADERS
from plone import api

import re
import requests
import transaction
import unittest


PASSWORD = "Mairie-Illkirch-2026!"
# the documented limits (docs/security.md), per hour
RESET_PER_NAME = 3  # requests for one name typed
RESET_PER_ACCOUNT = 3  # emails to one account
RESET_PER_ADDRESS = 10  # requests from one client address
REGISTRATION_PER_EMAIL = 2  # accepted registrations for one email address
REGISTRATION_PER_ADDRESS = 5  # accepted registrations from one client address


def person(email, last_name):
    return {
        "civility": "mme",
        "first_name": "Rafale",
        "last_name": last_name,
        "birth_date": "1990-02-03",
        "birth_place": "Strasbourg",
        "email": email,
        "street": "5 rue du Général Leclerc",
        "postal_code": "67400",
        "city": "Illkirch-Graffenstaden",
        "contact_preference": "email",
        "mobile": "06 11 22 33 44",
        "members": [],
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "consent": True,
    }


class LimitsTestCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.sink = self.layer["mailsink"]
        self.session = requests.Session()
        self.session.headers.update(JSON_HEADERS)

    def authenticator(self, session, view):
        page = session.get(f"{self.url}/@@{view}").text
        return re.search(r'name="_authenticator" value="([^"]+)"', page).group(1)


class TestPasswordResetLimits(LimitsTestCase):
    def ask(self, login):
        return self.session.post(f"{self.url}/@password-reset", json={"login": login})

    def test_25_requests_for_one_account(self):
        statuses = [self.ask("amelie.lire").status_code for _ in range(25)]
        self.assertEqual(
            statuses, [202] * RESET_PER_NAME + [429] * (25 - RESET_PER_NAME)
        )
        refused = self.ask("amelie.lire")
        self.assertEqual(refused.json()["error"]["type"], "TooManyRequests")
        self.assertIn("Trop de demandes", refused.json()["error"]["message"])
        # the same name however typed (accents, case) is the same name
        self.assertEqual(self.ask("Amélie.LIRE").status_code, 429)
        # the account by another name: answered alike, but no more email
        self.assertEqual(self.ask("amelie.lire@example.org").status_code, 202)
        emails = [
            m for m in self.sink.messages() if m["To"] == "amelie.lire@example.org"
        ]
        self.assertEqual(len(emails), RESET_PER_ACCOUNT)
        # an unknown name is limited alike (no telling which accounts exist)
        statuses = [self.ask("personne.inconnue").status_code for _ in range(4)]
        self.assertEqual(statuses, [202] * RESET_PER_NAME + [429])

    def test_per_client_address_and_on_the_page(self):
        statuses = [
            self.ask(f"inconnu{index}").status_code
            for index in range(RESET_PER_ADDRESS + 2)
        ]
        self.assertEqual(statuses, [202] * RESET_PER_ADDRESS + [429, 429])
        self.assertEqual(self.sink.messages(), [])
        page = requests.Session()
        answer = page.post(
            f"{self.url}/@@mot-de-passe-oublie",
            data={
                "login": "amelie.lire",
                "_authenticator": self.authenticator(page, "mot-de-passe-oublie"),
            },
        )
        self.assertEqual(answer.status_code, 429)
        self.assertIn("Trop de demandes de nouveau mot de passe", answer.text)
        self.assertEqual(self.sink.messages(), [])


class TestRegistrationLimits(LimitsTestCase):
    def register(self, email, last_name):
        challenge = self.session.get(f"{self.url}/@registration/captcha").json()
        answer = requests.get(
            f"{self.url}/@@test-captcha-answer", params={"token": challenge["token"]}
        ).text
        data = dict(
            person(email, last_name),
            captcha_token=challenge["token"],
            captcha_answer=answer,
        )
        return self.session.post(f"{self.url}/@registration", json=data)

    def users(self):
        transaction.begin()
        return {user.getId() for user in api.user.get_users()}

    def test_per_email_address(self):
        statuses = [
            self.register("rafale@example.org", name).status_code
            for name in ("Un", "Deux", "Trois", "Quatre")
        ]
        self.assertEqual(
            statuses,
            [201] * REGISTRATION_PER_EMAIL + [429] * (4 - REGISTRATION_PER_EMAIL),
        )
        refused = self.register("rafale@example.org", "Cinq")
        self.assertIn("Trop de créations de compte", refused.json()["error"]["message"])
        # a known address is limited alike
        statuses = [
            self.register("amelie.lire@example.org", name).status_code
            for name in ("Six", "Sept", "Huit")
        ]
        self.assertEqual(statuses, [201] * REGISTRATION_PER_EMAIL + [429])
        self.assertEqual(len(self.sink.messages()), 2 * REGISTRATION_PER_EMAIL)

    def test_per_client_address_and_on_the_page(self):
        names = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Fox", "Golf"]
        statuses = [
            self.register(f"{name.lower()}@example.org", name).status_code
            for name in names[: REGISTRATION_PER_ADDRESS + 1]
        ]
        self.assertEqual(statuses, [201] * REGISTRATION_PER_ADDRESS + [429])
        before = self.users()
        page = requests.Session()
        token = self.authenticator(page, "creer-un-compte")
        challenge = page.get(
            f"{self.url}/@registration/captcha", headers=ACCEPT_JSON
        ).json()
        answer = requests.get(
            f"{self.url}/@@test-captcha-answer", params={"token": challenge["token"]}
        ).text
        form = dict(
            person("hotel@example.org", "Hotel"),
            consent="on",
            captcha_token=challenge["token"],
            captcha_answer=answer,
            step="validation",
            action="submit",
            _authenticator=token,
        )
        form.pop("members")
        refused = page.post(f"{self.url}/@@creer-un-compte", data=form)
        self.assertEqual(refused.status_code, 429)
        self.assertIn("Trop de créations de compte", refused.text)
        self.assertEqual(self.users(), before)

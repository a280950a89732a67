"""``/@registration`` over HTTP: the captcha, the rules, what is created."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.sessions import JSON_HEADERS
from plone import api

import requests
import transaction
import unittest


def valid_data(**changes):
    data = {
        "civility": "mme",
        "first_name": "Élodie",
        "last_name": "Durand",
        "birth_date": "1990-02-03",
        "birth_place": "Strasbourg",
        "email": "elodie.durand@example.org",
        "street": "5 rue du Général Leclerc",
        "postal_code": "67400",
        "city": "Illkirch-Graffenstaden",
        "contact_preference": "email",
        "mobile": "06 11 22 33 44",
        "members": [
            {
                "member_type": "child",
                "civility": "m",
                "first_name": "Noé",
                "last_name": "Durand",
                "birth_date": "2018-07-01",
                "relationship": "child",
            }
        ],
        "password": "Mairie-Illkirch-2026!",
        "password_confirm": "Mairie-Illkirch-2026!",
        "consent": True,
    }
    data.update(changes)
    return data


class TestRegistrationAPI(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.sink = self.layer["mailsink"]
        self.session = requests.Session()
        self.session.headers.update(JSON_HEADERS)

    def captcha(self):
        response = self.session.get(f"{self.url}/@registration/captcha")
        self.assertEqual(response.status_code, 200, response.text)
        challenge = response.json()
        answer = requests.get(
            f"{self.url}/@@test-captcha-answer", params={"token": challenge["token"]}
        ).text
        return challenge, answer

    def post(self, data):
        return self.session.post(f"{self.url}/@registration", json=data)

    def users(self):
        transaction.begin()
        return {u.getId() for u in api.user.get_users()}

    def test_captcha_challenge(self):
        challenge, answer = self.captcha()
        self.assertEqual(len(answer), 6)
        self.assertIn("12 caractères", challenge["password_rule"])
        image = requests.get(challenge["image"])
        self.assertEqual(image.headers["Content-Type"], "image/png")
        self.assertTrue(image.content.startswith(b"\x89PNG"))
        audio = requests.get(challenge["audio"])
        self.assertEqual(audio.headers["Content-Type"], "audio/wav")
        self.assertTrue(audio.content.startswith(b"RIFF"))
        self.assertEqual(
            requests.get(f"{self.url}/@@captcha-image?token=x").status_code, 404
        )

    def test_register_creates_account_household_and_sends_identifier(self):
        challenge, answer = self.captcha()
        response = self.post(
            valid_data(captcha_token=challenge["token"], captcha_answer=answer)
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.assertIn("enregistrée", response.json()["message"])
        transaction.begin()
        user = api.user.get(userid="elodie.durand")
        self.assertEqual(user.getUserName(), "élodie.durand")
        self.assertEqual(user.getProperty("email"), "elodie.durand@example.org")
        from illkirch.eservices.accounts.households import household_of

        household = household_of("elodie.durand")
        self.assertEqual(api.content.get_state(household), "pending")
        self.assertEqual([p.first_name for p in household.persons()], ["Élodie", "Noé"])
        messages = self.sink.messages()
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages[0]["To"], "elodie.durand@example.org")
        self.assertIn("élodie.durand", messages[0].get_body(("plain",)).get_content())
        # the new citizen logs in with the identifier, with or without accents
        login = self.session.post(
            f"{self.url}/@login",
            json={"login": "élodie.durand", "password": "Mairie-Illkirch-2026!"},
        )
        self.assertEqual(login.status_code, 200, login.text)

    def test_captcha_used_once(self):
        challenge, answer = self.captcha()
        data = valid_data(captcha_token=challenge["token"], captcha_answer=answer)
        self.assertEqual(self.post(data).status_code, 201)
        again = self.post(
            valid_data(
                email="autre@example.org",
                first_name="Autre",
                captcha_token=challenge["token"],
                captcha_answer=answer,
            )
        )
        self.assertEqual(again.status_code, 400)
        self.assertEqual(
            [e["field"] for e in again.json()["error"]["errors"]], ["captcha_answer"]
        )

    def test_wrong_or_missing_captcha_creates_nothing(self):
        before = self.users()
        challenge, answer = self.captcha()
        wrong = "000000" if answer != "000000" else "111111"
        for data in (
            valid_data(captcha_token=challenge["token"], captcha_answer=wrong),
            valid_data(captcha_token=challenge["token"]),
            valid_data(),
        ):
            response = self.post(data)
            self.assertEqual(response.status_code, 400, response.text)
            errors = {
                e["field"]: e["message"] for e in response.json()["error"]["errors"]
            }
            self.assertIn("captcha_answer", errors)
            self.assertIn("code de vérification", errors["captcha_answer"])
        self.assertEqual(self.users(), before)
        self.assertEqual(self.sink.messages(), [])

    def test_honeypot(self):
        challenge, answer = self.captcha()
        response = self.post(
            valid_data(
                captcha_token=challenge["token"],
                captcha_answer=answer,
                website="http://spam.example",
            )
        )
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("elodie.durand", self.users())

    def test_bad_input_answered_in_french_nothing_stored(self):
        before = self.users()
        challenge, answer = self.captcha()
        cases = {
            "first_name": ("", "Ce champ est obligatoire."),
            "last_name": ("x" * 10000, "trop long"),
            "birth_date": ("2999-01-01", "futur"),
            "postal_code": ("ABCDE", "code postal"),
            "mobile": ("12345", "numéro de téléphone"),
            "email": ("pas-une-adresse", "adresse électronique valide"),
            "password": ("court", "12 caractères"),
        }
        for field, (value, expected) in cases.items():
            response = self.post(
                valid_data(
                    captcha_token=challenge["token"],
                    captcha_answer=answer,
                    **{field: value},
                )
            )
            self.assertEqual(response.status_code, 400, field)
            errors = {
                e["field"]: e["message"] for e in response.json()["error"]["errors"]
            }
            self.assertIn(field, errors, response.text)
            self.assertIn(expected, errors[field])
        child_first = valid_data(
            captcha_token=challenge["token"], captcha_answer=answer
        )
        child_first["members"][0]["birth_date"] = "1980-01-01"
        response = self.post(child_first)
        errors = {e["field"]: e["message"] for e in response.json()["error"]["errors"]}
        self.assertIn("né avant", errors["members.0.birth_date"])
        self.assertEqual(self.users(), before)

    def test_identifier_collision_gets_a_suffix(self):
        for email in ("a1@example.org", "a2@example.org"):
            challenge, answer = self.captcha()
            response = self.post(
                valid_data(
                    first_name="Amelie",
                    last_name="Lire",
                    email=email,
                    members=[],
                    password="Portail-Citoyen-2026",
                    password_confirm="Portail-Citoyen-2026",
                    captcha_token=challenge["token"],
                    captcha_answer=answer,
                )
            )
            self.assertEqual(response.status_code, 201, response.text)
        transaction.begin()
        # amélie.lire (demo) exists: "Amelie Lire" folds to the same identifier
        self.assertEqual(
            api.user.get(userid="amelie.lire2").getUserName(), "amelie.lire2"
        )
        self.assertEqual(
            api.user.get(userid="amelie.lire3").getUserName(), "amelie.lire3"
        )

    def test_existing_email_same_answer_no_account(self):
        challenge, answer = self.captcha()
        before = self.users()
        response = self.post(
            valid_data(
                email="amelie.lire@example.org",
                captcha_token=challenge["token"],
                captcha_answer=answer,
            )
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(self.users(), before)
        messages = self.sink.messages()
        self.assertEqual(messages[0]["To"], "amelie.lire@example.org")
        self.assertIn("amélie.lire", messages[0].get_body(("plain",)).get_content())

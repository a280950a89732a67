"""Dates typed as the form says, JJ/MM/AAAA, or as ISO (#13 item 18): the
registration over REST and on the page, and a household's member, read by
the requests' answers' parser; a bad date gets the French message."""

from datetime import date
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.sessions import JSON_HEADERS
from illkirch.eservices.testing.sessions import rest_session

import re
import requests
import transaction
import unittest


PASSWORD = "Mairie-Illkirch-2026!"
BAD_DATE = "Saisissez une date au format JJ/MM/AAAA."


def data(**changes):
    values = {
        "civility": "mme",
        "first_name": "Odile",
        "last_name": "Calendrier",
        "birth_date": "03/02/1990",
        "birth_place": "Strasbourg",
        "email": "odile.calendrier@example.org",
        "street": "5 rue du Général Leclerc",
        "postal_code": "67400",
        "city": "Illkirch-Graffenstaden",
        "contact_preference": "email",
        "mobile": "06 11 22 33 44",
        "members": [
            {
                "member_type": "child",
                "civility": "m",
                "first_name": "Paul",
                "last_name": "Calendrier",
                "birth_date": "2018-07-01",
                "relationship": "child",
            }
        ],
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "consent": True,
    }
    values.update(changes)
    return values


class TestRegistrationDates(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.session = requests.Session()
        self.session.headers.update(JSON_HEADERS)

    def post(self, values):
        challenge = self.session.get(f"{self.url}/@registration/captcha").json()
        answer = requests.get(
            f"{self.url}/@@test-captcha-answer", params={"token": challenge["token"]}
        ).text
        return self.session.post(
            f"{self.url}/@registration",
            json=dict(values, captcha_token=challenge["token"], captcha_answer=answer),
        )

    def errors(self, response):
        return {e["field"]: e["message"] for e in response.json()["error"]["errors"]}

    def test_french_and_iso_dates_over_rest(self):
        response = self.post(data())
        self.assertEqual(response.status_code, 201, response.text)
        transaction.begin()
        persons = household_of("odile.calendrier").persons()
        self.assertEqual(
            [p.birth_date for p in persons], [date(1990, 2, 3), date(2018, 7, 1)]
        )

    def test_bad_dates_over_rest(self):
        for bad in ("31/02/1990", "1990/02/03", "3 février 1990", "03-02-1990"):
            member = dict(data()["members"][0], birth_date=bad)
            response = self.post(data(birth_date=bad, members=[member]))
            self.assertEqual(response.status_code, 400, bad)
            errors = self.errors(response)
            self.assertEqual(errors["birth_date"], BAD_DATE)
            self.assertEqual(errors["members.0.birth_date"], BAD_DATE)

    def test_french_date_on_the_page(self):
        page = requests.Session()
        form = page.get(f"{self.url}/@@creer-un-compte").text
        token = re.search(r'name="_authenticator" value="([^"]+)"', form).group(1)
        identity = {
            key: data()[key]
            for key in ("civility", "first_name", "last_name", "birth_place", "email")
        }
        for typed, accepted in (
            ("03/02/1990", True),
            ("1990-02-03", True),
            ("32/01/1990", False),
        ):
            answer = page.post(
                f"{self.url}/@@creer-un-compte",
                data=dict(
                    identity,
                    birth_date=typed,
                    step="identity",
                    action="next",
                    _authenticator=token,
                ),
            ).text
            self.assertEqual(BAD_DATE not in answer, accepted, typed)
            self.assertEqual('name="step" value="address"' in answer, accepted, typed)

    def test_french_date_of_a_new_member(self):
        amelie = rest_session(self.url, *AMELIE)
        child = {
            "member_type": "child",
            "civility": "mme",
            "first_name": "Zoé",
            "last_name": "Lire",
            "birth_date": "04/05/2019",
            "birth_place": "Strasbourg",
            "relationship": "child",
        }
        response = amelie.post(f"{self.url}/@household/members", json=child)
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(response.json()["birth_date"], "2019-05-04")
        response = amelie.post(
            f"{self.url}/@household/members", json=dict(child, birth_date="04.05.2019")
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn(BAD_DATE, response.text)

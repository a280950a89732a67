"""Timing does not tell which accounts exist (#13 item 7).

``@password-reset`` for an existing account and for an unknown one, and
``@registration`` with a known email address and with a new one, do the same
work: the medians of interleaved calls must be indistinguishable. The rate
limits are emptied between calls (they are tested in test_anonymous_limits).
"""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.sessions import JSON_HEADERS
from illkirch.eservices.testing.site import clear_rate_limits

import re
import requests
import statistics
import time
import unittest


ROUNDS = 10
# Allowed gap between the medians: within 25 % of the slower one, or 4 ms,
# whichever is larger (a loaded 2-core machine moves single calls by much
# more, medians of interleaved calls by much less).
RATIO = 1.25
ABSOLUTE = 0.004


def registration_data(email, index, challenge, answer):
    password = "Mairie-Illkirch-2026!"
    letter = "abcdefghijklmnopqrstuvwxyz"[index % 26] * (1 + index // 26)
    return {
        "civility": "mme",
        "first_name": "Chronos",
        "last_name": f"Essai{letter}",
        "birth_date": "1990-02-03",
        "birth_place": "Strasbourg",
        "email": email,
        "street": "5 rue du Général Leclerc",
        "postal_code": "67400",
        "city": "Illkirch-Graffenstaden",
        "contact_preference": "email",
        "mobile": "06 11 22 33 44",
        "members": [],
        "password": password,
        "password_confirm": password,
        "consent": True,
        "captcha_token": challenge["token"],
        "captcha_answer": answer,
    }


class TestTimingTellsNothing(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.session = requests.Session()
        self.session.headers.update(JSON_HEADERS)

    def timed(self, method, *args, **kwargs):
        start = time.perf_counter()
        response = method(*args, **kwargs)
        return time.perf_counter() - start, response

    def assert_indistinguishable(self, first, second, what):
        a, b = statistics.median(first), statistics.median(second)
        slower = max(a, b)
        print(f"\n{what}: medians {a * 1000:.1f} ms / {b * 1000:.1f} ms")
        self.assertLessEqual(
            abs(a - b),
            max(ABSOLUTE, slower * (1 - 1 / RATIO)),
            f"{what}: medians {a * 1000:.1f} ms vs {b * 1000:.1f} ms",
        )

    def test_password_reset_same_time_for_known_and_unknown(self):
        known, unknown = [], []
        for index in range(ROUNDS + 2):
            clear_rate_limits(self.layer["portal"])
            for login, times in (
                ("amelie.lire", known),
                (f"personne.inconnue{index}", unknown),
            ):
                seconds, response = self.timed(
                    self.session.post,
                    f"{self.url}/@password-reset",
                    json={"login": login},
                )
                self.assertEqual(response.status_code, 202, response.text)
                if index >= 2:  # the first rounds warm the caches
                    times.append(seconds)
        self.assert_indistinguishable(known, unknown, "@password-reset")

    def test_reset_page_same_time_for_known_and_unknown(self):
        page = requests.Session()
        form = page.get(f"{self.url}/@@mot-de-passe-oublie").text
        token = re.search(r'name="_authenticator" value="([^"]+)"', form).group(1)
        known, unknown = [], []
        for index in range(ROUNDS + 2):
            clear_rate_limits(self.layer["portal"])
            for login, times in (
                ("amelie.lire", known),
                (f"personne.inconnue{index}", unknown),
            ):
                seconds, response = self.timed(
                    page.post,
                    f"{self.url}/@@mot-de-passe-oublie",
                    data={"login": login, "_authenticator": token},
                )
                self.assertEqual(response.status_code, 200)
                if index >= 2:
                    times.append(seconds)
        self.assert_indistinguishable(known, unknown, "@@mot-de-passe-oublie")

    def captcha(self):
        challenge = self.session.get(f"{self.url}/@registration/captcha").json()
        answer = requests.get(
            f"{self.url}/@@test-captcha-answer", params={"token": challenge["token"]}
        ).text
        return challenge, answer

    def test_registration_same_time_for_known_and_new_email(self):
        known, new = [], []
        for index in range(ROUNDS + 2):
            clear_rate_limits(self.layer["portal"])
            for email, times in (
                ("amelie.lire@example.org", known),
                (f"chronos{index}@example.org", new),
            ):
                challenge, answer = self.captcha()
                data = registration_data(email, index, challenge, answer)
                seconds, response = self.timed(
                    self.session.post, f"{self.url}/@registration", json=data
                )
                self.assertEqual(response.status_code, 201, response.text)
                if index >= 2:
                    times.append(seconds)
        self.assert_indistinguishable(known, new, "@registration")

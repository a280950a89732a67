"""« Suivre ma demande » over HTTP without shutting people out (#15 item 8):
the page (``@@suivre-ma-demande``) and ``GET /@request-status`` follow the
same rule. Wrong tries from one address on other numbers do not lock the
right number and code; wrong tries on one number lock that number only;
past 100 wrong tries an hour from one address, the page shows the captcha
and the REST API answers 429 ``CaptchaRequired`` with a challenge, and the
right code with the solved captcha gets through. A wrong number and a
wrong code answer the same, in the same time."""

from illkirch.eservices.requests import tracking
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.requests import BIRTH_ANSWERS
from illkirch.eservices.testing.requests import PAUL_MARTIN
from illkirch.eservices.testing.sessions import rest_session
from zope.annotation.interfaces import IAnnotations

import re
import requests
import statistics
import time
import transaction
import unittest


# The documented limits (docs/security.md), per hour.
PER_NUMBER = 10
PER_ADDRESS = 100
RESULT = 'id="follow-result-title"'


def other_number(index):
    """A well-formed number no request has."""
    return f"2026-9{index:05d}"


class TrackingTestCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.rest = rest_session(self.url)
        self.browser = requests.Session()

    def solve(self, token):
        return requests.get(
            f"{self.url}/@@test-captcha-answer", params={"token": token}
        ).text

    def file(self):
        """A new account-less request: its number and tracking code."""
        token = self.rest.get(f"{self.url}/@registration/captcha").json()["token"]
        response = self.rest.post(
            f"{self.url}/@requests",
            json={
                "service": "acte-de-naissance",
                "answers": BIRTH_ANSWERS,
                "requester": PAUL_MARTIN,
                "captcha": {"token": token, "answer": self.solve(token)},
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()["number"], response.json()["tracking_code"]

    def status(self, number, code, **captcha):
        return self.rest.get(
            f"{self.url}/@request-status",
            params={"number": number, "code": code, **captcha},
        )

    def page(self):
        response = self.browser.get(f"{self.url}/@@suivre-ma-demande")
        self.assertEqual(response.status_code, 200)
        return response.text

    def follow(self, number, code, **captcha):
        """The page's form sent as a browser does."""
        form = self.page()
        token = re.search(r'name="_authenticator" value="([^"]+)"', form).group(1)
        return self.browser.post(
            f"{self.url}/@@suivre-ma-demande",
            data={"_authenticator": token, "numero": number, "code": code, **captcha},
        )

    def wrong_tries(self, count, start=0):
        """``count`` wrong tries over REST from this address, each on another
        number (none reaches its own limit)."""
        for index in range(start, start + count):
            response = self.status(other_number(index), "WRONG234")
            self.assertEqual(response.status_code, 404, response.text)


class TestTrackingLimits(TrackingTestCase):
    def test_wrong_tries_on_other_numbers_do_not_lock_the_right_code(self):
        number, code = self.file()
        self.wrong_tries(30)
        for index in range(30, 45):  # on the page too
            response = self.follow(other_number(index), "WRONG234")
            self.assertEqual(response.status_code, 200)
            self.assertIn("Aucune demande", response.text)
        response = self.status(number, code)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["number"], number)
        response = self.follow(number, code)
        self.assertEqual(response.status_code, 200)
        self.assertIn(RESULT, response.text)
        self.assertNotIn('name="captcha_token"', response.text)

    def test_a_number_under_attack_is_locked_another_still_works(self):
        attacked, code = self.file()
        other, other_code = self.file()
        for _attempt in range(PER_NUMBER):
            self.assertEqual(self.status(attacked, "WRONG234").status_code, 404)
        response = self.status(attacked, code)
        self.assertEqual(response.status_code, 429, response.text)
        self.assertEqual(response.json()["error"]["type"], "TooManyRequests")
        self.assertIn("une heure", response.json()["error"]["message"])
        self.assertEqual(response.headers["Retry-After"], "3600")
        response = self.follow(attacked, code)
        self.assertEqual(response.status_code, 429)
        self.assertIn("bloqué pendant une heure", response.text)
        self.assertNotIn(RESULT, response.text)
        # the same address follows another request
        self.assertEqual(self.status(other, other_code).status_code, 200)
        self.assertIn(RESULT, self.follow(other, other_code).text)

    def test_past_the_address_threshold_a_captcha_instead_of_a_lock(self):
        number, code = self.file()
        self.assertNotIn('name="captcha_token"', self.page())
        self.wrong_tries(PER_ADDRESS)

        # REST: 429 with a challenge, then the solved challenge gets through
        response = self.status(number, code)
        self.assertEqual(response.status_code, 429, response.text)
        error = response.json()["error"]
        self.assertEqual(error["type"], "CaptchaRequired")
        self.assertIn("code de vérification", error["message"])
        challenge = error["captcha"]
        self.assertEqual(challenge["length"], 6)
        self.assertEqual(requests.get(challenge["image"]).status_code, 200)
        self.assertEqual(requests.get(challenge["audio"]).status_code, 200)
        answer = self.solve(challenge["token"])
        wrong = f"{(int(answer) + 1) % 10**6:06d}"
        response = self.status(
            number, code, captcha_token=challenge["token"], captcha_answer=wrong
        )
        self.assertEqual(response.status_code, 429)
        self.assertIn("erroné ou a expiré", response.json()["error"]["message"])
        self.assertNotEqual(response.json()["error"]["captcha"]["token"], "")
        response = self.status(
            number, code, captcha_token=challenge["token"], captcha_answer=answer
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["number"], number)
        # one challenge, one try
        response = self.status(
            number, code, captcha_token=challenge["token"], captcha_answer=answer
        )
        self.assertEqual(response.json()["error"]["type"], "CaptchaRequired")

        # the page shows the captcha and accepts the right code with it
        form = self.page()
        self.assertIn('name="captcha_token"', form)
        self.assertIn('id="field-captcha_answer"', form)
        response = self.follow(number, code)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Beaucoup d'essais erronés", response.text)
        self.assertIn('href="#field-captcha_answer"', response.text)
        self.assertNotIn(RESULT, response.text)
        form = self.page()
        token = re.search(r'name="captcha_token"[^>]*value="([^"]+)"', form).group(1)
        response = self.follow(
            number, code, captcha_token=token, captcha_answer=self.solve(token)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(RESULT, response.text)
        self.assertNotIn("alert-danger", response.text)


# Allowed gap (as in test_account_timing): within 25 % of the slower
# median, or 4 ms, whichever is larger; measured as the median of the
# differences within each round (two calls a few milliseconds apart see the
# same load, which moves a loaded 2-core machine's medians by more).
ROUNDS = 30
RATIO = 1.25
ABSOLUTE = 0.004


class TestTrackingTiming(TrackingTestCase):
    def forget_wrong_tries(self):
        transaction.begin()
        failures = IAnnotations(self.layer["portal"]).get(tracking.FAILURES_KEY)
        if failures is not None:
            failures.clear()
        transaction.commit()

    def timed(self, number, code):
        start = time.perf_counter()
        response = self.status(number, code)
        seconds = time.perf_counter() - start
        self.assertEqual(response.status_code, 404, response.text)
        return seconds, response.json()

    def test_a_wrong_number_and_a_wrong_code_same_answer_same_time(self):
        number, code = self.file()
        wrong_code, wrong_number = [], []
        for index in range(ROUNDS + 2):
            self.forget_wrong_tries()
            # each first in turn: the first call after the commit above
            # reloads the counts
            bad_code, bad_number = (number, "WRONG234"), (other_number(index), code)
            order = [bad_code, bad_number] if index % 2 else [bad_number, bad_code]
            results = {call: self.timed(*call) for call in order}
            first, answer_code = results[bad_code]
            second, answer_number = results[bad_number]
            self.assertEqual(answer_code, answer_number)
            if index >= 2:  # the first rounds warm the caches
                wrong_code.append(first)
                wrong_number.append(second)
        a, b = statistics.median(wrong_code), statistics.median(wrong_number)
        pairs = zip(wrong_code, wrong_number, strict=True)
        gap = statistics.median([x - y for x, y in pairs])
        print(
            f"\n@request-status: medians {a * 1000:.1f} ms / {b * 1000:.1f} ms,"
            f" median gap {gap * 1000:.1f} ms"
        )
        self.assertLessEqual(abs(gap), max(ABSOLUTE, max(a, b) * (1 - 1 / RATIO)))

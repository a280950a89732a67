"""The captcha's image and audio over HTTP (issue 13, items 8 and 9): one
audio rendering per challenge, a limited number of plays, limits per client
address on what the server renders, 429 with a French message."""

from illkirch.eservices.testing import FUNCTIONAL_TESTING
from illkirch.eservices.testing.sessions import rest_session
from ZPublisher import HTTPRequest

import requests
import unittest


# The limits docs/security.md gives (accounts/py).
PLAYS_PER_CHALLENGE = 10  # downloads: a browser asks twice to play once
AUDIO_PER_ADDRESS = 20
IMAGES_PER_ADDRESS = 60
CHALLENGES_PER_ADDRESS = 60
WINDOW = 15 * 60


class TestCaptchaLimits(unittest.TestCase):
    layer = FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.session = rest_session(self.url)

    def challenge(self, **headers):
        response = self.session.get(
            f"{self.url}/@registration/captcha", headers=headers
        )
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def test_audio_is_one_rendering_per_challenge_with_limited_plays(self):
        challenge = self.challenge()
        plays = [requests.get(challenge["audio"]) for _ in range(PLAYS_PER_CHALLENGE)]
        self.assertEqual({play.status_code for play in plays}, {200})
        self.assertEqual(plays[0].headers["Content-Type"], "audio/wav")
        self.assertTrue(plays[0].content.startswith(b"RIFF"))
        # the same bytes at every play: nothing new to hear by asking again
        self.assertEqual(len({play.content for play in plays}), 1)
        refused = requests.get(challenge["audio"])
        self.assertEqual(refused.status_code, 429)
        self.assertIn("écouté trop de fois", refused.text)
        self.assertIn("nouveau code", refused.text)
        # a new challenge is a new rendering
        other = requests.get(self.challenge()["audio"])
        self.assertEqual(other.status_code, 200)
        self.assertNotEqual(other.content, plays[0].content)

    def test_new_audio_renderings_are_limited_per_address(self):
        challenges = [self.challenge() for _ in range(AUDIO_PER_ADDRESS + 1)]
        for challenge in challenges[:-1]:
            self.assertEqual(requests.get(challenge["audio"]).status_code, 200)
        refused = requests.get(challenges[-1]["audio"])
        self.assertEqual(refused.status_code, 429)
        self.assertIn("Trop de codes de vérification", refused.text)
        self.assertEqual(refused.headers["Retry-After"], str(WINDOW))
        # hearing again a challenge already rendered costs nothing: allowed
        self.assertEqual(requests.get(challenges[0]["audio"]).status_code, 200)

    def test_images_are_limited_per_address(self):
        challenge = self.challenge()
        for _ in range(IMAGES_PER_ADDRESS):
            image = requests.get(challenge["image"])
            self.assertEqual(image.status_code, 200)
            self.assertEqual(image.headers["Content-Type"], "image/png")
        refused = requests.get(challenge["image"])
        self.assertEqual(refused.status_code, 429)
        self.assertIn("Trop de codes de vérification", refused.text)
        self.assertIn("quart d'heure", refused.text)
        # Another client address (through a proxy trusted in zope.conf) is
        # not concerned.
        trusted = list(HTTPRequest.trusted_proxies)
        HTTPRequest.trusted_proxies[:] = ["127.0.0.1"]
        try:
            other = requests.get(
                challenge["image"], headers={"X-Forwarded-For": "192.0.2.7"}
            )
            same = requests.get(
                challenge["image"], headers={"X-Forwarded-For": "127.0.0.1"}
            )
        finally:
            HTTPRequest.trusted_proxies[:] = trusted
        self.assertEqual(other.status_code, 200)
        self.assertEqual(same.status_code, 429)

    def test_rest_challenges_are_limited_per_address(self):
        for _ in range(CHALLENGES_PER_ADDRESS):
            self.challenge()
        refused = self.session.get(f"{self.url}/@registration/captcha")
        self.assertEqual(refused.status_code, 429)
        error = refused.json()["error"]
        self.assertEqual(error["type"], "TooManyRequests")
        self.assertIn("Trop de codes de vérification", error["message"])

    def test_bad_token_is_not_found(self):
        for view in ("captcha-image", "captcha-audio"):
            response = requests.get(f"{self.url}/@@{view}?token=x")
            self.assertEqual(response.status_code, 404)

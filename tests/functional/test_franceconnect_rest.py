"""FranceConnect and the REST API (#20): not offered over REST yet, so
``GET /@login`` does not list it (enabled or not) and pas.plugins.oidc's
``@login-oidc/franceconnect`` answers 404; the JWT login is unchanged."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.sessions import JSON_HEADERS

import requests
import unittest


class TestFranceConnectRest(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING  # FranceConnect enabled (the demo's)

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.api = requests.Session()
        self.api.headers.update(JSON_HEADERS)
        self.addCleanup(self.api.close)

    def test_login_providers_leave_franceconnect_out(self):
        response = self.api.get(f"{self.url}/@login")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["options"], [])

    def test_oidc_services_answer_404_for_franceconnect(self):
        for method, path in (
            ("GET", "@login-oidc/franceconnect"),
            ("POST", "@login-oidc/franceconnect"),
            ("GET", "@logout-oidc/franceconnect"),
        ):
            response = self.api.request(method, f"{self.url}/{path}", json={"qs": ""})
            self.assertEqual(response.status_code, 404, f"{method} {path}")
            self.assertNotIn("next_url", response.json())

    def test_jwt_login_unchanged(self):
        response = self.api.post(
            f"{self.url}/@login",
            json={"login": "amelie.lire", "password": PASSWORDS["amelie.lire"]},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("token", response.json())

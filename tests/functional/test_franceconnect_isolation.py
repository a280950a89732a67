"""Isolation unchanged for an account made through FranceConnect (#20): the
household isolation tests (test_household_isolation.py) run for a citizen
logged in through the local provider, her pages and her REST calls on the
session FranceConnect opened (such an account has no password for a JWT)."""

from illkirch.eservices.testing import FRANCECONNECT_FUNCTIONAL_TESTING
from illkirch.eservices.testing.franceconnect import franceconnect_session
from illkirch.eservices.testing.sessions import JSON_HEADERS

import requests
import test_household_isolation as isolation


class TestFranceConnectIsolation(isolation.TestIsolation):
    layer = FRANCECONNECT_FUNCTIONAL_TESTING
    own_marker = "DUBOIS"

    def log_in(self):
        self.browser = franceconnect_session(self.url, "angela")
        self.api = requests.Session()
        self.api.headers.update(JSON_HEADERS)
        self.api.cookies.update(self.browser.cookies)
        # logged in indeed: her own household answers, to pages and REST
        own = self.api.get(f"{self.url}/@household")
        self.assertEqual(own.status_code, 200, own.text)
        self.assertIn("DUBOIS", own.text)
        self.assertIn("DUBOIS", self.browser.get(f"{self.url}/@@mon-espace").text)

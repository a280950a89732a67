"""Sessions over HTTP (#13 item 10): the ``__ac`` cookie over https, the
other sessions ended by a password change, exactly 5 wrong passwords lock."""

from illkirch.eservices.accounts.pas import PLUGIN_ID
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.sessions import JSON_HEADERS
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session
from urllib.parse import urlsplit

import re
import requests
import time
import transaction
import unittest


TOKEN = re.compile(r'name="_authenticator" value="([0-9a-f]+)"')
LOGIN = "amelie.lire"
OLD = PASSWORDS["amelie.lire"]
NEW = "Autre-Secret-2026"


def set_cookie_headers(response, name="__ac"):
    """The raw ``Set-Cookie`` headers of ``name``."""
    return [
        value
        for value in response.raw.headers.getlist("Set-Cookie")
        if value.startswith(f"{name}=")
    ]


class SessionsTestCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()

    def browser(self, login=LOGIN, password=OLD):
        session = cookie_session(self.url, login, password)
        self.addCleanup(session.close)
        return session

    def rest(self, login=LOGIN, password=OLD):
        session = rest_session(self.url, login, password)
        self.addCleanup(session.close)
        return session

    def rest_login(self, password, login=LOGIN):
        return requests.post(
            f"{self.url}/@login",
            headers=JSON_HEADERS,
            json={"login": login, "password": password},
        )


class TestSecureCookie(SessionsTestCase):
    def setUp(self):
        super().setUp()
        app = self.layer["app"]
        if "virtual_hosting" not in app.objectIds():
            # what a Zope instance has, and the test server lacks
            from Products.SiteAccess.VirtualHostMonster import (
                manage_addVirtualHostMonster,
            )

            manage_addVirtualHostMonster(app)
            transaction.commit()

    def https_url(self, path):
        """``path`` on the site as a front server serving https sees it
        (Zope's virtual host monster)."""
        parts = urlsplit(self.url)
        return (
            f"{parts.scheme}://{parts.netloc}/VirtualHostBase/https/"
            f"portail.illkirch.example:443{parts.path}/VirtualHostRoot/{path}"
        )

    def test_cookie_is_secure_over_https(self):
        form = requests.post(
            self.https_url("login"),
            data={
                "__ac_name": LOGIN,
                "__ac_password": OLD,
                "buttons.login": "Se connecter",
                "form.widgets.came_from": "",
            },
            allow_redirects=False,
        )
        cookies = set_cookie_headers(form)
        self.assertTrue(cookies, (form.status_code, form.text[:300]))
        self.assertTrue(all("; Secure" in c for c in cookies), cookies)
        rest = requests.post(
            self.https_url("@login"),
            headers=JSON_HEADERS,
            json={"login": LOGIN, "password": OLD},
        )
        self.assertEqual(rest.status_code, 200, rest.text)
        cookies = set_cookie_headers(rest)
        self.assertTrue(cookies and all("; Secure" in c for c in cookies), rest.text)
        # a proxy that says so in X-Forwarded-Proto
        forwarded = requests.post(
            f"{self.url}/@login",
            headers={**JSON_HEADERS, "X-Forwarded-Proto": "https"},
            json={"login": LOGIN, "password": OLD},
        )
        cookies = set_cookie_headers(forwarded)
        self.assertTrue(cookies and all("; Secure" in c for c in cookies), cookies)

    def test_cookie_over_plain_http_still_works(self):
        response = requests.post(
            f"{self.url}/@login",
            headers=JSON_HEADERS,
            json={"login": LOGIN, "password": OLD},
        )
        cookies = set_cookie_headers(response)
        self.assertTrue(cookies)
        self.assertFalse(any("; Secure" in c for c in cookies), cookies)


class TestPasswordChangeEndsOtherSessions(SessionsTestCase):
    def assert_ended(self, rest_other, browser_other):
        self.assertEqual(rest_other.get(f"{self.url}/@household").status_code, 401)
        page = browser_other.get(
            f"{self.url}/@@mon-espace-compte", allow_redirects=False
        )
        self.assertNotEqual(page.status_code, 200)

    def assert_alive(self, rest_other, browser_other):
        self.assertEqual(rest_other.get(f"{self.url}/@household").status_code, 200)
        page = browser_other.get(
            f"{self.url}/@@mon-espace-compte", allow_redirects=False
        )
        self.assertEqual(page.status_code, 200)

    def test_rest_change_ends_the_other_sessions(self):
        other_rest, other_browser = self.rest(), self.browser()
        time.sleep(1.1)  # two JWTs of one user issued in the same second are one
        current = self.rest()
        self.assert_alive(other_rest, other_browser)
        response = current.post(
            f"{self.url}/@account-password",
            json={"current_password": OLD, "password": NEW, "password_confirm": NEW},
        )
        self.assertEqual(response.status_code, 204, response.text)
        self.assert_ended(other_rest, other_browser)
        # the session that made the change goes on
        self.assertEqual(current.get(f"{self.url}/@household").status_code, 200)
        self.assertEqual(self.rest_login(NEW).status_code, 200)

    def test_classic_change_ends_the_other_sessions(self):
        current, other_rest, other_browser = self.browser(), self.rest(), self.browser()
        page = current.get(f"{self.url}/@@changer-mot-de-passe")
        response = current.post(
            f"{self.url}/@@changer-mot-de-passe",
            data={
                "current_password": OLD,
                "password": NEW,
                "password_confirm": NEW,
                "_authenticator": TOKEN.search(page.text).group(1),
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 302, response.text[:500])
        self.assert_ended(other_rest, other_browser)
        page = current.get(f"{self.url}/@@mon-espace-compte", allow_redirects=False)
        self.assertEqual(page.status_code, 200)


class TestFailuresCountOnce(SessionsTestCase):
    def failures(self):
        transaction.begin()
        return len(self.portal.acl_users[PLUGIN_ID]._failures.get(LOGIN, ()))

    def test_rest_login_locks_after_exactly_five(self):
        for attempt in range(1, 5):
            self.assertEqual(self.rest_login("wrong").status_code, 401)
            self.assertEqual(self.failures(), attempt)
        # four wrong passwords: not locked, the right one works (and clears)
        self.assertEqual(self.rest_login(OLD).status_code, 200)
        self.assertEqual(self.failures(), 0)
        for _ in range(4):
            self.rest_login("wrong")
        self.assertEqual(self.failures(), 4)
        fifth = self.rest_login("wrong")
        self.assertEqual(fifth.status_code, 401)
        self.assertIn("bloquée", fifth.json()["error"]["message"])
        self.assertEqual(self.rest_login(OLD).status_code, 401)

    def test_unknown_identifier_counts_once_too(self):
        for _ in range(4):
            self.rest_login("wrong", login="personne.inconnue")
        transaction.begin()
        stored = self.portal.acl_users[PLUGIN_ID]._failures.get("personne.inconnue", ())
        self.assertEqual(len(stored), 4)

    def test_login_form_counts_once(self):
        for _ in range(4):
            response = requests.post(
                f"{self.url}/login",
                data={
                    "__ac_name": LOGIN,
                    "__ac_password": "wrong",
                    "buttons.login": "Se connecter",
                    "form.widgets.came_from": "",
                },
            )
            self.assertNotIn("bloquée", response.text)
        self.assertEqual(self.failures(), 4)
        self.assertEqual(self.rest_login(OLD).status_code, 200)

"""FranceConnect for a Volto or mobile client on its own address (#20,
docs/franceconnect.md « REST »), over HTTP through the local provider:
``GET /@login-oidc/franceconnect?redirect_uri=`` accepts exactly the
frontends' addresses of the settings (registered with the provider), the
whole flow comes back to the frontend's address, and
``GET /@logout-oidc/franceconnect`` gives a JWT of such a login the
provider's end of session, which ends it and comes back to an allowed
address."""

from illkirch.eservices.testing import FRANCECONNECT_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.franceconnect import ADDRESS
from illkirch.eservices.testing.franceconnect import provider_login
from illkirch.eservices.testing.layers import FRONTEND_POST_LOGOUT_URI
from illkirch.eservices.testing.layers import FRONTEND_REDIRECT_URI
from illkirch.eservices.testing.sessions import JSON_HEADERS
from illkirch.eservices.testing.sessions import rest_session
from urllib.parse import parse_qs
from urllib.parse import urlencode
from urllib.parse import urljoin
from urllib.parse import urlsplit

import base64
import json
import lxml.html
import requests
import unittest


NOT_ALLOWED = "n'est pas une adresse où FranceConnect peut vous renvoyer"
AFTER_LOGOUT = "peut vous renvoyer après la déconnexion"
ID_TOKEN_CLAIM = "franceconnect_id_token"


def jwt_payload(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class TestFranceConnectRestFrontends(unittest.TestCase):
    layer = FRANCECONNECT_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.api = requests.Session()
        self.api.headers.update(JSON_HEADERS)
        self.addCleanup(self.api.close)
        # the citizen's browser at the provider (its session cookies)
        self.browser = requests.Session()
        self.addCleanup(self.browser.close)

    # helpers -------------------------------------------------------------

    def start(self, redirect_uri):
        return self.api.get(
            f"{self.url}/@login-oidc/franceconnect",
            params={"redirect_uri": redirect_uri},
        )

    def follow_until(self, response, prefix):
        """Follow the provider's redirects by hand until one leads to
        ``prefix`` (the frontend's address, never served): its Location."""
        for _ in range(10):
            location = response.headers.get("Location")
            self.assertTrue(location, f"no redirect to {prefix}: {response.text}")
            location = urljoin(response.url, location)
            if location.startswith(prefix):
                return location
            response = self.browser.get(location, allow_redirects=False)
        raise AssertionError(f"no redirect to {prefix}")

    def provider_answer(self, next_url, login, redirect_uri):
        """The query string the provider sends back to ``redirect_uri``
        after ``login`` logs in and consents (the frontend catches it)."""
        response = provider_login(self.browser, next_url, login, allow_redirects=False)
        location = self.follow_until(response, redirect_uri)
        # exactly the frontend's address, followed by the answer
        self.assertEqual(location.split("?", 1)[0], redirect_uri)
        return urlsplit(location).query

    def login_through_frontend(self, login):
        """A JWT for ``login`` through the provider, the answer caught at the
        frontend's address; a first login completes the account (REST)."""
        start = self.start(FRONTEND_REDIRECT_URI)
        self.assertEqual(start.status_code, 200, start.text)
        start = start.json()
        query = self.provider_answer(start["next_url"], login, FRONTEND_REDIRECT_URI)
        response = self.api.post(
            f"{self.url}/@login-oidc/franceconnect",
            json={"qs": f"?{query}", "flow": start["flow"]},
        )
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json()
        if answer.get("completion_required"):
            response = self.api.post(
                f"{self.url}/@franceconnect-completion",
                json={
                    "completion_token": answer["completion_token"],
                    "email": answer["identity"]["email"],
                    **ADDRESS,
                    "consent": True,
                },
            )
            self.assertEqual(response.status_code, 201, response.text)
        return response.json()["token"]

    def logout_oidc(self, token=None, **params):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.api.get(
            f"{self.url}/@logout-oidc/franceconnect", params=params, headers=headers
        )

    def end_provider_session(self, next_url, post_logout_uri):
        """Follow ``next_url`` at the provider (its page « Se déconnecter »),
        confirm; the Location it sends the citizen to."""
        page = self.browser.get(next_url)
        self.assertEqual(page.status_code, 200, page.text)
        form = lxml.html.fromstring(page.text).get_element_by_id("op.logoutForm")
        response = self.browser.post(
            urljoin(page.url, form.get("action")),
            data={**dict(form.form_values()), "logout": "yes"},
            allow_redirects=False,
        )
        return self.follow_until(response, post_logout_uri)

    def provider_session_alive(self):
        """An authorization request without ``prompt=login``: True when the
        provider answers straight away (its session alive, consent given),
        False when it asks for the login again."""
        start = self.start(FRONTEND_REDIRECT_URI).json()
        parts = urlsplit(start["next_url"])
        query = {k: v for k, v in parse_qs(parts.query).items() if k != "prompt"}
        url = parts._replace(query=urlencode(query, doseq=True)).geturl()
        response = self.browser.get(url, allow_redirects=False)
        for _ in range(10):
            location = urljoin(response.url, response.headers.get("Location", ""))
            if location.startswith(FRONTEND_REDIRECT_URI):
                return True
            if "/interaction/" in location:
                page = self.browser.get(location)
                self.assertIn("Identifiant", page.text)
                return False
            response = self.browser.get(location, allow_redirects=False)
        raise AssertionError("the provider did not answer")

    # GET @login-oidc?redirect_uri= -------------------------------------------

    def test_a_frontend_redirect_uri_of_the_settings_is_accepted(self):
        response = self.start(FRONTEND_REDIRECT_URI)
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json()
        self.assertEqual(answer["redirect_uri"], FRONTEND_REDIRECT_URI)
        query = parse_qs(urlsplit(answer["next_url"]).query)
        self.assertEqual(query["redirect_uri"], [FRONTEND_REDIRECT_URI])
        # the site's own callback stays allowed, and the default
        own = self.api.get(f"{self.url}/@login-oidc/franceconnect").json()
        self.assertEqual(own["redirect_uri"], f"{self.url}/franceconnect-callback")

    def test_other_redirect_uris_are_refused(self):
        for uri in (
            "http://other.test/franceconnect/callback",
            # prefixes and suffixes of the allowed one
            FRONTEND_REDIRECT_URI[:-1],
            "http://frontend.test/franceconnect",
            f"{FRONTEND_REDIRECT_URI}/",
            f"{FRONTEND_REDIRECT_URI}x",
            f"{FRONTEND_REDIRECT_URI}?next=/evil",
            f"{FRONTEND_REDIRECT_URI}#x",
            f"{FRONTEND_REDIRECT_URI}@evil.test",
            f" {FRONTEND_REDIRECT_URI}",
            # another scheme, case, port or host
            FRONTEND_REDIRECT_URI.replace("http://", "https://"),
            FRONTEND_REDIRECT_URI.replace("frontend.test", "FRONTEND.test"),
            FRONTEND_REDIRECT_URI.replace("frontend.test", "frontend.test:80"),
            FRONTEND_REDIRECT_URI.replace("frontend.test", "frontend.test.evil"),
            # the post-logout address is not a redirect URI
            FRONTEND_POST_LOGOUT_URI,
        ):
            response = self.start(uri)
            self.assertEqual(response.status_code, 400, uri)
            self.assertNotIn("next_url", response.json())
            self.assertIn(NOT_ALLOWED, response.json()["error"]["message"])

    # the whole flow to the frontend, then the logout -------------------------

    def test_first_login_then_logout_back_to_the_frontend(self):
        token = self.login_through_frontend("angela")
        # the JWT keeps the session's ID token (signed with it)
        self.assertIn(ID_TOKEN_CLAIM, jwt_payload(token))
        household = requests.get(
            f"{self.url}/@household",
            headers={**JSON_HEADERS, "Authorization": f"Bearer {token}"},
        )
        self.assertEqual(household.status_code, 200, household.text)
        self.assertIn("DUBOIS", household.text)

        # an address not allowed after the logout: 400, nothing to follow
        for uri in ("http://other.test/", f"{FRONTEND_POST_LOGOUT_URI}/"):
            refused = self.logout_oidc(token, post_logout_redirect_uri=uri)
            self.assertEqual(refused.status_code, 400, uri)
            self.assertIn(AFTER_LOGOUT, refused.json()["error"]["message"])
            self.assertNotIn("next_url", refused.json())

        provider = self.layer["oidc"]
        self.assertTrue(self.provider_session_alive())
        ended = provider.ended_sessions()
        response = self.logout_oidc(
            token, post_logout_redirect_uri=FRONTEND_POST_LOGOUT_URI
        )
        self.assertEqual(response.status_code, 200, response.text)
        next_url = response.json()["next_url"]
        self.assertTrue(next_url.startswith(f"{provider.issuer}/session/end?"))
        query = parse_qs(urlsplit(next_url).query)
        self.assertEqual(query["id_token_hint"], [jwt_payload(token)[ID_TOKEN_CLAIM]])
        self.assertEqual(query["post_logout_redirect_uri"], [FRONTEND_POST_LOGOUT_URI])

        landing = self.end_provider_session(next_url, FRONTEND_POST_LOGOUT_URI)
        self.assertEqual(landing.split("?", 1)[0], FRONTEND_POST_LOGOUT_URI)
        self.assertEqual(provider.ended_sessions(), ended + 1)
        # the provider's session is over: it asks for the login again
        self.assertFalse(self.provider_session_alive())

    def test_next_login_of_a_linked_identity_then_logout_back_to_the_site(self):
        self.login_through_frontend("lucia")  # creates lucia's account
        self.browser.cookies.clear()
        # next login: POST @login-oidc gives the JWT straight away
        start = self.start(FRONTEND_REDIRECT_URI).json()
        query = self.provider_answer(start["next_url"], "lucia", FRONTEND_REDIRECT_URI)
        response = self.api.post(
            f"{self.url}/@login-oidc/franceconnect",
            json={"qs": f"?{query}", "flow": start["flow"]},
        )
        self.assertEqual(response.status_code, 200, response.text)
        token = response.json()["token"]
        self.assertIn(ID_TOKEN_CLAIM, jwt_payload(token))

        provider = self.layer["oidc"]
        ended = provider.ended_sessions()
        # by default back to the site's address
        next_url = self.logout_oidc(token).json()["next_url"]
        query = parse_qs(urlsplit(next_url).query)
        self.assertEqual(query["post_logout_redirect_uri"], [self.url])
        landing = self.end_provider_session(next_url, self.url)
        self.assertEqual(landing.split("?", 1)[0], self.url)
        self.assertEqual(provider.ended_sessions(), ended + 1)
        self.assertFalse(self.provider_session_alive())

    def test_no_franceconnect_session_to_end_without_such_a_jwt(self):
        # anonymous
        response = self.logout_oidc()
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"next_url": None})
        # a JWT of a login by password
        citizen = rest_session(self.url, "amelie.lire", PASSWORDS["amelie.lire"])
        self.addCleanup(citizen.close)
        response = citizen.get(f"{self.url}/@logout-oidc/franceconnect")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"next_url": None})
        # a forged JWT carrying an ID token is no session of anybody's
        token = citizen.headers["Authorization"].split()[-1]
        header, payload, signature = token.split(".")
        data = jwt_payload(token)
        data[ID_TOKEN_CLAIM] = "eyJhbGciOiJSUzI1NiJ9.e30.x"
        forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
        response = self.logout_oidc(f"{header}.{forged.rstrip('=')}.{signature}")
        self.assertEqual(response.json(), {"next_url": None})
        # the address is checked first, for everybody
        response = self.logout_oidc(post_logout_redirect_uri="http://other.test/")
        self.assertEqual(response.status_code, 400)

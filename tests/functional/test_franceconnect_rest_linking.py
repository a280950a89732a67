"""Linking an existing account to FranceConnect over REST (#20,
docs/franceconnect.md « REST »), over HTTP through the local provider, what
« Compte » does on the pages (test_franceconnect_linking.py):
``POST /@franceconnect-link`` with the account's password gives a link
flow, the provider's answer goes to ``POST /@login-oidc/franceconnect``
under the same user's JWT; ``GET`` tells the state, ``DELETE`` unlinks
while the account has a password. Refused: a wrong password (no flow), the
flow answered by another user or anonymously (no link, the code not even
used), an identity of another account; anonymous visitors; nothing of the
link leaks to others."""

from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.testing import FRANCECONNECT_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.franceconnect import ADDRESS
from illkirch.eservices.testing.franceconnect import callback_query
from illkirch.eservices.testing.sessions import JSON_HEADERS
from illkirch.eservices.testing.sessions import rest_session
from plone import api
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import base64
import json
import requests
import transaction
import unittest


AMELIE = ("amelie.lire", PASSWORDS["amelie.lire"])
JEROME = ("jerome.attente", PASSWORDS["jerome.attente"])
JEAN_SUB = "2b3c5f1e8a9d4c7b6e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2dv1"
ANGELA_SUB = "b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1"
WRONG_PASSWORD = "n'est pas votre mot de passe actuel"
EXPIRED = "a expiré ou n'a pas été demandée"
LINKED_ELSEWHERE = "déjà liée à un autre compte"
ACCOUNT_LINKED = "déjà lié à une identité FranceConnect"
NO_PASSWORD = "choisissez-en d'abord un"


def jwt_subject(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))[
        "sub"
    ]


def text_of(response):
    """The answer's text, its JSON read (no ``\\u`` escapes)."""
    try:
        return json.dumps(response.json(), ensure_ascii=False)
    except ValueError:
        return response.text


class TestFranceConnectRestLinking(unittest.TestCase):
    layer = FRANCECONNECT_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.link_url = f"{self.url}/@franceconnect-link"
        self.amelie = self.session(*AMELIE)
        self.anonymous = self.session()

    # helpers -------------------------------------------------------------

    def session(self, login=None, password=None):
        session = rest_session(self.url, login, password)
        self.addCleanup(session.close)
        return session

    def provider_answer(self, next_url, login):
        """The query string the provider sends back to the redirect URI
        after ``login`` logs in and consents (the browser's part)."""
        browser = requests.Session()
        self.addCleanup(browser.close)
        return callback_query(browser, next_url, login, self.url)

    def start_link(self, session, password):
        response = session.post(self.link_url, json={"password": password})
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def answer(self, session, start, query_string):
        return session.post(
            f"{self.url}/@login-oidc/franceconnect",
            json={"qs": f"?{query_string}", "flow": start["flow"]},
        )

    def fc_login(self, login):
        """A REST login with FranceConnect as ``login``: the answer of
        ``POST /@login-oidc/franceconnect``."""
        start = self.anonymous.get(f"{self.url}/@login-oidc/franceconnect").json()
        response = self.answer(
            self.anonymous, start, self.provider_answer(start["next_url"], login)
        )
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def angela_account(self):
        """Angela's account made through FranceConnect over REST (no
        password): a session with its JWT."""
        answer = self.fc_login("angela")
        created = self.anonymous.post(
            f"{self.url}/@franceconnect-completion",
            json={
                "completion_token": answer["completion_token"],
                "email": answer["identity"]["email"],
                **ADDRESS,
                "consent": True,
            },
        )
        self.assertEqual(created.status_code, 201, created.text)
        session = self.session()
        session.headers["Authorization"] = f"Bearer {created.json()['token']}"
        return session

    def state(self, session):
        response = session.get(self.link_url)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def linked_user(self, sub):
        transaction.begin()
        return franceconnect.linked_user(sub)

    def assert_error(self, response, status, message):
        self.assertEqual(response.status_code, status, response.text)
        self.assertIn(message, text_of(response))
        for secret in ("next_url", "flow", "token", "linked", JEAN_SUB, ANGELA_SUB):
            self.assertNotIn(secret, response.text)

    # the whole way -----------------------------------------------------------

    def test_link_log_in_with_it_then_unlink(self):
        self.assertEqual(
            self.state(self.amelie),
            {"linked": False, "has_password": True, "can_unlink": False},
        )
        start = self.start_link(self.amelie, AMELIE[1])
        self.assertEqual(start["expires_in"], 600)
        self.assertEqual(start["redirect_uri"], f"{self.url}/franceconnect-callback")
        query = parse_qs(urlsplit(start["next_url"]).query)
        self.assertEqual(query["redirect_uri"], [start["redirect_uri"]])
        self.assertEqual(query["acr_values"], ["eidas1"])
        # the provider's answer, sent back under her own JWT: linked
        response = self.answer(
            self.amelie, start, self.provider_answer(start["next_url"], "jean")
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"linked": True})
        self.assertEqual(self.linked_user(JEAN_SUB), "amelie.lire")
        self.assertEqual(
            self.state(self.amelie),
            {"linked": True, "has_password": True, "can_unlink": True},
        )
        # a second link: refused before the password
        again = self.amelie.post(self.link_url, json={"password": AMELIE[1]})
        self.assert_error(again, 409, ACCOUNT_LINKED)

        # FranceConnect now logs into her account: a JWT for amelie.lire
        answer = self.fc_login("jean")
        self.assertNotIn("completion_required", answer)
        self.assertEqual(jwt_subject(answer["token"]), "amelie.lire")
        own = requests.get(
            f"{self.url}/@household",
            headers={**JSON_HEADERS, "Authorization": f"Bearer {answer['token']}"},
        )
        self.assertEqual(own.status_code, 200, own.text)
        self.assertEqual(own.json()["title"], "Amélie Lire")

        # she has a password: she may unlink
        response = self.amelie.delete(self.link_url)
        self.assertEqual(response.status_code, 204, response.text)
        self.assertIsNone(self.linked_user(JEAN_SUB))
        self.assertEqual(
            self.state(self.amelie),
            {"linked": False, "has_password": True, "can_unlink": False},
        )
        # jean is a new identity again
        self.assertTrue(self.fc_login("jean")["completion_required"])

    # refusals ----------------------------------------------------------------

    def test_wrong_password_gives_no_flow(self):
        for body in ({"password": "pas-le-bon"}, {"password": ""}, {}, {"password": 1}):
            response = self.amelie.post(self.link_url, json=body)
            self.assert_error(response, 400, WRONG_PASSWORD)
            self.assertEqual(
                response.json()["error"]["errors"][0]["field"], "password", body
            )
        # a redirect URI other than the site's callback
        response = self.amelie.post(
            self.link_url,
            json={"password": AMELIE[1], "redirect_uri": "https://evil.example/cb"},
        )
        self.assert_error(response, 400, "n'est pas une adresse")

    def test_flow_answered_by_another_user_or_anonymously_is_refused(self):
        start = self.start_link(self.amelie, AMELIE[1])
        query = self.provider_answer(start["next_url"], "jean")
        jerome = self.session(*JEROME)
        for who, session in (("anonymous", self.anonymous), ("jerome", jerome)):
            response = self.answer(session, start, query)
            self.assert_error(response, 401, EXPIRED)
            self.assertIsNone(self.linked_user(JEAN_SUB), who)
        self.assertFalse(self.state(jerome)["linked"])
        # refused before the code was exchanged: she still may use it
        response = self.answer(self.amelie, start, query)
        self.assertEqual(response.json(), {"linked": True})
        self.assertEqual(self.linked_user(JEAN_SUB), "amelie.lire")
        # and the code is now spent
        self.assertEqual(self.answer(self.amelie, start, query).status_code, 401)

    def test_identity_of_another_account_is_refused(self):
        self.angela_account()
        start = self.start_link(self.amelie, AMELIE[1])
        response = self.answer(
            self.amelie, start, self.provider_answer(start["next_url"], "angela")
        )
        self.assert_error(response, 409, LINKED_ELSEWHERE)
        self.assertEqual(self.linked_user(ANGELA_SUB), "angela.dubois")
        self.assertFalse(self.state(self.amelie)["linked"])

    def test_account_without_password_cannot_unlink(self):
        angela = self.angela_account()
        self.assertEqual(
            self.state(angela),
            {"linked": True, "has_password": False, "can_unlink": False},
        )
        response = angela.delete(self.link_url)
        self.assert_error(response, 400, NO_PASSWORD)
        self.assertEqual(self.linked_user(ANGELA_SUB), "angela.dubois")
        self.assertTrue(self.state(angela)["linked"])

    def test_anonymous_visitors_get_401(self):
        for method in ("GET", "POST", "DELETE"):
            response = self.anonymous.request(
                method, self.link_url, json={"password": AMELIE[1]}
            )
            self.assertEqual(response.status_code, 401, method)
            self.assertNotIn("next_url", response.text)
            self.assertNotIn("linked", response.text)

    def test_disabled_franceconnect_answers_404(self):
        api.portal.set_registry_record(
            "illkirch.eservices.franceconnect.enabled", False
        )
        transaction.commit()
        self.assertEqual(self.amelie.get(self.link_url).status_code, 404)
        response = self.amelie.post(self.link_url, json={"password": AMELIE[1]})
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("next_url", response.text)

    def test_nothing_of_the_link_leaks(self):
        start = self.start_link(self.amelie, AMELIE[1])
        response = self.answer(
            self.amelie, start, self.provider_answer(start["next_url"], "jean")
        )
        self.assertEqual(response.json(), {"linked": True})
        jerome = self.session(*JEROME)
        # each sees only their own link: Jérôme's is none, whatever he asks
        self.assertEqual(
            self.state(jerome),
            {"linked": False, "has_password": True, "can_unlink": False},
        )
        for path in (
            "@franceconnect-link/amelie.lire",
            "@franceconnect-link?userid=amelie.lire",
            "@users/amelie.lire",
            "@users",
            "amelie.lire/@franceconnect-link",
        ):
            response = jerome.get(f"{self.url}/{path}")
            if response.status_code == 200:  # only his own state
                self.assertEqual(response.json()["linked"], False, path)
            else:
                self.assertIn(response.status_code, (401, 403, 404), path)
            self.assertNotIn(JEAN_SUB, response.text, path)
            self.assertNotIn("Amélie", text_of(response), path)
            self.assertNotIn("amelie.lire@example.org", response.text, path)
        # Jérôme cannot unlink her: his DELETE is his own account's
        self.assertEqual(jerome.delete(self.link_url).status_code, 204)
        self.assertEqual(self.linked_user(JEAN_SUB), "amelie.lire")
        # the identity's sub is in none of her own answers either
        for path in ("@franceconnect-link", "@users/amelie.lire", "@household"):
            response = self.amelie.get(f"{self.url}/{path}")
            self.assertEqual(response.status_code, 200, path)
            self.assertNotIn(JEAN_SUB, response.text, path)

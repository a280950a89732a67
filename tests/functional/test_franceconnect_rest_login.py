"""FranceConnect over REST (#20, docs/franceconnect.md « REST »), over HTTP
through the local provider: ``GET /@login`` lists it when enabled,
``GET /@login-oidc/franceconnect`` gives the provider's URL and the signed
flow, ``POST /@login-oidc/franceconnect`` exchanges the provider's answer
(a JWT, or a completion), ``POST /@franceconnect-completion`` creates the
account; refusals are 401 with no token; the JWT login is unchanged."""

from illkirch.eservices.testing import FRANCECONNECT_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.franceconnect import ADDRESS
from illkirch.eservices.testing.franceconnect import callback_query
from illkirch.eservices.testing.franceconnect import provider_login
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


REFUSED = "ne correspond pas à votre demande de connexion"
EXPIRED = "a expiré ou n'a pas été demandée"


class TestFranceConnectRest(unittest.TestCase):
    layer = FRANCECONNECT_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.api = requests.Session()
        self.api.headers.update(JSON_HEADERS)
        self.addCleanup(self.api.close)

    # helpers -------------------------------------------------------------

    def start(self):
        response = self.api.get(f"{self.url}/@login-oidc/franceconnect")
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def provider_answer(self, next_url, login):
        """The query string the provider sends back to the redirect URI
        after ``login`` logs in and consents (the browser's part)."""
        browser = requests.Session()
        self.addCleanup(browser.close)
        return callback_query(browser, next_url, login, self.url)

    def finish(self, start, query_string):
        return self.api.post(
            f"{self.url}/@login-oidc/franceconnect",
            json={"qs": f"?{query_string}", "flow": start["flow"]},
        )

    def assert_refused(self, response, message):
        self.assertEqual(response.status_code, 401, response.text)
        self.assertNotIn("token", response.text)
        self.assertIn(message, response.json()["error"]["message"])

    def complete(self, answer, **extra):
        return self.api.post(
            f"{self.url}/@franceconnect-completion",
            json={
                "completion_token": answer["completion_token"],
                "email": answer["identity"]["email"],
                **ADDRESS,
                "consent": True,
                **extra,
            },
        )

    def household_with(self, token):
        return requests.get(
            f"{self.url}/@household",
            headers={**JSON_HEADERS, "Authorization": f"Bearer {token}"},
        )

    # GET /@login, GET @login-oidc ------------------------------------------

    def test_login_providers_list_franceconnect_when_enabled(self):
        options = self.api.get(f"{self.url}/@login").json()["options"]
        self.assertEqual(
            options,
            [
                {
                    "id": "franceconnect",
                    "plugin": "oidc",
                    "title": "FranceConnect",
                    "url": f"{self.url}/@login-oidc/franceconnect",
                }
            ],
        )
        api.portal.set_registry_record(
            "illkirch.eservices.franceconnect.enabled", False
        )
        transaction.commit()
        self.assertEqual(self.api.get(f"{self.url}/@login").json()["options"], [])
        response = self.api.get(f"{self.url}/@login-oidc/franceconnect")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("next_url", response.json())

    def test_start_gives_the_provider_url_and_a_signed_flow(self):
        start = self.start()
        query = parse_qs(urlsplit(start["next_url"]).query)
        self.assertEqual(query["redirect_uri"], [f"{self.url}/franceconnect-callback"])
        self.assertEqual(query["acr_values"], ["eidas1"])
        self.assertEqual(query["code_challenge_method"], ["S256"])
        # the flow's secrets travel signed: altering them is refused
        payload, mac = start["flow"].rsplit(".", 1)
        flow = json.loads(base64.urlsafe_b64decode(payload))["data"]
        self.assertEqual(query["state"], [flow["state"]])
        self.assertEqual(query["nonce"], [flow["nonce"]])
        self.assertNotIn(flow["verifier"], start["next_url"])

    def test_start_refuses_a_redirect_uri_not_allowed(self):
        for uri in ("https://evil.example/callback", f"{self.url}/@@mon-espace"):
            response = self.api.get(
                f"{self.url}/@login-oidc/franceconnect", params={"redirect_uri": uri}
            )
            self.assertEqual(response.status_code, 400, uri)
            self.assertNotIn("next_url", response.json())
            self.assertIn("n'est pas une adresse", response.json()["error"]["message"])

    # the whole exchange ------------------------------------------------------

    def test_first_login_completion_then_jwt(self):
        start = self.start()
        response = self.finish(start, self.provider_answer(start["next_url"], "angela"))
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json()
        self.assertTrue(answer["completion_required"])
        self.assertNotIn("token", answer)
        self.assertEqual(answer["identity"]["last_name"], "DUBOIS")
        self.assertEqual(answer["identity"]["first_name"], "Angela Claire Louise")
        # the place of birth in words (the COG), not its INSEE code
        self.assertEqual(answer["identity"]["birth_place"], "Paris 7e Arrondissement")

        # bad input: French field errors, nothing created
        bad = self.complete(answer, postal_code="", consent=False)
        self.assertEqual(bad.status_code, 400, bad.text)
        fields = {e["field"] for e in bad.json()["error"]["errors"]}
        self.assertIn("postal_code", fields)
        self.assertIn("consent", fields)
        self.assertNotIn("token", bad.text)
        # an altered completion token
        forged = self.complete(
            {**answer, "completion_token": "x" + answer["completion_token"]}
        )
        self.assert_refused(forged, EXPIRED)

        not_a_list = self.complete(answer, members={"first_name": "Léa"})
        self.assertEqual(not_a_list.status_code, 400, not_a_list.text)
        self.assertNotIn("token", not_a_list.text)

        # docs/franceconnect.md's example
        child = {
            "member_type": "child",
            "civility": "mme",
            "first_name": "Léa",
            "last_name": "DUBOIS",
            "birth_date": "2015-03-02",
            "relationship": "child",
        }
        created = self.complete(answer, members=[child])
        self.assertEqual(created.status_code, 201, created.text)
        own = self.household_with(created.json()["token"])
        self.assertEqual(own.status_code, 200, own.text)
        self.assertIn("DUBOIS", own.text)
        self.assertEqual(
            [(m["first_name"], m["relationship"]) for m in own.json()["members"]],
            [("Angela Claire Louise", "holder"), ("Léa", "child")],
        )
        self.assertEqual(
            own.json()["members"][0]["birth_place"], "Paris 7e Arrondissement"
        )
        # the same completion again creates nothing more
        again = self.complete(answer)
        self.assertEqual(again.status_code, 400)
        self.assertNotIn("token", again.text)

        # next login: straight to a JWT
        start = self.start()
        response = self.finish(start, self.provider_answer(start["next_url"], "angela"))
        self.assertEqual(response.status_code, 200, response.text)
        self.assertNotIn("completion_required", response.json())
        own = self.household_with(response.json()["token"])
        self.assertEqual(own.status_code, 200, own.text)
        self.assertIn("DUBOIS", own.text)

    def test_place_of_birth_named_from_the_provider_codes(self):
        """The provider's test identities give INSEE codes (oidc/identities.js):
        the identity to complete, over REST and on the completion page,
        names them."""
        for login, place in (("jean", "Strasbourg (Bas-Rhin)"), ("lucia", "Espagne")):
            start = self.start()
            answer = self.finish(start, self.provider_answer(start["next_url"], login))
            self.assertEqual(answer.status_code, 200, answer.text)
            self.assertEqual(answer.json()["identity"]["birth_place"], place)
        page = self.completion_page("lucia")
        self.assertIn("Espagne", page)
        self.assertNotIn("99134", page)

    def completion_page(self, login):
        """The completion page (« Finalisez votre compte ») of a first login
        through the pages, as a browser gets it."""
        browser = requests.Session()
        self.addCleanup(browser.close)
        page = provider_login(browser, f"{self.url}/@@franceconnect-login", login)
        self.assertIn("@@franceconnect-inscription", page.url)
        return page.text

    def test_tampered_state_is_refused(self):
        start = self.start()
        query = self.provider_answer(start["next_url"], "jean")
        params = parse_qs(query)
        tampered = query.replace(params["state"][0], "x" + params["state"][0])
        self.assert_refused(self.finish(start, tampered), REFUSED)

    def test_replayed_code_is_refused(self):
        start = self.start()
        query = self.provider_answer(start["next_url"], "jean")
        self.assertEqual(self.finish(start, query).status_code, 200)
        self.assert_refused(self.finish(start, query), REFUSED)

    def test_altered_or_missing_flow_is_refused(self):
        start = self.start()
        query = self.provider_answer(start["next_url"], "jean")
        payload, mac = start["flow"].rsplit(".", 1)
        data = json.loads(base64.urlsafe_b64decode(payload))
        data["until"] += 3600
        altered = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
        self.assert_refused(self.finish({"flow": f"{altered}.{mac}"}, query), EXPIRED)
        self.assert_refused(self.finish({"flow": ""}, query), EXPIRED)

    def test_expired_flow_is_refused(self):
        from illkirch.eservices.accounts import franceconnect

        start = self.start()
        query = self.provider_answer(start["next_url"], "jean")
        payload = start["flow"].rsplit(".", 1)[0]
        flow = json.loads(base64.urlsafe_b64decode(payload))["data"]
        transaction.begin()
        expired = franceconnect.signed(flow, -1)  # the site's own key
        self.assert_refused(self.finish({"flow": expired}, query), EXPIRED)

    def test_spoiled_id_token_is_refused(self):
        for how in ("nonce", "key", "expired"):
            self.layer["oidc"].tamper(how)
            start = self.start()
            query = self.provider_answer(start["next_url"], "jean")
            self.assert_refused(self.finish(start, query), REFUSED)

    def test_posts_need_json(self):
        for path in ("@login-oidc/franceconnect", "@franceconnect-completion"):
            response = requests.post(
                f"{self.url}/{path}",
                data={"qs": "code=x"},
                headers={"Accept": "application/json"},
            )
            self.assertEqual(response.status_code, 415, path)
            self.assertNotIn("token", response.text)

    def test_logout_oidc_without_a_franceconnect_jwt(self):
        # nothing to end at FranceConnect (test_franceconnect_rest_frontends)
        response = self.api.get(f"{self.url}/@logout-oidc/franceconnect")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"next_url": None})
        api.portal.set_registry_record(
            "illkirch.eservices.franceconnect.enabled", False
        )
        transaction.commit()
        response = self.api.get(f"{self.url}/@logout-oidc/franceconnect")
        self.assertEqual(response.status_code, 404)

    def test_agents_queue_shows_the_verification_verified_first(self):
        agent = rest_session(self.url, *AGENT)
        self.addCleanup(agent.close)
        before = agent.get(f"{self.url}/@accounts").json()["items"]
        self.assertEqual([i["holder_id"] for i in before], ["jerome.attente"])
        self.assertIsNone(before[0]["identity_verification"])
        start = self.start()
        answer = self.finish(start, self.provider_answer(start["next_url"], "angela"))
        self.assertEqual(self.complete(answer.json()).status_code, 201)
        response = agent.get(f"{self.url}/@accounts")
        self.assertEqual(response.status_code, 200, response.text)
        items = response.json()["items"]
        # angela's is newer, yet first: FranceConnect verified her identity
        self.assertEqual(
            [i["holder_id"] for i in items], ["angela.dubois", "jerome.attente"]
        )
        verification = items[0]["identity_verification"]
        self.assertEqual(verification["by"], "franceconnect")
        self.assertEqual(
            verification["fields"],
            ["civility", "first_name", "last_name", "birth_date", "birth_place"],
        )
        self.assertIsNone(items[1]["identity_verification"])
        # one per batch: still in that order
        first = agent.get(f"{self.url}/@accounts?b_size=1").json()
        self.assertEqual(first["items"][0]["holder_id"], "angela.dubois")
        self.assertEqual(first["items_total"], 2)

    def test_jwt_login_unchanged(self):
        response = self.api.post(
            f"{self.url}/@login",
            json={"login": "amelie.lire", "password": PASSWORDS["amelie.lire"]},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("token", response.json())

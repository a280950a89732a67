"""Validation of accounts over HTTP: REST (@accounts, @workflow, PATCH), the
agents' page « Comptes à valider », Plone's state menu, and the emails the
citizens receive over SMTP."""

from illkirch.eservices.accounts import households
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.sessions import ACCEPT_JSON
from urllib.parse import unquote

import re
import requests
import unittest


class ValidationOverHTTP(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.sink = self.layer["mailsink"]
        self.jerome_url = households.household_of("jerome.attente").absolute_url()
        self.amelie_url = households.household_of("amelie.lire").absolute_url()

    def session(self, credentials):
        session = requests.Session()
        login, password = credentials
        response = session.post(
            f"{self.url}/@login",
            headers=ACCEPT_JSON,
            json={"login": login, "password": password},
        )
        self.assertEqual(response.status_code, 200, response.text)
        session.headers["Authorization"] = f"Bearer {response.json()['token']}"
        self.addCleanup(session.close)
        return session

    def household(self, url):
        """The household as the agent reads it over REST (fresh from the ZODB)."""
        response = self.session(AGENT).get(url, headers=ACCEPT_JSON)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def state(self, url):
        return self.household(url)["review_state"]

    def workflow(self, session, url, transition, comment=None):
        data = {} if comment is None else {"comment": comment}
        return session.post(
            f"{url}/@workflow/{transition}", headers=ACCEPT_JSON, json=data
        )

    def authenticator(self, session):
        html = session.get(f"{self.url}/@@comptes-a-valider").text
        match = re.search(r'name="_authenticator"\s+value="([^"]+)"', html)
        self.assertIsNotNone(match, "no CSRF token in the page")
        return match.group(1)


class TestWorkflowOverREST(ValidationOverHTTP):
    def test_agent_validates_and_the_citizen_is_emailed(self):
        response = self.workflow(
            self.session(AGENT), self.jerome_url, "validate", "Justificatifs vérifiés."
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["review_state"], "validated")
        self.assertEqual(self.state(self.jerome_url), "validated")
        [message] = self.sink.messages()
        self.assertEqual(message["To"], "jerome.attente@example.org")
        self.assertEqual(message["Subject"], "Votre compte est validé")
        body = message.get_body(("plain",)).get_content()
        self.assertIn("Bonjour Jérôme Attente,", body)
        self.assertIn("Vous pouvez désormais modifier votre compte", body)
        self.assertIn("Message de la mairie : Justificatifs vérifiés.", body)

    def test_reject_needs_a_reason(self):
        agent = self.session(AGENT)
        for data in (None, "", "  "):
            response = self.workflow(agent, self.jerome_url, "reject", data)
            self.assertEqual(response.status_code, 400, response.text)
            self.assertEqual(
                response.json()["error"]["message"],
                "Indiquez le motif du refus de ce compte : il est envoyé au citoyen.",
            )
        self.assertEqual(self.state(self.jerome_url), "pending")
        self.assertEqual(self.sink.messages(), [])

    def test_reject_with_a_reason_emails_it(self):
        response = self.workflow(
            self.session(AGENT),
            self.jerome_url,
            "reject",
            "Adresse hors de la commune.",
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.state(self.jerome_url), "rejected")
        [message] = self.sink.messages()
        self.assertEqual(message["To"], "jerome.attente@example.org")
        self.assertEqual(message["Subject"], "Votre demande de compte est refusée")
        self.assertIn(
            "Motif : Adresse hors de la commune.",
            message.get_body(("plain",)).get_content(),
        )

    def test_suspend_needs_a_reason(self):
        agent = self.session(AGENT)
        response = self.workflow(agent, self.amelie_url, "suspend")
        self.assertEqual(response.status_code, 400, response.text)
        self.assertIn("motif de la suspension", response.json()["error"]["message"])
        self.assertEqual(self.state(self.amelie_url), "validated")
        response = self.workflow(agent, self.amelie_url, "suspend", "Impayés.")
        self.assertEqual(response.status_code, 200, response.text)
        [message] = self.sink.messages()
        self.assertEqual(message["Subject"], "Votre compte est suspendu")
        self.assertIn("Motif : Impayés.", message.get_body(("plain",)).get_content())

    def test_citizen_cannot_validate_their_own_household(self):
        response = self.workflow(self.session(JEROME), self.jerome_url, "validate")
        # plone.restapi answers 400 ("No workflow provides the 'validate'
        # action") to a user who may see the household but not validate it.
        self.assertIn(response.status_code, (400, 401, 403), response.text)
        self.assertEqual(self.state(self.jerome_url), "pending")
        self.assertEqual(self.sink.messages(), [])


class TestBillingAccountOverREST(ValidationOverHTTP):
    def test_agent_patches_the_billing_account(self):
        response = self.session(AGENT).patch(
            self.jerome_url, headers=ACCEPT_JSON, json={"billing_account": "ILK-004242"}
        )
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(
            self.household(self.jerome_url)["billing_account"], "ILK-004242"
        )

    def test_citizen_cannot_patch_their_billing_account(self):
        # pending: the household is read-only for its citizen
        response = self.session(JEROME).patch(
            self.jerome_url, headers=ACCEPT_JSON, json={"billing_account": "PIRATE-1"}
        )
        self.assertIn(response.status_code, (400, 401, 403), response.text)
        self.assertFalse(self.household(self.jerome_url)["billing_account"])
        # validated: the citizen may edit their household, not this field
        # (write_permission); plone.restapi skips the field silently (204).
        response = self.session(AMELIE).patch(
            self.amelie_url, headers=ACCEPT_JSON, json={"billing_account": "PIRATE-2"}
        )
        self.assertIn(response.status_code, (204, 400, 401, 403), response.text)
        self.assertEqual(
            self.household(self.amelie_url)["billing_account"], "ILK-000123"
        )


class TestAccountsList(ValidationOverHTTP):
    def test_agent_lists_pending_accounts(self):
        agent = self.session(AGENT)
        response = agent.get(
            f"{self.url}/@accounts?review_state=pending", headers=ACCEPT_JSON
        )
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        self.assertTrue(data["@id"].startswith(f"{self.url}/@accounts"))
        self.assertEqual(data["items_total"], 1)
        [item] = data["items"]
        self.assertEqual(item["@id"], self.jerome_url)
        self.assertEqual(item["holder_id"], "jerome.attente")
        self.assertEqual(item["identifier"], "jérôme.attente")
        self.assertEqual(item["fullname"], "Jérôme Attente")
        self.assertEqual(item["email"], "jerome.attente@example.org")
        self.assertEqual(item["review_state"], "pending")
        self.assertIsInstance(item["waiting_business_days"], int)
        self.assertIs(item["late"], False)  # the demo household is new
        self.assertIsNone(item["billing_account"])
        self.assertTrue(item["UID"])
        self.assertRegex(item["created"], r"^\d{4}-\d\d-\d\dT")
        # the default state is pending; search ignores case and accents
        for query in ("", "?q=JEROME", "?q=attente%40example"):
            data = agent.get(f"{self.url}/@accounts{query}", headers=ACCEPT_JSON).json()
            self.assertEqual(
                [i["@id"] for i in data["items"]], [self.jerome_url], query
            )
        data = agent.get(f"{self.url}/@accounts?q=amelie", headers=ACCEPT_JSON).json()
        self.assertEqual(data["items"], [])
        # other states
        data = agent.get(
            f"{self.url}/@accounts?review_state=validated", headers=ACCEPT_JSON
        ).json()
        [item] = data["items"]
        self.assertEqual(item["holder_id"], "amelie.lire")
        self.assertEqual(item["billing_account"], "ILK-000123")
        self.assertIsNone(item["waiting_business_days"])
        self.assertIs(item["late"], False)
        response = agent.get(
            f"{self.url}/@accounts?review_state=published", headers=ACCEPT_JSON
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("État de compte inconnu", response.json()["error"]["message"])

    def test_citizens_and_anonymous_cannot_list_accounts(self):
        for session in (self.session(AMELIE), self.session(JEROME), requests.Session()):
            response = session.get(f"{self.url}/@accounts", headers=ACCEPT_JSON)
            self.assertIn(response.status_code, (401, 403), response.text)
            self.assertNotIn("jerome.attente@example.org", response.text)


class TestQueuePage(ValidationOverHTTP):
    def test_agent_sees_the_queue(self):
        response = self.session(AGENT).get(f"{self.url}/@@comptes-a-valider")
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn("<title>Comptes à valider — ", html)
        self.assertIn("Comptes à valider</h1>", html)
        self.assertIn("Jérôme Attente", html)
        self.assertIn("jérôme.attente", html)
        self.assertIn("jerome.attente@example.org", html)
        self.assertIn("<caption>Comptes en attente de validation", html)
        self.assertNotIn("amelie.lire@example.org", html)  # validated

    def test_citizens_cannot_open_the_queue(self):
        for session in (self.session(AMELIE), self.session(JEROME), requests.Session()):
            response = session.get(
                f"{self.url}/@@comptes-a-valider", allow_redirects=False
            )
            self.assertIn(response.status_code, (302, 401, 403))
            if response.status_code == 302:
                self.assertIn("require_login", unquote(response.headers["Location"]))
            self.assertNotIn("jerome.attente@example.org", response.text)

    def queue_uid(self, agent):
        data = agent.get(f"{self.url}/@accounts", headers=ACCEPT_JSON).json()
        return data["items"][0]["UID"]

    def test_post_without_csrf_token_changes_nothing(self):
        agent = self.session(AGENT)
        response = agent.post(
            f"{self.url}/@@comptes-a-valider",
            allow_redirects=False,
            data={
                "action": "validate",
                "household": self.queue_uid(agent),
                "billing_account": "ILK-CSRF",
            },
        )
        self.assertEqual(response.status_code, 403)
        household = self.household(self.jerome_url)
        self.assertEqual(household["review_state"], "pending")
        self.assertFalse(household["billing_account"])
        self.assertEqual(self.sink.messages(), [])

    def test_validate_from_the_page(self):
        agent = self.session(AGENT)
        response = agent.post(
            f"{self.url}/@@comptes-a-valider",
            allow_redirects=False,
            data={
                "_authenticator": self.authenticator(agent),
                "action": "validate",
                "q": "jerome",
                "household": self.queue_uid(agent),
                "billing_account": " ILK-000456 ",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            response.headers["Location"], f"{self.url}/@@comptes-a-valider?q=jerome"
        )
        household = self.household(self.jerome_url)
        self.assertEqual(household["review_state"], "validated")
        self.assertEqual(household["billing_account"], "ILK-000456")
        html = agent.get(response.headers["Location"]).text
        self.assertIn("Le compte de Jérôme Attente est validé", html)
        self.assertIn("Aucun compte en attente de validation ne correspond", html)
        [message] = self.sink.messages()
        self.assertEqual(message["Subject"], "Votre compte est validé")
        self.assertIn("ILK-000456", message.get_body(("plain",)).get_content())

    def test_reject_from_the_page_needs_a_reason(self):
        agent = self.session(AGENT)
        token, uid = self.authenticator(agent), self.queue_uid(agent)
        response = agent.post(
            f"{self.url}/@@comptes-a-valider",
            data={
                "_authenticator": token,
                "action": "reject",
                "household": uid,
                "reason": "  ",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Indiquez le motif du refus de ce compte", response.text)
        self.assertEqual(self.state(self.jerome_url), "pending")
        response = agent.post(
            f"{self.url}/@@comptes-a-valider",
            data={
                "_authenticator": token,
                "action": "reject",
                "household": uid,
                "reason": "Doublon.",
            },
        )
        self.assertIn("Le compte de Jérôme Attente est refusé", response.text)
        self.assertEqual(self.state(self.jerome_url), "rejected")
        [message] = self.sink.messages()
        self.assertIn("Motif : Doublon.", message.get_body(("plain",)).get_content())


class TestPloneStateMenu(ValidationOverHTTP):
    def test_reject_without_reason_shows_the_error(self):
        agent = self.session(AGENT)
        token = self.authenticator(agent)
        response = agent.post(
            f"{self.jerome_url}/content_status_modify",
            allow_redirects=False,
            data={"workflow_action": "reject", "_authenticator": token},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            response.headers["Location"], f"{self.jerome_url}/content_status_history"
        )
        html = agent.get(response.headers["Location"]).text
        self.assertIn("Indiquez le motif du refus de ce compte", html)
        self.assertEqual(self.state(self.jerome_url), "pending")
        # with a reason, Plone's form rejects the account
        response = agent.post(
            f"{self.jerome_url}/content_status_modify",
            data={
                "workflow_action": "reject",
                "_authenticator": token,
                "comment": "Pièces manquantes.",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.state(self.jerome_url), "rejected")
        [message] = self.sink.messages()
        self.assertIn(
            "Motif : Pièces manquantes.", message.get_body(("plain",)).get_content()
        )

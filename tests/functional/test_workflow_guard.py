"""On a request, Plone's own forms that fire a transition
(``content_status_modify``, ``content_status_history``) are refused to
agents over HTTP: they fire nothing and send to the request's processing
form with a French message; the processing form works; administrators keep
Plone's forms. (``POST @workflow`` is the REST processing API: open.)"""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import html
import re
import requests
import unittest


TOKEN = re.compile(r'name="_authenticator" value="([^"]+)"')
REFUSED = (
    "Le statut d'une demande ne change que par le formulaire de traitement de sa page"
)


class TestWorkflowGuard(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        response = self.rest(AMELIE).post(
            f"{self.url}/@requests",
            json={
                "service": "signalement-voie-publique",
                "answers": SIGNALEMENT_ANSWERS,
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.request_url = response.json()["@id"]

    def rest(self, account):
        session = rest_session(self.url, *account)
        self.addCleanup(session.close)
        return session

    def browser(self, login, password):
        """Pages and forms (no JSON headers), logged in by HTTP Basic."""
        session = requests.Session()
        session.auth = (login, password)
        self.addCleanup(session.close)
        return session

    def state(self):
        response = self.rest(VOIRIE).get(self.request_url)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()["review_state"]

    def token(self, session):
        match = TOKEN.search(session.get(self.request_url).text)
        self.assertIsNotNone(match, "no CSRF token on the request's page")
        return match.group(1)

    def test_agent_is_sent_to_the_processing_form(self):
        agent = self.browser(*VOIRIE)
        token = self.token(agent)
        for view, params in (
            (
                "content_status_modify",
                {"workflow_action": "mark_complete", "_authenticator": token},
            ),
            ("content_status_history", {}),
        ):
            response = agent.get(
                f"{self.request_url}/{view}", params=params, allow_redirects=False
            )
            self.assertEqual(response.status_code, 302, view)
            self.assertEqual(
                response.headers["Location"], f"{self.request_url}#traitement", view
            )
            self.assertEqual(self.state(), "submitted", view)
            page = agent.get(response.headers["Location"])
            self.assertIn(REFUSED, html.unescape(page.text), view)
        # a form posted to Plone's view fires nothing either
        response = agent.post(
            f"{self.request_url}/content_status_modify",
            data={"workflow_action": "mark_complete", "_authenticator": token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.state(), "submitted")
        # the processing form does
        response = agent.post(
            f"{self.request_url}/@@changer-statut",
            data={"transition": "mark_complete", "_authenticator": token},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.state(), "complete")

    def test_administrators_keep_plone_forms(self):
        admin = self.browser(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        response = admin.get(
            f"{self.request_url}/content_status_modify",
            params={
                "workflow_action": "mark_complete",
                "_authenticator": self.token(admin),
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("#traitement", response.headers["Location"])
        self.assertEqual(self.state(), "complete")

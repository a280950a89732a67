"""Closing an account: the holder asks, an agent closes, the data go."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.sessions import JSON_HEADERS
from illkirch.eservices.testing.sessions import rest_session
from plone import api

import requests
import transaction
import unittest


class TestClosure(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.sink = self.layer["mailsink"]
        self.household_url = household_of("amelie.lire").absolute_url()

    def session(self, login, password):
        return rest_session(self.url, login, password)

    def test_citizen_asks_agent_closes_data_deleted(self):
        citizen = self.session("amelie.lire", PASSWORDS["amelie.lire"])
        # a citizen cannot close by themself
        response = citizen.post(f"{self.household_url}/@workflow/close", json={})
        self.assertIn(response.status_code, (400, 401, 403))  # transition refused
        transaction.begin()
        self.assertEqual(
            api.content.get_state(household_of("amelie.lire")), "validated"
        )
        response = citizen.post(f"{self.url}/@account-closure")
        self.assertEqual(response.status_code, 202, response.text)
        recipients = [m["To"] for m in self.sink.messages()]
        self.assertIn("amelie.lire@example.org", recipients)
        self.assertIn("accueil@illkirch.example", recipients)

        agent = self.session(*AGENT)
        response = agent.post(
            f"{self.household_url}/@workflow/close",
            json={"comment": "Demande de l'usager."},
        )
        self.assertEqual(response.status_code, 200, response.text)
        transaction.begin()
        self.assertIsNone(api.user.get(userid="amelie.lire"))
        self.assertIsNone(household_of("amelie.lire"))
        household = self.portal.restrictedTraverse(
            self.household_url.replace(self.url + "/", ""), None
        ) or self.portal.unrestrictedTraverse(
            self.household_url.replace(self.url + "/", "")
        )
        # the persons are deleted; the invoices (and requests) stay, as the
        # law requires the town to keep them
        self.assertEqual(
            {obj.portal_type for obj in household.objectValues()}, {"Invoice"}
        )
        self.assertIsNone(household.street)
        self.assertEqual(household.title, "Foyer clôturé")
        self.assertEqual(api.content.get_state(household), "closed")
        self.assertIn("clôturé", self.sink.messages()[-1]["Subject"])
        # the identifier no longer works
        response = requests.post(
            f"{self.url}/@login",
            headers=JSON_HEADERS,
            json={"login": "amelie.lire", "password": PASSWORDS["amelie.lire"]},
        )
        self.assertEqual(response.status_code, 401)

    def test_closure_page_asks_once(self):
        session = requests.Session()
        session.post(
            f"{self.url}/login",
            data={
                "__ac_name": "amelie.lire",
                "__ac_password": PASSWORDS["amelie.lire"],
                "buttons.login": "Se connecter",
            },
        )
        page = session.get(f"{self.url}/@@fermer-mon-compte")
        self.assertIn("Demander la fermeture de mon compte", page.text)
        # without the CSRF token nothing happens
        response = session.post(f"{self.url}/@@fermer-mon-compte")
        self.assertIn(response.status_code, (403,))
        self.assertEqual(self.sink.messages(), [])

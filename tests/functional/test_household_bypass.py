"""No way around the domain layer: Plone's content edit and REST PATCH of a
household or a member are for the town's staff only."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.sessions import rest_session
from plone import api

import transaction
import unittest


class TestNoBypass(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        household = household_of("amelie.lire")
        self.household_url = household.absolute_url()
        self.child_url = [p for p in household.persons() if p.member_type == "child"][
            0
        ].absolute_url()

    def session(self, login, password):
        return rest_session(self.url, login, password)

    def test_citizen_cannot_patch_content_directly(self):
        citizen = self.session("amelie.lire", PASSWORDS["amelie.lire"])
        for url, data in (
            (self.child_url, {"email": "leo@example.org"}),
            (self.household_url, {"holder_id": "jerome.attente"}),
            (self.household_url, {"city": "Ailleurs"}),
        ):
            response = citizen.patch(url, json=data)
            self.assertIn(response.status_code, (401, 403), (url, response.text))
        response = citizen.delete(self.child_url)
        self.assertIn(response.status_code, (401, 403))
        page = citizen.get(f"{self.household_url}/edit", allow_redirects=False)
        self.assertIn(page.status_code, (302, 401, 403))
        transaction.begin()
        household = household_of("amelie.lire")
        self.assertEqual(household.city, "Illkirch-Graffenstaden")
        self.assertEqual(household.holder_id, "amelie.lire")
        self.assertEqual(len(household.persons()), 3)
        self.assertIsNone(
            [p for p in household.persons() if p.member_type == "child"][0].email
        )

    def test_agent_patches_the_billing_account(self):
        agent = self.session(*AGENT)
        response = agent.patch(self.household_url, json={"billing_account": "ILK-777"})
        self.assertEqual(response.status_code, 204, response.text)
        bad = agent.patch(self.household_url, json={"postal_code": "ABCDE"})
        self.assertEqual(bad.status_code, 400, bad.text)
        transaction.begin()
        self.assertEqual(household_of("amelie.lire").billing_account, "ILK-777")
        self.assertEqual(household_of("amelie.lire").postal_code, "67400")
        from illkirch.eservices.history import entries

        latest = entries(household_of("amelie.lire"))[-1]
        self.assertEqual(
            (latest["action"], latest["text"], latest["actor"]),
            ("household_updated", "billing_account", "agent.accueil"),
        )
        self.assertEqual(
            api.content.get_state(household_of("amelie.lire")), "validated"
        )

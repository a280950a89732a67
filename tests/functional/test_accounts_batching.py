"""``GET /@accounts`` in batches: oldest first, plone.restapi's links."""

from DateTime import DateTime
from illkirch.eservices.accounts.households import create_household
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.sessions import rest_session
from plone import api

import transaction
import unittest


class TestAccountsBatching(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        for number in range(3):
            userid = f"batch.citizen{number}"
            api.user.create(
                email=f"{userid}@example.org",
                username=userid,
                password="Secret-Password-2026",
            )
            household = create_household(
                userid,
                f"Citoyen {number}",
                {
                    "street": f"{number} rue",
                    "postal_code": "67400",
                    "city": "Illkirch",
                    "contact_preference": "email",
                },
            )
            # the catalog's dates have a minute's resolution: hours apart
            household.creation_date = DateTime() + (number + 1) / 24
            household.reindexObject(idxs=["created"])
        transaction.commit()
        self.agent = rest_session(self.url, *AGENT)

    def test_pages_of_two(self):
        first = self.agent.get(f"{self.url}/@accounts", params={"b_size": 2}).json()
        self.assertEqual(first["items_total"], 4)  # the demo's pending one + 3
        self.assertEqual(
            [i["holder_id"] for i in first["items"]],
            ["jerome.attente", "batch.citizen0"],
        )
        self.assertIn("next", first["batching"])
        second = self.agent.get(first["batching"]["next"]).json()
        self.assertEqual(
            [i["holder_id"] for i in second["items"]],
            ["batch.citizen1", "batch.citizen2"],
        )
        self.assertNotIn("next", second["batching"])

    def test_search_then_batch(self):
        found = self.agent.get(
            f"{self.url}/@accounts", params={"q": "citizen", "b_size": 1}
        ).json()
        self.assertEqual(found["items_total"], 3)
        self.assertEqual(len(found["items"]), 1)

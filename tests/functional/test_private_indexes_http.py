"""The conversations' indexes over HTTP (docs/security.md): a citizen
cannot tell a request with an internal note only from one without
messages, nor learn whether an agent read her conversation, through
``@search``, ``@@search``, ``@@ajax-search``, ``@querystring-search`` or
``@@getVocabulary`` (criteria or sorting on ``conversation_size`` and
``conversation_up_to_date``); the agents' filter « Messages non lus » keeps
working (tests/functional/test_unread_api.py)."""

from illkirch.eservices.conversation import store
from illkirch.eservices.conversation.unread import HAS_MESSAGES
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session
from illkirch.eservices.testing.unread import agent_says
from illkirch.eservices.testing.unread import citizen_says
from illkirch.eservices.testing.unread import passport_request
from plone import api
from plone.app.testing import login
from plone.app.testing import logout

import json
import transaction
import unittest


AGENT_ID = "agent.accueil"

# (criteria, sort_on) a citizen could try; ``RANGE`` in each syntax
PROBES = [
    ({"conversation_size": "1"}, None),
    ("RANGE", None),
    ({"conversation_up_to_date": HAS_MESSAGES}, None),
    ({"conversation_up_to_date": AGENT_ID}, None),
    ({}, "conversation_size"),
    ({}, "conversation_up_to_date"),
]
# plone.restapi unflattens dotted names; ZPublisher reads records
REST_RANGE = {"conversation_size.query:int": "1", "conversation_size.range": "min"}
FORM_RANGE = {
    "conversation_size.query:record:int": "1",
    "conversation_size.range:record": "min",
}


class TestPrivateIndexes(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        self.url = portal.absolute_url()
        login(portal, "amélie.lire")
        made = [passport_request(portal, "amelie.lire") for _i in range(3)]
        logout()
        self.noted, self.quiet, self.talked = made
        # an internal note only; nothing; a conversation the agent read
        agent_says(self.noted, AGENT_ID, "Note interne", internal=True)
        citizen_says(self.talked, "amelie.lire")
        store.mark_read(self.talked, AGENT_ID, store.AGENT)
        transaction.commit()
        # the catalog does hold what must not leak
        catalog = api.portal.get_tool("portal_catalog")
        leaked = {
            b.UID
            for b in catalog.unrestrictedSearchResults(
                conversation_size={"query": 1, "range": "min"}
            )
        }
        self.assertIn(self.noted.UID(), leaked)
        self.assertNotIn(self.quiet.UID(), leaked)
        self.ours = {r.UID(): r.number for r in made}

    def session(self, rest=True):
        session = (rest_session if rest else cookie_session)(self.url, *AMELIE)
        self.addCleanup(session.close)
        return session

    def assert_blind(self, found, what):
        """``found``: the UIDs returned; none of the private facts show."""
        found = set(found) & set(self.ours)
        self.assertEqual(
            self.noted.UID() in found, self.quiet.UID() in found, (what, found)
        )
        self.assertEqual(
            self.talked.UID() in found, self.quiet.UID() in found, (what, found)
        )

    def assert_same_order(self, uids, what):
        """Sorting on a private index orders nothing by it."""
        uids = [u for u in uids if u in self.ours]
        self.assertEqual(len(uids), 3, what)

    def test_rest_search(self):
        session = self.session()
        for criteria, sort_on in PROBES:
            criteria = REST_RANGE if criteria == "RANGE" else criteria
            params = {"portal_type": "Request", "metadata_fields": "UID", **criteria}
            if sort_on:
                params["sort_on"] = sort_on
            response = session.get(f"{self.url}/@search", params=params)
            self.assertEqual(response.status_code, 200, response.text)
            uids = [item["UID"] for item in response.json()["items"]]
            self.assert_blind(uids, params)
            self.assert_same_order(uids, params)

    def test_querystring_search(self):
        session = self.session()
        rows = [
            (
                "conversation_size",
                "plone.app.querystring.operation.int.largerThan",
                "0",
            ),
            ("conversation_size", "plone.app.querystring.operation.int.is", "0"),
            (
                "conversation_up_to_date",
                "plone.app.querystring.operation.selection.any",
                [HAS_MESSAGES],
            ),
            (
                "conversation_up_to_date",
                "plone.app.querystring.operation.selection.any",
                [AGENT_ID],
            ),
        ]
        type_row = {
            "i": "portal_type",
            "o": "plone.app.querystring.operation.selection.any",
            "v": ["Request"],
        }
        for index, operation, value in rows:
            response = session.post(
                f"{self.url}/@querystring-search",
                json={
                    "query": [type_row, {"i": index, "o": operation, "v": value}],
                    "metadata_fields": ["UID"],
                    "b_size": 100,
                },
            )
            self.assertEqual(response.status_code, 200, response.text)
            self.assert_blind([i["UID"] for i in response.json()["items"]], index)
        for sort_on in ("conversation_size", "conversation_up_to_date"):
            response = session.post(
                f"{self.url}/@querystring-search",
                json={
                    "query": [type_row],
                    "sort_on": sort_on,
                    "metadata_fields": ["UID"],
                    "b_size": 100,
                },
            )
            self.assertEqual(response.status_code, 200, response.text)
            uids = [i["UID"] for i in response.json()["items"]]
            self.assert_same_order(uids, sort_on)

    def classic_probes(self, session, view):
        for criteria, sort_on in PROBES:
            criteria = FORM_RANGE if criteria == "RANGE" else criteria
            params = {"portal_type": "Request", **criteria}
            if sort_on:
                params["sort_on"] = sort_on
            response = session.get(f"{self.url}/{view}", params=params)
            self.assertEqual(response.status_code, 200, response.text[:500])
            yield params, response

    def test_classic_search(self):
        session = self.session(rest=False)
        for params, response in self.classic_probes(session, "@@search"):
            found = [
                uid for uid, number in self.ours.items() if number in response.text
            ]
            self.assert_blind(found, params)
            self.assert_same_order(found, params)

    def test_ajax_search(self):
        session = self.session(rest=False)
        for params, response in self.classic_probes(session, "@@ajax-search"):
            uids = [item["id"] for item in response.json()["items"]]
            self.assert_blind(uids, params)
            self.assert_same_order(uids, params)

    def test_get_vocabulary(self):
        session = self.session(rest=False)
        for index, operation, value in [
            (
                "conversation_size",
                "plone.app.querystring.operation.int.largerThan",
                "0",
            ),
            (
                "conversation_up_to_date",
                "plone.app.querystring.operation.selection.any",
                [AGENT_ID],
            ),
        ]:
            query = {
                "criteria": [
                    {
                        "i": "portal_type",
                        "o": "plone.app.querystring.operation.selection.any",
                        "v": ["Request"],
                    },
                    {"i": index, "o": operation, "v": value},
                ]
            }
            response = session.get(
                f"{self.url}/@@getVocabulary",
                params={
                    "name": "plone.app.vocabularies.Catalog",
                    "query": json.dumps(query),
                    "attributes": json.dumps(["UID"]),
                    "batch": json.dumps({"page": 1, "size": 100}),
                },
            )
            self.assertEqual(response.status_code, 200, response.text[:500])
            uids = [item["UID"] for item in response.json()["results"]]
            self.assert_blind(uids, index)

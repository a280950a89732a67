"""What each role's text search finds, over HTTP (#22,
``content/public_text.py``): an anonymous visitor's search asks the
``public_text`` index, which holds the public side of the portal only; the
services it finds are those it found before, and still no household's
content. Citizens and agents keep Plone's ``SearchableText``: a citizen
finds her own request, never another household's; the agent finds the
requests of his services. Through ``@search``, ``@@search``,
``@@ajax-search`` and ``@querystring-search``."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.sessions import JSON_HEADERS
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session
from illkirch.eservices.testing.unread import passport_request
from plone.app.testing import login
from plone.app.testing import logout

import requests
import transaction
import unittest


WORD = "passeport"


class TestTextSearchByRole(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        self.url = portal.absolute_url()
        self.service = portal["demarches"]["rendez-vous-passeport-cni"]
        self.service_url = self.service.absolute_url()
        login(portal, "amélie.lire")
        self.request_obj = passport_request(portal, "amelie.lire")
        logout()
        transaction.commit()
        self.request_url = self.request_obj.absolute_url()
        # the request's words are in Plone's text index
        self.assertIn(WORD, self.request_obj.Title().lower())

    def rest(self, who=None):
        if who is None:
            session = requests.Session()
            session.headers.update(JSON_HEADERS)
        else:
            session = rest_session(self.url, *who)
        self.addCleanup(session.close)
        return session

    def browser(self, who=None):
        session = requests.Session() if who is None else cookie_session(self.url, *who)
        self.addCleanup(session.close)
        return session

    def rest_found(self, session):
        response = session.get(f"{self.url}/@search", params={"SearchableText": WORD})
        self.assertEqual(response.status_code, 200, response.text)
        return {item["@id"] for item in response.json()["items"]}

    def querystring_found(self, session):
        response = session.post(
            f"{self.url}/@querystring-search",
            json={
                "query": [
                    {
                        "i": "SearchableText",
                        "o": "plone.app.querystring.operation.string.contains",
                        "v": WORD,
                    }
                ],
                "b_size": 100,
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        return {item["@id"] for item in response.json()["items"]}

    def classic_found(self, session):
        response = session.get(f"{self.url}/@@search", params={"SearchableText": WORD})
        self.assertEqual(response.status_code, 200)
        return response.text

    def ajax_found(self, session):
        response = session.get(
            f"{self.url}/@@ajax-search", params={"SearchableText": WORD}
        )
        self.assertEqual(response.status_code, 200)
        return {item["url"] for item in response.json()["items"]}

    def test_anonymous_finds_the_service_only(self):
        for found in (
            self.rest_found(self.rest()),
            self.querystring_found(self.rest()),
            self.ajax_found(self.browser()),
        ):
            self.assertIn(self.service_url, found)
            self.assertFalse([url for url in found if "/foyers/" in url], found)
        html = self.classic_found(self.browser())
        self.assertIn(f'href="{self.service_url}"', html)
        self.assertNotIn(self.request_obj.number, html)
        self.assertNotIn("/foyers/", html)

    def test_citizen_finds_her_request(self):
        for found in (
            self.rest_found(self.rest(AMELIE)),
            self.querystring_found(self.rest(AMELIE)),
            self.ajax_found(self.browser(AMELIE)),
        ):
            self.assertIn(self.service_url, found)
            self.assertIn(self.request_url, found)
        html = self.classic_found(self.browser(AMELIE))
        self.assertIn(f'href="{self.request_url}', html)

    def test_agent_finds_the_request(self):
        for found in (
            self.rest_found(self.rest(AGENT)),
            self.querystring_found(self.rest(AGENT)),
        ):
            self.assertIn(self.service_url, found)
            self.assertIn(self.request_url, found)
        html = self.classic_found(self.browser(AGENT))
        self.assertIn(f'href="{self.request_url}', html)

"""``GET /@requests`` over HTTP: ``unread_messages`` of each item for the
current user, and ``unread=1`` keeping the requests with messages they have
not read (and ``GET /@dashboard``'s counts). A citizen counts and filters
their household's requests only (internal notes never counted); an agent
their groups' only, each agent for themselves; anonymous visitors get
nothing."""

from illkirch.eservices.conversation import store
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session
from illkirch.eservices.testing.unread import SECOND_AGENT
from illkirch.eservices.testing.unread import SECOND_AGENT_PASSWORD
from illkirch.eservices.testing.unread import add_agent
from illkirch.eservices.testing.unread import agent_says
from illkirch.eservices.testing.unread import citizen_says
from illkirch.eservices.testing.unread import passport_request
from plone.app.testing import login
from plone.app.testing import logout

import transaction
import unittest


class TestUnreadInRequestsAPI(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        self.url = portal.absolute_url()
        login(portal, "amélie.lire")
        self.amelie = passport_request(portal, "amelie.lire")  # population
        self.quiet = passport_request(portal, "amelie.lire")  # no message
        login(portal, "jérôme.attente")
        self.jerome = passport_request(portal, "jerome.attente")  # population
        self.street = submission.submit(  # voirie
            portal["demarches"]["signalement-voie-publique"], dict(SIGNALEMENT_ANSWERS)
        )
        logout()
        add_agent()
        # Amélie: one citizen's message, a reply and an internal note
        citizen_says(self.amelie, "amelie.lire")
        agent_says(self.amelie, "agent.accueil", "Nous avons bien reçu.")
        agent_says(self.amelie, "agent.accueil", "Note interne", internal=True)
        # Jérôme: two messages on each of his requests
        for request_obj in (self.jerome, self.street):
            citizen_says(request_obj, "jerome.attente")
            citizen_says(request_obj, "jerome.attente", "Relance")
        transaction.commit()

    def session(self, login_name, password):
        session = rest_session(self.url, login_name, password)
        self.addCleanup(session.close)
        return session

    def listing(self, session, **params):
        response = session.get(f"{self.url}/@requests", params=params)
        self.assertEqual(response.status_code, 200, response.text)
        return {
            item["number"]: item["unread_messages"] for item in response.json()["items"]
        }

    def test_citizen_sees_their_household_only(self):
        amelie = self.session(*AMELIE)
        self.assertEqual(
            self.listing(amelie), {self.amelie.number: 1, self.quiet.number: 0}
        )
        self.assertEqual(self.listing(amelie, unread="1"), {self.amelie.number: 1})
        jerome = self.session(*JEROME)
        self.assertEqual(self.listing(jerome, unread="1"), {}, "his own are read")
        self.assertEqual(
            self.listing(jerome), {self.jerome.number: 0, self.street.number: 0}
        )
        # Amélie reads: nothing unread any more
        store.mark_read(self.amelie, "amelie.lire", store.CITIZEN)
        transaction.commit()
        self.assertEqual(self.listing(amelie, unread="1"), {})
        self.assertEqual(self.listing(amelie)[self.amelie.number], 0)

    def test_dashboard(self):
        response = self.session(*AMELIE).get(f"{self.url}/@dashboard")
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        self.assertEqual(data["unread_messages"], 1)
        self.assertEqual(
            {
                item["number"]: item["unread_messages"]
                for item in data["requests_in_progress"]["items"]
            },
            {self.amelie.number: 1, self.quiet.number: 0},
        )
        jerome = self.session(*JEROME).get(f"{self.url}/@dashboard").json()
        self.assertEqual(jerome["unread_messages"], 0)

    def test_agents_see_their_groups_each_for_themselves(self):
        accueil = self.session(*AGENT)
        mine = self.listing(accueil, unread="1")
        self.assertEqual(
            mine,
            {self.amelie.number: 1, self.jerome.number: 2},
            "the voirie's request is not theirs; their own messages are read",
        )
        second = self.session(SECOND_AGENT, SECOND_AGENT_PASSWORD)
        self.assertEqual(
            self.listing(second, unread="1"),
            {self.amelie.number: 3, self.jerome.number: 2},
        )
        voirie = self.session(*VOIRIE)
        self.assertEqual(self.listing(voirie, unread="1"), {self.street.number: 2})
        self.assertEqual(self.listing(accueil)[self.quiet.number], 0)
        # agent.accueil reads Jérôme's: gone for them, not for their colleague
        store.mark_read(self.jerome, "agent.accueil", store.AGENT)
        transaction.commit()
        self.assertEqual(self.listing(accueil, unread="1"), {self.amelie.number: 1})
        self.assertEqual(
            self.listing(second, unread="1"),
            {self.amelie.number: 3, self.jerome.number: 2},
        )
        # with the other filters, and the counts per status
        response = accueil.get(
            f"{self.url}/@requests",
            params={"unread": "1", "review_state": "submitted"},
        )
        self.assertEqual(response.json()["items_total"], 1)
        self.assertEqual(response.json()["counts"]["submitted"], 1)

    def page(self, account, view):
        session = cookie_session(self.url, *account)
        self.addCleanup(session.close)
        response = session.get(f"{self.url}/@@{view}")
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_pages_show_each_their_own(self):
        voirie = self.page(VOIRIE, "guichet?unread=1")
        self.assertIn(f'id="demande-{self.street.number}"', voirie)
        self.assertIn("2 messages non lus", voirie)
        for other in (self.amelie, self.jerome, self.quiet):
            self.assertNotIn(other.number, voirie)
        accueil = self.page(AGENT, "guichet?unread=1")
        self.assertNotIn(self.street.number, accueil)
        self.assertIn("1 message non lu", accueil)
        amelie = self.page(AMELIE, "mon-espace-demandes")
        self.assertIn("1 message non lu", amelie)
        self.assertNotIn(self.jerome.number, amelie)
        jerome = self.page(JEROME, "mon-espace-demandes")
        self.assertNotIn("non lu", jerome, "his own messages; not Amélie's")

    def test_search_never_shows_the_summary(self):
        for account in (AMELIE, AGENT):
            response = self.session(*account).get(
                f"{self.url}/@search",
                params={
                    "portal_type": "Request",
                    "metadata_fields": ["_all", "conversation_summary"],
                },
            )
            self.assertEqual(response.status_code, 200)
            items = response.json()["items"]
            self.assertIn(self.amelie.number, str(items))
            for item in items:
                self.assertNotIn("conversation_summary", item)
                self.assertIn("request_number", item, "the other metadata stay")

    def test_bad_flag_and_anonymous(self):
        response = self.session(*AGENT).get(
            f"{self.url}/@requests", params={"unread": "souvent"}
        )
        self.assertEqual(response.status_code, 400)
        [error] = response.json()["error"]["errors"]
        self.assertEqual(error["field"], "unread")
        self.assertEqual(error["message"], "Répondez oui ou non.")
        response = self.session(*AMELIE).get(
            f"{self.url}/@requests", params={"unread": "souvent"}
        )
        self.assertEqual(response.status_code, 400)
        anonymous = rest_session(self.url)
        self.addCleanup(anonymous.close)
        response = anonymous.get(f"{self.url}/@requests", params={"unread": "1"})
        self.assertIn(response.status_code, (401, 403))

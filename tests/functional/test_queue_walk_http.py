"""``GET /@requests`` over HTTP with the page walked (``queue.walk_page``,
#22): for each agent, filter and page (first, middle, last, beyond), the
JSON is the one the restricted search gives; a citizen still gets her own
household's requests only, never the queue."""

from illkirch.eservices.accounts import households
from illkirch.eservices.requests import queue
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.requests import Spy
from illkirch.eservices.testing.requests import file_mixed_queue
from illkirch.eservices.testing.sessions import rest_session
from illkirch.eservices.testing.site import use_mock_mailhost
from unittest import mock

import transaction
import unittest


class QueueHTTPTestCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        self.url = portal.absolute_url()
        _mailhost, restore = use_mock_mailhost(portal)
        self.addCleanup(restore)
        file_mixed_queue(portal, 3)
        transaction.commit()

    def session(self, account):
        session = rest_session(self.url, *account)
        self.addCleanup(session.close)
        return session

    def get(self, session, query):
        response = session.get(f"{self.url}/@requests{query}")
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()


class TestQueueWalkHTTP(QueueHTTPTestCase):
    def test_agents_pages_are_the_searchs(self):
        answered = 0
        for account in (AGENT, VOIRIE):
            session = self.session(account)
            for filters in ("", "review_state=submitted", "sort_order=ascending"):
                whole = self.get(session, f"?{filters}&b_size=100")
                total = whole["items_total"]
                self.assertGreaterEqual(total, 1, (account[0], filters))
                for start in (0, 1, total // 2, max(0, total - 2), total, total + 4):
                    query = f"?{filters}&b_start={start}&b_size=2"
                    with self.subTest(agent=account[0], query=query):
                        spy = Spy(queue.walk_page)
                        with mock.patch.object(queue, "walk_page", spy):
                            walked = self.get(session, query)
                        answered += spy.returned[0] is not None
                        with mock.patch.object(
                            queue, "walk_page", lambda *args, **kwargs: None
                        ):
                            searched = self.get(session, query)
                        self.assertEqual(walked, searched)
                        self.assertEqual(walked["items_total"], total)
                        self.assertEqual(
                            [item["UID"] for item in walked["items"]],
                            [item["UID"] for item in whole["items"]][start : start + 2],
                        )
        self.assertGreater(answered, 0)  # the walk did answer over HTTP

    def test_a_citizen_gets_her_households_requests_only(self):
        agent = self.get(self.session(AGENT), "?b_size=100")
        voirie = self.get(self.session(VOIRIE), "?b_size=100")
        queued = {item["UID"] for item in agent["items"] + voirie["items"]}
        for account, userid in ((AMELIE, "amelie.lire"), (JEROME, "jerome.attente")):
            session = self.session(account)
            for query in ("", "?review_state=submitted", "?b_start=1&b_size=2"):
                spy = Spy(queue.walk_page)
                with mock.patch.object(queue, "walk_page", spy):
                    data = self.get(session, query)
                self.assertEqual(spy.returned, [])  # never the queue's search
                self.assertNotIn("counts", data)
                household = households.household_of(userid)
                own = {
                    brain.UID for brain in households.own_brains(household, "Request")
                }
                uids = {item["UID"] for item in data["items"]}
                self.assertLessEqual(uids, own, account[0])
                self.assertLess(uids, queued)


class TestQueueServicesKeptHTTP(QueueHTTPTestCase):
    """The services' search kept per committed state of the catalog
    (``queue.all_services``, #22): each agent's answers are those made
    with a search at each call, and a service renamed is found in its new
    place."""

    def answer(self, session, query):
        response = session.get(f"{self.url}/@requests{query}")
        return response.status_code, response.json()

    def answers(self, sessions):
        return {
            (name, query): self.answer(session, query)
            for name, session in sessions.items()
            for query in (
                "",
                "?review_state=submitted",
                "?service=signalement-voie-publique",
                "?service=rendez-vous-passeport-cni&b_size=2",
            )
        }

    def test_kept_services_give_the_searched_answers(self):
        queue._SERVICES.clear()
        sessions = {
            account[0]: self.session(account) for account in (AGENT, VOIRIE, AMELIE)
        }
        first = self.answers(sessions)
        self.assertTrue(queue._SERVICES)  # committed: kept
        kept = self.answers(sessions)
        queue._SERVICES.clear()
        with mock.patch.object(queue, "committed_stamp", return_value=None):
            searched = self.answers(sessions)
        self.assertEqual(queue._SERVICES, {})
        self.assertEqual(first, kept)
        self.assertEqual(kept, searched)
        # each agent their own services: a service of the other's refused
        self.assertEqual(
            {
                name: status
                for (name, query), (status, _data) in kept.items()
                if query == "?service=signalement-voie-publique"
            },
            {AGENT[0]: 400, VOIRIE[0]: 200, AMELIE[0]: 200},
        )

    def test_a_renamed_service_moves_in_the_kept_order(self):
        portal = self.layer["portal"]
        before = [service.getId() for service in queue.all_services()]
        self.assertTrue(queue._SERVICES)
        service = portal["demarches"]["signalement-voie-publique"]
        self.assertNotEqual(before[0], service.getId())
        service.title = "AAA Signalement"
        service.reindexObject()
        transaction.commit()
        after = [s.getId() for s in queue.all_services()]
        self.assertEqual(after[0], service.getId())
        self.assertEqual(sorted(after), sorted(before))

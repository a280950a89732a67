"""Unread messages (conversation/unread.py): counts per person from the
catalog's metadata, the household's total, the catalog query of the
requests with messages an agent has not read (alone and with the Guichet's
other criteria, also for an agent up to date on nothing and a request
nobody is up to date on), the filter « Messages non lus » of the Guichet
and of a citizen's list."""

from illkirch.eservices.accounts import households
from illkirch.eservices.conversation import store
from illkirch.eservices.conversation import unread
from illkirch.eservices.conversation.unread import HAS_MESSAGES
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import queue
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.requests import person
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.testing.unread import SECOND_AGENT
from illkirch.eservices.testing.unread import add_agent
from illkirch.eservices.testing.unread import agent_says
from illkirch.eservices.testing.unread import citizen_says
from illkirch.eservices.testing.unread import only
from plone import api
from plone.app.testing import login
from types import SimpleNamespace
from zope.annotation.interfaces import IAnnotations

import Missing
import unittest


AMELIE, JEROME, ACCUEIL = "amelie.lire", "jerome.attente", "agent.accueil"


class UnreadTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        services = self.portal["demarches"]
        amelie = households.household_of(AMELIE)
        jerome = households.household_of(JEROME)
        login(self.portal, "amélie.lire")
        self.passport = submission.submit(  # population
            services["rendez-vous-passeport-cni"],
            dict(PASSPORT_ANSWERS),
            member_id=person(amelie, "adult").getId(),
        )
        self.leo = submission.submit(  # enfance
            services["inscription-periscolaire"],
            dict(PERISCOLAIRE_ANSWERS),
            member_id=person(amelie, "child").getId(),
            by_post=True,
        )
        login(self.portal, "jérôme.attente")
        self.jerome = submission.submit(  # population
            services["rendez-vous-passeport-cni"],
            dict(PASSPORT_ANSWERS),
            member_id=person(jerome, "adult").getId(),
        )
        self.street = submission.submit(  # voirie
            services["signalement-voie-publique"], dict(SIGNALEMENT_ANSWERS)
        )
        self.amelie_household = amelie
        add_agent()
        self.mailhost.reset()

    def count(self, request_obj, user_id, side):
        return unread.count(only(request_obj), user_id, side)

    def as_agent(self, user_id, **form):
        """The numbers of the requests of ``user_id``'s Guichet for ``form``."""
        login(self.portal, user_id)
        filters = queue.parse(form, queue.queue_services())
        return {brain.request_number for brain in queue.search(filters)}


class TestCounts(UnreadTestCase):
    def test_each_agent_reads_for_themselves(self):
        citizen_says(self.passport, AMELIE)
        citizen_says(self.passport, AMELIE, "Et une autre.")
        self.assertEqual(self.count(self.passport, ACCUEIL, store.AGENT), 2)
        self.assertEqual(self.count(self.passport, SECOND_AGENT, store.AGENT), 2)
        self.assertEqual(self.count(self.passport, AMELIE, store.CITIZEN), 0, "hers")
        store.mark_read(self.passport, ACCUEIL, store.AGENT)
        self.assertEqual(self.count(self.passport, ACCUEIL, store.AGENT), 0)
        self.assertEqual(
            self.count(self.passport, SECOND_AGENT, store.AGENT),
            2,
            "one agent's reading marks nothing read for another",
        )
        self.assertEqual(self.count(self.leo, ACCUEIL, store.AGENT), 0, "no message")

    def test_internal_notes_are_not_counted_for_the_citizen(self):
        citizen_says(self.passport, AMELIE)
        agent_says(self.passport, ACCUEIL, "Note : dossier à vérifier.", internal=True)
        agent_says(self.passport, ACCUEIL, "Nous vous rappelons demain.")
        self.assertEqual(self.count(self.passport, AMELIE, store.CITIZEN), 1)
        self.assertEqual(
            unread.household_total(self.amelie_household, AMELIE), 1, "the reply only"
        )
        # the author's own messages are read; the colleague's are not
        self.assertEqual(self.count(self.passport, ACCUEIL, store.AGENT), 1)
        self.assertEqual(self.count(self.passport, SECOND_AGENT, store.AGENT), 3)
        agent_says(self.leo, ACCUEIL, "Il manque l'attestation.")
        self.assertEqual(unread.household_total(self.amelie_household, AMELIE), 2)
        store.mark_read(self.passport, AMELIE, store.CITIZEN)
        self.assertEqual(unread.household_total(self.amelie_household, AMELIE), 1)
        self.assertEqual(unread.household_total(None, AMELIE), 0)

    def test_counted_from_the_metadata_alone(self):
        """The listings never open the conversation: the brain's metadata
        tell (the annotation removed without reindexing changes nothing)."""
        citizen_says(self.passport, AMELIE)
        brain = only(self.passport)
        del IAnnotations(self.passport)[store.KEY]
        self.assertEqual(unread.count(brain, ACCUEIL, store.AGENT), 1)
        self.assertEqual(unread.household_total(self.amelie_household, ACCUEIL), 1)

    def test_brains_of_before_the_conversations_count_nothing(self):
        for value in (Missing.Value, None):
            brain = SimpleNamespace(conversation_summary=value)
            self.assertEqual(unread.count(brain, ACCUEIL, store.AGENT), 0)
        self.assertEqual(unread.count(SimpleNamespace(), ACCUEIL, store.AGENT), 0)
        citizen_says(self.passport, AMELIE)
        self.assertEqual(unread.count(only(self.passport), "", store.AGENT), 0)


class TestQuery(UnreadTestCase):
    """The catalog query, run straight on the catalog (unrestricted)."""

    def found(self, **query):
        catalog = api.portal.get_tool("portal_catalog")
        return {
            brain.request_number
            for brain in catalog.unrestrictedSearchResults(
                portal_type="Request", **query
            )
        }

    def test_not_query_alone_and_with_other_criteria(self):
        citizen_says(self.passport, AMELIE)
        citizen_says(self.jerome, JEROME)
        agent_says(self.street, "agent.voirie")
        store.mark_read(self.jerome, ACCUEIL, store.AGENT)
        passport, jerome, street = (
            self.passport.number,
            self.jerome.number,
            self.street.number,
        )
        alone = {"conversation_up_to_date": {"query": HAS_MESSAGES, "not": ACCUEIL}}
        self.assertEqual(self.found(**alone), {passport, street})
        self.assertEqual(self.found(**unread.criteria(ACCUEIL)), {passport, street})
        self.assertEqual(
            self.found(
                **unread.criteria(ACCUEIL), service_uid=self.passport.service_uid
            ),
            {passport},
        )
        self.assertEqual(
            self.found(**unread.criteria(ACCUEIL), review_state="submitted"),
            {passport, street},
        )
        self.assertEqual(
            self.found(**unread.criteria(ACCUEIL), review_state="complete"), set()
        )
        # an agent up to date on nothing (no key of the index): every request
        # with messages, the voirie's own message included
        self.assertEqual(
            self.found(**unread.criteria(SECOND_AGENT)), {passport, jerome, street}
        )
        self.assertEqual(
            self.found(**unread.criteria("agent.voirie")), {passport, jerome}
        )

    def test_a_request_nobody_is_up_to_date_on(self):
        citizen_says(self.passport, AMELIE)
        agent_says(self.passport, ACCUEIL)  # neither has read the other's
        self.assertEqual(store.up_to_date(self.passport), [])
        for agent in (ACCUEIL, SECOND_AGENT):
            self.assertEqual(
                self.found(**unread.criteria(agent)), {self.passport.number}, agent
            )
        store.mark_read(self.passport, ACCUEIL, store.AGENT)
        self.assertEqual(self.found(**unread.criteria(ACCUEIL)), set())
        self.assertEqual(
            self.found(**unread.criteria(SECOND_AGENT)), {self.passport.number}
        )


class TestGuichetFilter(UnreadTestCase):
    def test_filter_per_agent_and_counts(self):
        citizen_says(self.passport, AMELIE)
        citizen_says(self.jerome, JEROME)
        citizen_says(self.street, JEROME)  # voirie: not their queue
        both = {self.passport.number, self.jerome.number}
        self.assertEqual(self.as_agent(ACCUEIL, unread="1"), both)
        self.assertEqual(self.as_agent(SECOND_AGENT, unread="1"), both)
        login(self.portal, ACCUEIL)
        store.mark_read(self.passport, ACCUEIL, store.AGENT)
        self.assertEqual(self.as_agent(ACCUEIL, unread="1"), {self.jerome.number})
        self.assertEqual(self.as_agent(SECOND_AGENT, unread="1"), both)
        # with the other filters, and the counts per status
        self.assertEqual(
            self.as_agent(ACCUEIL, unread="oui", review_state="submitted"),
            {self.jerome.number},
        )
        processing.fire(self.jerome, "mark_complete")
        filters = queue.parse({"unread": "1"}, queue.queue_services())
        counts = queue.counts(filters)
        self.assertEqual((counts["complete"], counts["submitted"]), (1, 0))
        self.assertEqual(filters.params(), {"unread": "1"})
        self.assertEqual(self.as_agent(ACCUEIL, unread="0"), self.as_agent(ACCUEIL))
        self.assertEqual(
            self.as_agent("agent.voirie", unread="1"), {self.street.number}
        )

    def test_bad_flag(self):
        login(self.portal, ACCUEIL)
        with self.assertRaises(queue.QueueError) as info:
            queue.parse({"unread": "peut-être"}, queue.queue_services())
        self.assertEqual(list(info.exception.errors), ["unread"])

    def test_citizen_list(self):
        agent_says(self.leo, ACCUEIL)
        agent_says(self.passport, ACCUEIL, "Note", internal=True)
        agent_says(self.jerome, ACCUEIL)  # another household's
        login(self.portal, "amélie.lire")
        filters = queue.parse(
            {"unread": "1"}, queue.visible_services, allowed=queue.CITIZEN_PARAMETERS
        )
        found = queue.household_search(self.amelie_household, filters)
        self.assertEqual([b.request_number for b in found], [self.leo.number])
        store.mark_read(self.leo, AMELIE, store.CITIZEN)
        self.assertEqual(queue.household_search(self.amelie_household, filters), [])

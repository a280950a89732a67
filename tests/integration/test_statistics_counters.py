"""The statistics' aggregates kept by events (#19, statistics/recording.py):
what each event counts, that the Guichet's counts read from them equal the
catalog's, and that whatever happens they equal a full recount
(``rebuild``), including after a random sequence of transitions (a
property test)."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from illkirch.eservices import business_days
from illkirch.eservices import transitions
from illkirch.eservices.accounts import households
from illkirch.eservices.conversation import messages
from illkirch.eservices.payments import notification
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import queue
from illkirch.eservices.retention import purge
from illkirch.eservices.statistics import recording
from illkirch.eservices.statistics import store
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.conversation import AGENT_ID
from illkirch.eservices.testing.conversation import file_request
from illkirch.eservices.testing.payments import PaymentsTestCase
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.testing.statistics import recounted
from illkirch.eservices.testing.statistics import snapshot
from illkirch.eservices.testing.unread import passport_request
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from Products.CMFCore.indexing import processQueue

import transaction
import unittest


COMMENT = "Motif communiqué à l'usager."


def today_facts(kind=None):
    today = business_days.today()
    return {fact: n for _day, fact, n in store.facts(today, today, kind)}


def as_manager(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)


class StatisticsTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.addCleanup(logout)

    def assertKeptEqualsRecount(self):
        self.assertEqual(snapshot(), recounted())


class TestDemoSite(StatisticsTestCase):
    def test_the_installed_site_is_counted_as_a_recount_finds(self):
        """The demo's households and payments, made through the real paths
        after the install step created the aggregates."""
        _status, days = snapshot()
        self.assertIn(store.ACCOUNT, {fact[0] for _ordinal, fact in days})
        self.assertKeptEqualsRecount()


class TestRequestRecording(StatisticsTestCase):
    def setUp(self):
        super().setUp()
        self.request_obj = file_request(self.portal)
        self.service = self.request_obj.service_uid
        as_manager(self.portal)

    def status(self, state):
        return store.status_counts([self.service]).get((self.service, state), 0)

    def test_submission_counts_a_filed_request_in_its_first_status(self):
        self.assertEqual(getattr(self.request_obj, recording.COUNTED), self.service)
        self.assertGreaterEqual(self.status("submitted"), 1)
        self.assertGreaterEqual(today_facts()[(store.FILED, self.service)], 1)
        before = self.status("submitted"), today_facts()[(store.FILED, self.service)]
        file_request(self.portal)
        self.assertEqual(
            (self.status("submitted"), today_facts()[(store.FILED, self.service)]),
            (before[0] + 1, before[1] + 1),
        )
        self.assertKeptEqualsRecount()

    def fire(self, transition_id, comment=""):
        old = processing.state(self.request_obj)
        before = self.status(old)
        fact = (store.TRANSITION, self.service, transition_id)
        count = today_facts().get(fact, 0)
        processing.fire(self.request_obj, transition_id, comment)
        new = processing.state(self.request_obj)
        self.assertEqual(self.status(old), before - 1, transition_id)
        self.assertEqual(today_facts()[fact], count + 1, transition_id)
        return new

    def test_each_transition_moves_its_status_and_is_counted(self):
        self.fire("ask_documents", COMMENT)
        self.fire("resubmit")
        self.fire("mark_complete")
        self.assertIsNone(getattr(self.request_obj, recording.DECIDED, None))
        self.request_obj.assignee = AGENT_ID
        self.fire("accept")
        ordinal, fact = getattr(self.request_obj, recording.DECIDED)
        today = business_days.today()
        self.assertEqual(ordinal, today.toordinal())
        within = 1 if today <= self.request_obj.due_date else 0
        self.assertEqual(
            fact, (store.DECIDED, self.service, AGENT_ID, "accepted", 0, within)
        )
        self.assertEqual(today_facts(store.DECIDED)[fact], 1)
        self.fire("close")  # (``send``: the civil status acts only)
        self.assertGreaterEqual(self.status("closed"), 1)
        self.assertKeptEqualsRecount()

    def test_a_refusal_is_a_decision(self):
        self.fire("mark_complete")
        self.fire("reject", COMMENT)
        _ordinal, fact = getattr(self.request_obj, recording.DECIDED)
        self.assertEqual(fact[3], "rejected")
        self.assertEqual(fact[2], "")  # nobody was assigned
        self.fire("close")
        self.assertKeptEqualsRecount()

    def test_a_decision_keeps_its_assignee_when_the_request_changes_hands(self):
        self.fire("mark_complete")
        self.request_obj.assignee = AGENT_ID
        self.fire("accept")
        self.request_obj.assignee = "quelqu.un.autre"
        self.assertKeptEqualsRecount()

    def test_a_removed_request_leaves_the_status_counts_not_the_days(self):
        processing.fire(self.request_obj, "mark_complete")
        before = self.status("complete")
        days = snapshot()[1]
        api.content.delete(obj=self.request_obj, check_linkintegrity=False)
        self.assertEqual(self.status("complete"), before - 1)
        self.assertEqual(snapshot()[1], days)
        # the recount finds the same statuses; the days' facts of the
        # removed request are only in the kept aggregates
        status, recounted_days = recounted()
        self.assertEqual(snapshot()[0], status)
        self.assertLess(sum(recounted_days.values()), sum(days.values()))

    def test_a_closed_household_takes_its_requests_out_of_the_counts(self):
        household = processing.household_of(self.request_obj)
        own = [o for o in household.objectValues() if o.portal_type == "Request"]
        by_status = snapshot()[0]
        api.content.delete(obj=household, check_linkintegrity=False)
        status = snapshot()[0]
        for request_obj in own:
            key = (
                recording.counted_service(request_obj),
                processing.state(request_obj),
            )
            by_status[key] -= 1
        self.assertEqual(status, {k: n for k, n in by_status.items() if n})
        self.assertEqual(status, recounted()[0])

    def test_the_retention_purge_takes_requests_out_of_the_counts(self):
        processing.fire(self.request_obj, "mark_complete")
        processing.fire(self.request_obj, "reject", COMMENT)
        processing.fire(self.request_obj, "close")
        catalog = api.portal.get_tool("portal_catalog")
        before = len(catalog.unrestrictedSearchResults(portal_type="Request"))
        counts = purge.run(now=datetime.now(UTC) + timedelta(days=365 * 30))
        after = len(catalog.unrestrictedSearchResults(portal_type="Request"))
        self.assertLess(after, before, counts)
        self.assertEqual(sum(snapshot()[0].values()), after)
        self.assertEqual(snapshot()[0], recounted()[0])


class TestMessagesRecording(StatisticsTestCase):
    def test_each_side_and_the_notes_are_counted_by_service(self):
        request_obj = file_request(self.portal)
        service = request_obj.service_uid

        def count(side):
            return today_facts(store.MESSAGE).get((store.MESSAGE, service, side), 0)

        before = [count(side) for side in ("citizen", "agent", "internal")]
        messages.post(request_obj, "Une question sur ma demande.")
        login(self.portal, AGENT_ID)
        messages.post(request_obj, "Voici la réponse.")
        messages.post(request_obj, "Note pour le service.", internal=True)
        messages.post(request_obj, "Seconde note.", internal=True)
        self.assertEqual(
            [count(side) for side in ("citizen", "agent", "internal")],
            [before[0] + 1, before[1] + 1, before[2] + 2],
        )
        self.assertKeptEqualsRecount()


class TestPaymentsRecording(PaymentsTestCase):
    def facts(self, status, regie="ville"):
        key = (regie, "systempayv2", status)
        found = today_facts()
        return (
            found.get((store.PAYMENT, *key), 0),
            found.get((store.PAYMENT_CENTS, *key), 0),
        )

    def test_paid_and_failed_payments_are_counted_with_their_amount(self):
        paid_before, failed_before = self.facts("paid"), self.facts("failed")
        payment, _url = self.checkout("V-2026-0412")
        self.assertEqual(self.facts("paid"), paid_before)  # pending: nothing yet
        notification.mark_paid(payment, reference="REF-1")
        count, cents = self.facts("paid")
        self.assertEqual(
            (count, cents), (paid_before[0] + 1, paid_before[1] + payment.amount_cents)
        )
        self.assertEqual(len(getattr(payment, recording.ENDED)), 1)
        refused, _url = self.checkout("V-2026-0388")
        notification.close(refused, "failed")
        self.assertEqual(
            self.facts("failed"),
            (failed_before[0] + 1, failed_before[1] + refused.amount_cents),
        )
        self.assertEqual(snapshot(), recounted())

    def test_an_expired_payment_paid_late_counts_both_ends(self):
        payment, _url = self.checkout("V-2026-0412")
        notification.close(payment, "expired")
        notification.mark_paid(payment, reference="REF-LATE")
        self.assertEqual(
            [end[1][-1] for end in getattr(payment, recording.ENDED)],
            ["expired", "paid"],
        )
        self.assertEqual(snapshot(), recounted())


class TestAccountsRecording(StatisticsTestCase):
    def test_registration_and_first_validation_are_counted(self):
        created = today_facts().get((store.ACCOUNT, "created"), 0)
        household = households.create_household(
            "nouvel.habitant",
            "Nouvel Habitant",
            {"street": "1 rue du Général Leclerc", "zip_code": "67400"},
        )
        self.assertEqual(today_facts()[(store.ACCOUNT, "created")], created + 1)
        as_manager(self.portal)
        validated = today_facts().get((store.ACCOUNT, "validated", 0), 0)
        transitions.fire(household, "validate", "", "")
        self.assertEqual(today_facts()[(store.ACCOUNT, "validated", 0)], validated + 1)
        # a suspended account validated again is not validated twice
        transitions.fire(household, "suspend", "Suspendu pour vérification.", "")
        transitions.fire(household, "validate", "", "")
        self.assertEqual(today_facts()[(store.ACCOUNT, "validated", 0)], validated + 1)
        self.assertKeptEqualsRecount()


class TestGuichetCounts(StatisticsTestCase):
    def catalog_counts(self, services=None):
        catalog = api.portal.get_tool("portal_catalog")
        query = {"portal_type": "Request"}
        if services is not None:
            query["service_uid"] = services
        result = dict.fromkeys(processing.STATES, 0)
        for brain in catalog.unrestrictedSearchResults(**query):
            result[brain.review_state] += 1
        return result

    def test_counts_read_from_the_aggregates_equal_the_catalogs(self):
        request_obj = file_request(self.portal)
        file_request(self.portal)
        passport_request(self.portal, "amelie.lire")
        as_manager(self.portal)
        processing.fire(request_obj, "mark_complete")
        self.assertTrue(queue.only_service(queue.Filters()))
        kept = queue.kept_counts(queue.Filters(), None)
        self.assertIsNotNone(kept)
        self.assertEqual(queue.counts(queue.Filters()), self.catalog_counts())
        self.assertEqual(kept, self.catalog_counts())
        service = request_obj.service_uid
        filters = queue.Filters(service=service)
        self.assertEqual(queue.counts(filters), self.catalog_counts([service]))
        # an agent: their groups' services only
        login(self.portal, AGENT_ID)
        scope = queue.scope_of(queue.queue_services())
        self.assertIn(service, scope)
        self.assertEqual(
            queue.kept_counts(queue.Filters(), scope), self.catalog_counts(scope)
        )
        self.assertEqual(queue.counts(queue.Filters()), self.catalog_counts(scope))

    def test_other_filters_search_and_missing_aggregates_fall_back(self):
        request_obj = file_request(self.portal)
        as_manager(self.portal)
        self.assertFalse(queue.only_service(queue.Filters(number=request_obj.number)))
        self.assertEqual(
            queue.counts(queue.Filters(number=request_obj.number))["submitted"], 1
        )
        # a site not upgraded yet: no aggregates, the queue searches
        del self.portal.__annotations__[store.KEY]
        self.assertIsNone(queue.kept_counts(queue.Filters(), None))
        self.assertEqual(queue.counts(queue.Filters()), self.catalog_counts())


# the property test ----------------------------------------------------------

operations = st.lists(
    st.tuples(
        st.sampled_from(["transition", "transition", "message", "assign"]),
        st.integers(0, 3),  # the request
        st.integers(0, 5),  # which of its transitions
    ),
    max_size=14,
)


class TestCountersEqualRecount(StatisticsTestCase):
    """Whatever the sequence of transitions (and messages, assignments) on
    requests of two services, the kept counters equal a recount."""

    def setUp(self):
        super().setUp()
        self.requests = [
            file_request(self.portal),
            file_request(self.portal),
            passport_request(self.portal, "amelie.lire"),
            passport_request(self.portal, "amelie.lire"),
        ]
        as_manager(self.portal)
        # every example starts here and is rolled back to it, with nothing
        # left in the indexing queue (a queued reindex would otherwise be
        # processed by a later example's first catalog search, after the
        # rollback, and catalogue the objects as the example left them)
        processQueue()
        self.savepoint = transaction.savepoint()

    def run_operations(self, ops):
        for op, index, choice in ops:
            request_obj = self.requests[index]
            if op == "message":
                messages.post(request_obj, "Note du service.", internal=True)
            elif op == "assign":
                request_obj.assignee = ("", AGENT_ID, "agent.etatcivil")[choice % 3]
            else:
                offered = transitions.available_transitions(request_obj)
                if not offered:
                    continue
                transition_id = offered[choice % len(offered)]
                processing.fire(request_obj, transition_id, COMMENT)

    @settings(max_examples=25, deadline=None)
    @given(ops=operations)
    def test_kept_counters_equal_a_recount(self, ops):
        try:
            self.run_operations(ops)
            kept = snapshot()
            self.assertEqual(kept, recounted())
        finally:
            self.savepoint.rollback()
            self.layer["request"].other.pop("__catalog_cache__", None)

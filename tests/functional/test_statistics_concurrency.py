"""The statistics' aggregates under concurrent writes (#19): two threads,
each with its own ZODB connection, fire transitions on two requests of the
same service at the same moment and commit; both change the same counters
(``BTrees.Length``), whose conflict resolution adds both changes: no lost
update, and the kept counters still equal a full recount. What a conflict
still happens (the catalog, a new key) is retried, as the publisher does.
"""

from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import noSecurityManager
from BTrees.Length import Length
from illkirch.eservices.requests import processing
from illkirch.eservices.statistics import recording
from illkirch.eservices.statistics import store
from illkirch.eservices.statistics.rebuild import rebuild
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.conversation import file_request
from persistent import Persistent
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import logout
from Testing.makerequest import makerequest
from threading import Barrier
from threading import Lock
from threading import Thread
from ZODB.POSException import ConflictError
from zope.component.hooks import setSite
from zope.globalrequest import setRequest

import transaction
import unittest


ROUNDS = ("mark_complete", "accept", "close")
COMMENT = "Décision du service."


class Plain(Persistent):
    """A counter without conflict resolution (what Length is not)."""

    value = 0


def snapshot(aggregates):
    status = {key: c() for key, c in aggregates.status.items() if c()}
    days = {
        (ordinal, fact): c()
        for ordinal, bucket in aggregates.days.items()
        for fact, c in bucket.items()
        if c()
    }
    return status, days


class TestConcurrentTransitions(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.app = self.layer["app"]
        self.portal = self.layer["portal"]
        self.db = self.app._p_jar.db()
        # two requests of the same service, and a third one already taken
        # through every round so that the days' keys exist (a new key
        # added by both is a conflict too, retried: see the second test)
        requests = [file_request(self.portal) for _ in range(3)]
        logout()
        setSite(self.portal)
        self.paths = ["/".join(r.getPhysicalPath()) for r in requests[:2]]
        self.service = requests[0].service_uid
        self.existing_keys = requests[2]
        transaction.commit()
        self.lock = Lock()
        self.errors = []

    def in_thread(self, work):
        """Run ``work(site)`` in a thread with its own connection, as the
        site's owner; return the thread."""

        def run():
            connection = self.db.open()
            try:
                app = makerequest(connection.root()["Application"])
                setRequest(app.REQUEST)
                site = app.unrestrictedTraverse("/".join(self.portal.getPhysicalPath()))
                setSite(site)
                user = app.acl_users.getUser(SITE_OWNER_NAME)
                newSecurityManager(None, user.__of__(app.acl_users))
                work(site)
            except Exception as error:  # reported by the test
                with self.lock:
                    self.errors.append(repr(error))
                raise
            finally:
                transaction.abort()
                noSecurityManager()
                setSite(None)
                setRequest(None)
                connection.close()

        return Thread(target=run)

    def run_threads(self, *works):
        threads = [self.in_thread(work) for work in works]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertEqual(self.errors, [])

    def test_two_threads_transitions_on_one_service_no_lost_update(self):
        setSite(self.portal)
        with_keys = self.existing_keys
        newSecurityManager(
            None, self.app.acl_users.getUser(SITE_OWNER_NAME).__of__(self.app.acl_users)
        )
        for transition_id in ROUNDS:
            processing.fire(with_keys, transition_id, COMMENT)
        transaction.commit()
        noSecurityManager()

        barrier = Barrier(2, timeout=60)
        attempts = {}
        lengths = {}

        def fire_rounds(path):
            def work(site):
                for transition_id in ROUNDS:
                    for attempt_number, attempt in enumerate(
                        transaction.manager.attempts(5), 1
                    ):
                        with attempt:
                            request_obj = site.unrestrictedTraverse(path)
                            processing.fire(request_obj, transition_id, COMMENT)
                            written = {
                                obj._p_oid
                                for obj in site._p_jar._registered_objects
                                if isinstance(obj, Length)
                            }
                            if attempt_number == 1:
                                # both fired: now both commit at once
                                barrier.wait()
                    with self.lock:
                        attempts.setdefault(path, []).append(attempt_number)
                        lengths.setdefault(transition_id, []).append(written)

            return work

        self.run_threads(*(fire_rounds(path) for path in self.paths))

        # both threads wrote the same counters in each round (the status
        # counters of the service, the day's count of the transition)
        for transition_id in ROUNDS:
            first, second = lengths[transition_id]
            self.assertTrue(first & second, transition_id)
        print(f"\nattempts per round: {attempts}")
        transaction.begin()  # see what the threads committed
        aggregates = store.get(self.portal)
        status = store.status_counts([self.service], aggregates)
        self.assertEqual(status.get((self.service, "closed")), 3)
        self.assertNotIn((self.service, "complete"), status)
        self.assertNotIn((self.service, "accepted"), status)
        requests = [self.portal.unrestrictedTraverse(path) for path in self.paths]
        for request_obj in requests:
            self.assertEqual(processing.state(request_obj), "closed")
            self.assertIsNotNone(getattr(request_obj, recording.DECIDED))
        kept = snapshot(aggregates)
        rebuild(self.portal)
        self.assertEqual(kept, snapshot(store.get(self.portal)))
        transaction.abort()

    def test_the_same_length_resolves_a_plain_counter_conflicts(self):
        """What the aggregates would do without ``Length``: two connections
        changing one plain persistent counter conflict; the same change on
        a Length is resolved, both changes added."""
        aggregates = store.get(self.portal)
        aggregates.plain = Plain()
        store.move_status("service-x", None, "submitted", aggregates)
        transaction.commit()

        first_tm, second_tm = (
            transaction.TransactionManager(),
            transaction.TransactionManager(),
        )
        first = self.db.open(transaction_manager=first_tm)
        second = self.db.open(transaction_manager=second_tm)
        self.addCleanup(first.close)
        self.addCleanup(second.close)

        def aggregates_of(connection):
            site = connection.root()["Application"].unrestrictedTraverse(
                "/".join(self.portal.getPhysicalPath())
            )
            return site.__annotations__[store.KEY]

        mine, theirs = aggregates_of(first), aggregates_of(second)
        mine.status[("service-x", "submitted")].change(1)
        theirs.status[("service-x", "submitted")].change(1)
        first_tm.commit()
        second_tm.commit()  # resolved
        mine.plain.value += 1
        theirs.plain.value += 1
        first_tm.commit()
        with self.assertRaises(ConflictError):
            second_tm.commit()
        second_tm.abort()

        transaction.begin()
        aggregates = store.get(self.portal)
        self.assertEqual(aggregates.status[("service-x", "submitted")](), 3)
        self.assertEqual(aggregates.plain.value, 1)  # one update lost

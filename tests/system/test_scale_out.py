"""Two Zope instances on one PostgreSQL database (RelStorage), and one of
them killed under load (docs/deployment.md).

A throwaway database on the test server (``make postgres``), the demo site
created in it once, two instances rendered from the repository's templates
with ``ZODB_BACKEND=relstorage`` and served by ``runwsgi`` on their own
ports, and one SMTP sink:

- 100 requests filed at once, alternately through both instances: 100
  distinct numbers, each listed through both;
- the same valid payment notification delivered to both at once: one
  payment, one receipt;
- a household edited through one instance is read back through the other;
- one instance killed (SIGKILL) in the middle of a load: the other answers
  every request, nothing acknowledged is lost, the killed one restarts and
  serves the same data;
- the background jobs on Redis (``JOBS_BACKEND=redis``) and two workers
  (``eservices-worker``, one beside each instance): each of the 100
  requests' confirmations sent once, 100 jobs shared by both workers and
  each run once, a worker killed (SIGKILL) in the middle of a job whose
  effect then happens once, through the other.
"""

from concurrent.futures import ThreadPoolExecutor
from illkirch.eservices.cli.processes import MailSinkProcess as MailSink
from illkirch.eservices.jobs import engine
from illkirch.eservices.testing import jobs as test_jobs
from illkirch.eservices.testing.cluster import ADMIN
from illkirch.eservices.testing.cluster import Database
from illkirch.eservices.testing.cluster import Instance
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.requests import STREETLIGHT_ANSWERS
from illkirch.eservices.testing.sessions import rest_session
from threading import Barrier
from threading import Event
from threading import Lock
from threading import local
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import json
import os
import re
import requests
import secrets
import tempfile
import time
import unittest
import ZODB.config


SIGNALEMENT = {
    "service": "signalement-voie-publique",
    "answers": STREETLIGHT_ANSWERS,
}
REQUESTS = 100
WORKERS = 8
CLUSTER = {}
REDIS_URL = os.environ.get("ESERVICES_TEST_REDIS", "redis://127.0.0.1:6379/0")
TEST_TASKS = "illkirch.eservices.testing.jobs"
# The queue of this test on the shared Redis; a killed worker's jobs queued
# again after 4 s of silence (60 s in production).
JOBS_ENV = {
    "JOBS_NAME": f"eservices-scaleout-{secrets.token_hex(4)}",
    "JOBS_HEARTBEAT": "1",
    "JOBS_DEAD_WORKER": "4",
}


def setUpModule():
    workdir = tempfile.TemporaryDirectory(prefix="eservices-scale-out-")
    database = Database("eservices_scaleout").create()
    sink = MailSink(f"{workdir.name}/mail").start()
    CLUSTER.update(
        workdir=workdir, database=database, sink=sink, instances=[], workers=[]
    )
    try:
        first, second = (
            Instance(
                name,
                workdir.name,
                database.dsn,
                jobs_backend="redis",
                jobs_redis_url=REDIS_URL,
                env=JOBS_ENV,
            )
            for name in ("zope-a", "zope-b")
        )
        CLUSTER["instances"] = [first, second]
        first.create_site(sink.port)
        for instance in (first, second):
            instance.start()
        CLUSTER["workers"] = [
            instance.worker(modules=[TEST_TASKS]).start()
            for instance in (first, second)
        ]
        engine.reset(
            engine.build(
                {"JOBS_BACKEND": "redis", "JOBS_REDIS_URL": REDIS_URL, **JOBS_ENV}
            )
        )
    except BaseException:
        tearDownModule()
        raise


def tearDownModule():
    for process in (*CLUSTER.get("workers", ()), *CLUSTER.get("instances", ())):
        process.stop()
    CLUSTER["sink"].stop()
    CLUSTER["database"].drop()
    CLUSTER["workdir"].cleanup()
    if engine._QUEUE is not None:
        engine.queue().flush()
    engine.reset()


class ClusterTestCase(unittest.TestCase):
    def setUp(self):
        self.a, self.b = CLUSTER["instances"]
        self.sink = CLUSTER["sink"]
        self.local = local()
        self.lock = Lock()
        self.sessions = []

    def tearDown(self):
        for session in self.sessions:
            session.close()

    def session(self, instance, account):
        """This thread's own logged-in session on ``instance``."""
        sessions = self.local.__dict__.setdefault("sessions", {})
        key = (instance.name, account)
        if key not in sessions:
            sessions[key] = rest_session(instance.url, *account)
            with self.lock:
                self.sessions.append(sessions[key])
        return sessions[key]

    def file(self, instance, account, timeout=120):
        response = self.session(instance, account).post(
            f"{instance.url}/@requests", json=SIGNALEMENT, timeout=timeout
        )
        return response

    def confirmed(self, numbers):
        """{number: how many confirmations} among ``numbers``."""
        wanted, counts = set(numbers), {}
        for message in self.sink.messages(subject="a bien été reçue"):
            found = re.search(r"Votre demande (\S+) a bien", str(message["Subject"]))
            if found and found.group(1) in wanted:
                counts[found.group(1)] = counts.get(found.group(1), 0) + 1
        return counts

    def listed(self, instance, account):
        response = self.session(instance, account).get(
            f"{instance.url}/@requests", params={"b_size": 1000}, timeout=60
        )
        self.assertEqual(response.status_code, 200, response.text)
        return {item["number"] for item in response.json()["items"]}


class TestTwoInstances(ClusterTestCase):
    def test_requests_filed_through_both_instances_at_once(self):
        def file(index):
            instance = (self.a, self.b)[index % 2]
            account = (AMELIE, JEROME)[index // 2 % 2]
            response = self.file(instance, account)
            return instance.name, account, response.status_code, response.text

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            results = list(pool.map(file, range(REQUESTS)))

        failed = [
            (name, status, text[:300])
            for name, _, status, text in results
            if status != 201
        ]
        self.assertEqual(failed, [])
        self.assertEqual({name for name, *_ in results}, {"zope-a", "zope-b"})
        numbers = {}
        for _, account, _, text in results:
            numbers.setdefault(account, []).append(json.loads(text)["number"])
        filed = [number for values in numbers.values() for number in values]
        self.assertEqual(len(filed), REQUESTS)
        self.assertEqual(len(set(filed)), REQUESTS, "a number given twice")
        for account, values in numbers.items():
            through_a = self.listed(self.a, account)
            through_b = self.listed(self.b, account)
            self.assertLessEqual(set(values), through_a)
            self.assertEqual(through_a, through_b)
        # each request's confirmation sent once (by the workers once mail.py
        # queues its emails)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            confirmed = self.confirmed(filed)
            if set(confirmed) == set(filed):
                break
            time.sleep(1)
        self.assertEqual(sorted(confirmed), sorted(filed), "a confirmation missing")
        twice = [number for number, count in confirmed.items() if count != 1]
        self.assertEqual(twice, [], "a confirmation sent twice")

    def test_same_payment_notification_to_both_instances(self):
        session = self.session(self.a, AMELIE)
        for item in session.get(f"{self.a.url}/@cart").json()["items"]:
            session.delete(f"{self.a.url}/@cart/{item['uid']}")
        unpaid = session.get(
            f"{self.a.url}/@invoices", params={"state": "unpaid"}
        ).json()["items"]
        invoice = next(item for item in unpaid if item["regie"] == "ville")
        response = session.post(f"{self.a.url}/@cart", json={"uid": invoice["uid"]})
        self.assertEqual(response.status_code, 201, response.text)
        started = session.post(f"{self.a.url}/@cart/checkout", json={})
        self.assertEqual(started.status_code, 200, started.text)
        transaction_id = started.json()["transaction_id"]
        bank = parse_qs(urlsplit(started.json()["redirect"]).query)
        notify_path = urlsplit(bank["direct_notification_url"][0]).path
        # What the (demonstration) bank's server posts when the card is paid.
        answer = {
            "transaction_id": transaction_id,
            "signed": "1",
            "amount": bank["amount"][0],
            "ok": "1",
        }
        receipts_before = len(self.sink.messages("amelie.lire@example.org", "Reçu"))

        deliveries = 4
        barrier = Barrier(2 * deliveries)

        def notify(index):
            instance = (self.a, self.b)[index % 2]
            barrier.wait(timeout=60)
            return requests.post(
                f"http://127.0.0.1:{instance.port}{notify_path}",
                data=answer,
                headers={"Accept": "*/*"},
                timeout=120,
            ).status_code

        with ThreadPoolExecutor(max_workers=2 * deliveries) as pool:
            statuses = list(pool.map(notify, range(2 * deliveries)))
        self.assertEqual(statuses, [200] * 2 * deliveries)

        for instance in (self.a, self.b):
            session = self.session(instance, AMELIE)
            payments = [
                payment
                for payment in session.get(f"{instance.url}/@payments").json()["items"]
                if payment["transaction_id"] == transaction_id
            ]
            self.assertEqual(len(payments), 1)
            self.assertEqual(payments[0]["status"], "paid")
            paid = session.get(
                f"{instance.url}/@invoices", params={"state": "paid"}
            ).json()["items"]
            self.assertIn(invoice["uid"], [item["uid"] for item in paid])
            self.assertEqual(session.get(f"{instance.url}/@cart").json()["items"], [])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            receipts = self.sink.messages("amelie.lire@example.org", "Reçu")
            if len(receipts) > receipts_before:
                break
            time.sleep(0.5)
        time.sleep(2)  # a second receipt would have come by now
        self.assertEqual(
            len(self.sink.messages("amelie.lire@example.org", "Reçu")),
            receipts_before + 1,
        )

    def test_household_edited_through_one_read_through_the_other(self):
        phone = f"03 88 {time.time_ns() % 100:02d} {time.time_ns() // 100 % 100:02d} 00"
        response = self.session(self.a, AMELIE).patch(
            f"{self.a.url}/@household", json={"phone": phone}
        )
        self.assertEqual(response.status_code, 200, response.text)
        household = self.session(self.b, AMELIE).get(f"{self.b.url}/@household")
        self.assertEqual(household.json()["phone"], phone)

        response = self.session(self.b, AMELIE).patch(
            f"{self.b.url}/@household", json={"street": "14 rue de la Poste"}
        )
        self.assertEqual(response.status_code, 200, response.text)
        household = self.session(self.a, AMELIE).get(f"{self.a.url}/@household")
        self.assertEqual(household.json()["street"], "14 rue de la Poste")
        self.assertEqual(household.json()["phone"], phone)


class TestInstanceKilledUnderLoad(ClusterTestCase):
    """Four citizens filing one request after another (a short pause
    between two, both households), alternately through both instances.

    The pause keeps the load a town's, not a flood on one counter: filings
    serialize on the year's counter (numbering.py), and Zope sleeps a random
    delay that doubles at each retry of a conflicting request (up to 2**n
    seconds at the n-th); back to back, four clients on one instance made a
    request lose five conflicts in a row and wait over 30 s."""

    LOAD_SECONDS = 24
    KILL_AFTER = 8
    CLIENTS = 4
    PAUSE = 0.3
    ACCOUNTS = (AMELIE, JEROME)

    def test_the_other_instance_keeps_answering_and_nothing_is_lost(self):
        acknowledged = []  # (instance, number): the server answered 201
        outcomes = {"zope-a": [], "zope-b": []}
        durations = []
        killed = Event()
        stop = Event()

        def client(index):
            count = 0
            while not stop.is_set():
                instance = (self.a, self.b)[(index + count) % 2]
                account = self.ACCOUNTS[index % 2]
                count += 1
                started = time.monotonic()
                try:
                    response = self.file(instance, account, timeout=60)
                    outcome = response.status_code
                    if outcome == 201:
                        with self.lock:
                            acknowledged.append(response.json()["number"])
                except requests.RequestException as error:
                    outcome = type(error).__name__
                with self.lock:
                    outcomes[instance.name].append((killed.is_set(), outcome))
                    durations.append(time.monotonic() - started)
                stop.wait(self.PAUSE)

        with ThreadPoolExecutor(max_workers=self.CLIENTS) as pool:
            for index in range(self.CLIENTS):
                pool.submit(client, index)
            time.sleep(self.KILL_AFTER)
            killed.set()
            self.b.kill()
            time.sleep(self.LOAD_SECONDS - self.KILL_AFTER)
            stop.set()

        a_outcomes = [outcome for _, outcome in outcomes["zope-a"]]
        b_before = [outcome for after, outcome in outcomes["zope-b"] if not after]
        print(
            f"\nLoad: {len(a_outcomes)} requests through zope-a, "
            f"{len(outcomes['zope-b'])} through zope-b (killed after "
            f"{self.KILL_AFTER} s), {len(acknowledged)} acknowledged, the slowest "
            f"answered in {max(durations):.1f} s"
        )
        self.assertTrue(
            a_outcomes and set(a_outcomes) == {201},
            f"zope-a: {sorted(set(map(str, a_outcomes)))}",
        )
        self.assertGreater(
            sum(1 for after, _ in outcomes["zope-a"] if after),
            5,
            "zope-a served little after the kill",
        )
        # Before the kill, zope-b served; one request may be in flight then.
        self.assertGreaterEqual(b_before.count(201), len(b_before) - self.CLIENTS)
        self.assertEqual(len(set(acknowledged)), len(acknowledged))

        through_a = set().union(
            *(self.listed(self.a, account) for account in self.ACCOUNTS)
        )
        self.assertLessEqual(set(acknowledged), through_a, "acknowledged but lost")

        self.b.start()
        self.sessions.clear()
        self.local = local()
        through_b = set().union(
            *(self.listed(self.b, account) for account in self.ACCOUNTS)
        )
        self.assertEqual(through_b, through_a)
        response = self.file(self.b, JEROME)
        self.assertEqual(response.status_code, 201, response.text)
        self.assertIn(response.json()["number"], self.listed(self.a, JEROME))


queue = test_jobs.queue_committed


def records():
    """What ``test_jobs.record`` recorded in the site (read from PostgreSQL)."""
    database = ZODB.config.databaseFromString(
        f"""
        %import relstorage
        <zodb>
          <relstorage>
            keep-history false
            <postgresql>
              dsn {CLUSTER["database"].dsn}
            </postgresql>
          </relstorage>
        </zodb>
        """
    )
    try:
        connection = database.open()
        portal = connection.root()["Application"]["Plone"]
        annotations = getattr(portal, "__annotations__", {})
        found = list(annotations.get(test_jobs.RECORDS, ()))
        connection.close()
        return found
    finally:
        database.close()


class TestTwoWorkersOnRedis(ClusterTestCase):
    def wait_for(self, condition, timeout=120, what="the condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.5)
        self.fail(f"{what}: not after {timeout} s")

    def jobs(self):
        session = self.session(self.a, ADMIN)
        response = session.get(f"{self.a.url}/@jobs", timeout=60)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def test_jobs_shared_by_both_workers_each_run_once(self):
        for worker in CLUSTER["workers"]:
            if not worker.running():
                worker.start()
        executed_before = [
            worker.log.read_text().count("Executing") for worker in CLUSTER["workers"]
        ]
        for index in range(REQUESTS):
            queue(test_jobs.send, "partage@example.org", f"Tâche {index:03d}")
        self.wait_for(
            lambda: len(self.sink.messages("partage@example.org")) >= REQUESTS,
            what="the 100 emails",
        )
        time.sleep(2)
        subjects = [
            str(message["Subject"])
            for message in self.sink.messages("partage@example.org")
        ]
        self.assertEqual(sorted(subjects), [f"Tâche {i:03d}" for i in range(REQUESTS)])
        executed = [
            worker.log.read_text().count("Executing") - before
            for worker, before in zip(CLUSTER["workers"], executed_before, strict=True)
        ]
        print(f"\nJobs run by each worker: {executed}")
        self.assertTrue(all(executed), f"a worker idle: {executed}")
        overview = self.jobs()
        self.assertEqual(overview["backend"], "redis")
        self.assertEqual(len(overview["workers"]), 2)

    def test_worker_killed_mid_job_the_other_runs_it_once(self):
        job_id = queue(test_jobs.record, "tué-en-route", 5)
        running = self.wait_for(
            lambda: next(
                (job for job in self.jobs()["running"] if job["id"] == job_id), None
            ),
            what="the job running",
        )
        pid = int(running["worker"].rsplit(":", 1)[1])
        (victim,) = [w for w in CLUSTER["workers"] if w.process.pid == pid]
        victim.kill()
        self.assertNotIn("tué-en-route", records())
        self.wait_for(lambda: "tué-en-route" in records(), what="the job run again")
        time.sleep(6)  # longer than the job: not run a third time
        self.assertEqual(records().count("tué-en-route"), 1)
        survivor = next(w for w in CLUSTER["workers"] if w is not victim)
        self.assertIn("queued again", survivor.log.read_text())
        victim.start()

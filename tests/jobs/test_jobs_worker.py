"""A real worker on the embedded queue, as ``make start`` runs it: a ZEO
server sharing the FileStorage, the demo site, one Zope instance, one
``eservices-worker`` (with the test tasks of testing/jobs.py) and an SMTP
sink, each in its own process.

The test queues jobs itself (its transactions commit into the instance's
``var/jobs.sqlite``, as Zope's do) and reads what the jobs did through ZEO
and the sink; the administrators' view through ``GET /@jobs`` over HTTP.
"""

from illkirch.eservices.cli.processes import MailSinkProcess
from illkirch.eservices.jobs import engine
from illkirch.eservices.jobs import registry
from illkirch.eservices.testing import jobs as test_jobs
from illkirch.eservices.testing.cluster import ADMIN
from illkirch.eservices.testing.cluster import Instance
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.requests import STREETLIGHT_ANSWERS
from illkirch.eservices.testing.sessions import rest_session

import requests
import tempfile
import time
import unittest
import ZEO


SITE = {}
TEST_TASKS = "illkirch.eservices.testing.jobs"
# A killed worker's jobs are queued again after 4 s of silence (60 s in
# production), its beats every second.
FAST = {"JOBS_HEARTBEAT": "1", "JOBS_DEAD_WORKER": "4"}


def setUpModule():
    workdir = tempfile.TemporaryDirectory(prefix="eservices-worker-")
    SITE["workdir"] = workdir
    try:
        sink = SITE["sink"] = MailSinkProcess(f"{workdir.name}/mail").start()
        instance = SITE["instance"] = Instance(
            "zope", workdir.name, "", zodb_backend="zeo", env=FAST
        )
        SITE["zeo"] = instance.zeo().start()
        instance.create_site(sink.port)
        instance.start()
        SITE["worker"] = instance.worker(modules=[TEST_TASKS]).start()
        SITE["db"] = ZEO.DB(str(instance.var / "zeo.sock"))
        engine.reset(
            engine.build(
                {
                    "JOBS_BACKEND": "sqlite",
                    "JOBS_SQLITE": str(instance.var / "jobs.sqlite"),
                }
            )
        )
    except BaseException:
        tearDownModule()
        raise


def tearDownModule():
    engine.reset()
    if "db" in SITE:
        SITE["db"].close()
    for name in ("worker", "instance", "zeo", "sink"):
        if name in SITE:
            SITE[name].stop()
    SITE["workdir"].cleanup()


queue = test_jobs.queue_committed


def records():
    """What ``test_jobs.record`` recorded in the site (read through ZEO)."""
    connection = SITE["db"].open()
    try:
        portal = connection.root()["Application"]["Plone"]
        annotations = getattr(portal, "__annotations__", {})
        return list(annotations.get(test_jobs.RECORDS, ()))
    finally:
        connection.close()


def wait_for(condition, timeout=60, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"{what}: not after {timeout} s")


class WorkerTestCase(unittest.TestCase):
    def setUp(self):
        self.instance = SITE["instance"]
        self.sink = SITE["sink"]
        self.url = self.instance.url
        self.admin = rest_session(self.url, *ADMIN)
        self.addCleanup(self.admin.close)
        if not self.sink.running():
            self.sink.start()
        if not SITE["worker"].running():
            SITE["worker"] = self.instance.worker(modules=[TEST_TASKS]).start()

    def jobs(self):
        response = self.admin.get(f"{self.url}/@jobs")
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def job_in(self, kind, job_id):
        return next((job for job in self.jobs()[kind] if job["id"] == job_id), None)

    def mails(self, recipient, subject):
        return self.sink.messages(recipient, subject)


class TestWorker(WorkerTestCase):
    def test_job_runs_in_the_site_and_admins_see_the_worker(self):
        queue(test_jobs.record, "premier")
        wait_for(lambda: "premier" in records(), what="the job's effect")
        self.assertEqual(records().count("premier"), 1)
        overview = self.jobs()
        self.assertEqual(overview["backend"], "sqlite")
        self.assertGreaterEqual(len(overview["workers"]), 1)
        self.assertIn(
            "testing.every-quarter", [task["name"] for task in overview["periodic"]]
        )

    def test_jobs_is_for_managers_only(self):
        anonymous = requests.get(
            f"{self.url}/@jobs", headers={"Accept": "application/json"}
        )
        self.assertEqual(anonymous.status_code, 401)
        citizen = rest_session(self.url, *AMELIE)
        self.addCleanup(citizen.close)
        self.assertEqual(citizen.get(f"{self.url}/@jobs").status_code, 401)
        response = citizen.post(f"{self.url}/@jobs/abc/retry", json={})
        self.assertEqual(response.status_code, 401)

    def test_email_waits_for_the_smtp_server_nothing_lost(self):
        self.sink.stop()
        job_id = queue(test_jobs.send, "sink@example.org", "Serveur arrêté")
        # tried, failed, waiting for its next try (backoff)
        waiting = wait_for(
            lambda: self.job_in("scheduled", job_id), what="the job waiting for a retry"
        )
        self.assertGreaterEqual(waiting["attempt"], 2)
        self.assertEqual(self.mails("sink@example.org", "Serveur arrêté"), [])
        self.sink.start()
        wait_for(
            lambda: self.mails("sink@example.org", "Serveur arrêté"),
            what="the email after the sink restarted",
        )
        time.sleep(1)
        self.assertEqual(len(self.mails("sink@example.org", "Serveur arrêté")), 1)

    def test_dead_letter_listed_with_its_error_then_retried(self):
        self.sink.stop()
        job_id = queue(test_jobs.send_soon, "dead@example.org", "Lettre morte")
        failed = wait_for(lambda: self.job_in("failed", job_id), what="the dead letter")
        self.assertEqual(failed["task"], test_jobs.send_soon.job_name)
        self.assertEqual(failed["attempts"], 2)
        self.assertIn("ConnectionRefusedError", failed["error"])
        self.sink.start()
        retry_url = f"{self.url}/@jobs/{job_id}/retry"
        not_json = self.admin.post(
            retry_url, data="x", headers={"Content-Type": "text/plain"}
        )
        self.assertEqual(not_json.status_code, 415)
        response = self.admin.post(retry_url, json={})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["retried"], job_id)
        wait_for(
            lambda: self.mails("dead@example.org", "Lettre morte"),
            what="the retried email",
        )
        self.assertIsNone(self.job_in("failed", job_id))
        again = self.admin.post(retry_url, json={})
        self.assertEqual(again.status_code, 404)
        self.assertIn("Aucune tâche en échec", again.json()["error"]["message"])

    def test_sigterm_finishes_the_job_being_run(self):
        worker = SITE["worker"]
        job_id = queue(test_jobs.record, "fini", 3)
        wait_for(lambda: self.job_in("running", job_id), what="the job running")
        worker.stop()  # SIGTERM: returns once the worker has exited
        self.assertIn("fini", records())
        self.assertIn("Shutting down gracefully", worker.log.read_text())

    def test_sigkill_mid_job_runs_it_again_once(self):
        job_id = queue(test_jobs.record, "tué", 4)
        wait_for(lambda: self.job_in("running", job_id), what="the job running")
        SITE["worker"].kill()
        self.assertNotIn("tué", records())
        # the next worker finds the dead worker's job and runs it again
        SITE["worker"] = self.instance.worker(modules=[TEST_TASKS]).start()
        wait_for(lambda: "tué" in records(), what="the job run again")
        self.assertEqual(records().count("tué"), 1)
        self.assertIsNone(self.job_in("running", job_id))


class TestRequestsEmails(WorkerTestCase):
    """The confirmation of a request filed through REST reaches the citizen
    (through the worker once mail.py queues its emails, #16)."""

    def file(self):
        citizen = rest_session(self.url, *AMELIE)
        self.addCleanup(citizen.close)
        response = citizen.post(
            f"{self.url}/@requests",
            json={
                "service": "signalement-voie-publique",
                "answers": STREETLIGHT_ANSWERS,
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()["number"]

    def confirmations(self, number):
        return [
            message
            for message in self.sink.messages(AMELIE_EMAIL)
            if number in str(message["Subject"])
            or number in message.get_body(("plain",)).get_content()
        ]

    def test_confirmation_email_arrives(self):
        number = self.file()
        wait_for(lambda: self.confirmations(number), what="the confirmation")

    def test_confirmation_email_arrives_after_the_smtp_server_restarts(self):
        import illkirch.eservices.mail  # noqa: F401 - registers its tasks

        if not any(
            name.startswith("illkirch.eservices.mail.") for name in registry.TASKS
        ):
            self.skipTest("mail.py sends at commit: its emails are not queued yet")
        self.sink.stop()
        number = self.file()
        time.sleep(3)
        self.sink.start()
        # the next try of the delivery may be a few minutes away (its backoff)
        wait_for(
            lambda: self.confirmations(number), timeout=400, what="the confirmation"
        )
        time.sleep(1)
        self.assertEqual(len(self.confirmations(number)), 1)


AMELIE_EMAIL = "amelie.lire@example.org"

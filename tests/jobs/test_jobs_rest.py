"""The jobs seen from the site served over HTTP (a real SQLite queue of the
test's own): a request that conflicts and is retried by Zope queues its job
once; ``GET /@jobs`` and ``POST /@jobs/<id>/retry`` for Managers; the
« Tâches de fond » control panel and its retry button (CSRF-protected); the
1008 → 1009 upgrade adds its configlet."""

from illkirch.eservices.jobs import engine
from illkirch.eservices.testing import FUNCTIONAL_TESTING
from illkirch.eservices.testing import INTEGRATION_TESTING
from illkirch.eservices.testing import jobs as test_jobs
from illkirch.eservices.testing.profile import profile_version
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_NAME
from plone.app.testing import TEST_USER_PASSWORD

import re
import requests
import unittest


PROFILE = "illkirch.eservices:default"
CONFIGLET = "illkirch-eservices-jobs"


class QueueTestCase(unittest.TestCase):
    layer = FUNCTIONAL_TESTING

    def setUp(self):
        self.queue = test_jobs.use_sqlite_queue(self)
        self.url = self.layer["portal"].absolute_url()

    def dead_letter(self, message="Serveur injoignable"):
        """A job that failed its three tries (run here, as a worker would)."""
        return test_jobs.dead_letter(self.queue, message)


class TestRequestRetriedAfterConflict(QueueTestCase):
    def test_job_queued_once_by_a_request_retried_after_a_conflict(self):
        response = requests.get(
            f"{self.url}/@@test-enqueue-conflicting", params={"marker": "retried"}
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.text, "2")  # Zope published it twice
        (task,) = self.queue.pending()
        self.assertEqual(task.args[:2], (test_jobs.record.job_name, ("retried",)))


class TestJobsApi(QueueTestCase):
    def setUp(self):
        super().setUp()
        self.admin = rest_session(self.url)
        self.admin.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        self.addCleanup(self.admin.close)

    def test_failed_job_listed_with_its_error_then_retried(self):
        job_id = self.dead_letter()
        response = self.admin.get(f"{self.url}/@jobs")
        self.assertEqual(response.status_code, 200, response.text)
        overview = response.json()
        self.assertEqual(overview["@id"], f"{self.url}/@jobs")
        (failed,) = overview["failed"]
        self.assertEqual(failed["id"], job_id)
        self.assertEqual(failed["error"], "RuntimeError: Serveur injoignable")
        self.assertEqual(failed["attempts"], 3)
        self.assertEqual(overview["queued"], [])
        self.assertNotIn("args", failed)  # never the job's data

        url = f"{self.url}/@jobs/{job_id}/retry"
        refused = self.admin.post(
            url, data="{}", headers={"Content-Type": "text/plain"}
        )
        self.assertEqual(refused.status_code, 415)
        self.assertEqual(self.queue.pending_count(), 0)
        response = self.admin.post(url, json={})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["retried"], job_id)
        (task,) = self.queue.pending()
        self.assertEqual((task.id, task.args[3]), (job_id, 0))
        self.assertEqual(self.admin.get(f"{self.url}/@jobs").json()["failed"], [])

        again = self.admin.post(url, json={})
        self.assertEqual(again.status_code, 404)
        self.assertEqual(
            again.json()["error"]["message"],
            "Aucune tâche en échec ne porte cet identifiant (elle a peut-être "
            "déjà été relancée).",
        )
        self.assertEqual(
            self.admin.post(f"{self.url}/@jobs/x", json={}).status_code, 404
        )

    def test_queue_down_answers_503_in_french(self):
        from illkirch.eservices.cli.processes import free_port

        engine.reset(
            engine.build(
                {
                    "JOBS_BACKEND": "redis",
                    "JOBS_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
                }
            )
        )
        response = self.admin.get(f"{self.url}/@jobs")
        self.assertEqual(response.status_code, 503)
        self.assertIn(
            "La file des tâches de fond ne répond pas",
            response.json()["error"]["message"],
        )
        retry = self.admin.post(f"{self.url}/@jobs/abc/retry", json={})
        self.assertEqual(retry.status_code, 503)

    def test_for_managers_only(self):
        job_id = self.dead_letter()
        member = rest_session(self.url)
        member.auth = (TEST_USER_NAME, TEST_USER_PASSWORD)
        self.addCleanup(member.close)
        self.assertEqual(member.get(f"{self.url}/@jobs").status_code, 401)
        response = member.post(f"{self.url}/@jobs/{job_id}/retry", json={})
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.queue.pending_count(), 0)
        anonymous = rest_session(self.url)
        self.addCleanup(anonymous.close)
        self.assertEqual(anonymous.get(f"{self.url}/@jobs").status_code, 401)


class TestJobsControlPanel(QueueTestCase):
    def setUp(self):
        super().setUp()
        self.admin = requests.Session()
        self.admin.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        self.addCleanup(self.admin.close)
        self.page = f"{self.url}/@@taches-de-fond"

    def test_lists_the_failed_job_and_retries_it(self):
        job_id = self.dead_letter("Boîte pleine")
        page = self.admin.get(self.page)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Tâches de fond", page.text)
        self.assertIn("Tâches en échec", page.text)
        self.assertIn("RuntimeError: Boîte pleine", page.text)
        self.assertIn("Relancer", page.text)
        self.assertIn("testing.every-quarter", page.text)
        token = re.search(r'name="_authenticator" value="([^"]+)"', page.text)[1]

        # without the form's token (a page of another site): refused
        forged = self.admin.post(self.page, data={"job": job_id})
        self.assertEqual(forged.status_code, 403)
        self.assertEqual(self.queue.pending_count(), 0)

        done = self.admin.post(self.page, data={"job": job_id, "_authenticator": token})
        self.assertEqual(done.status_code, 200)
        self.assertEqual(done.url, self.page)
        self.assertIn("La tâche a été remise en file.", done.text)
        self.assertIn("Aucune tâche en échec.", done.text)
        (task,) = self.queue.pending()
        self.assertEqual(task.id, job_id)

    def test_managers_only(self):
        member = requests.Session()
        member.auth = (TEST_USER_NAME, TEST_USER_PASSWORD)
        self.addCleanup(member.close)
        response = member.get(self.page, allow_redirects=False)
        self.assertIn(response.status_code, (302, 401, 403))
        self.assertNotIn("Tâches en échec", response.text)


class TestUpgrade1009(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def test_configlet_added(self):
        portal = self.layer["portal"]
        panel = portal.portal_controlpanel
        self.assertIn(CONFIGLET, [action.id for action in panel.listActions()])
        panel.unregisterConfiglet(CONFIGLET)
        setup = portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1008")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))
        (configlet,) = [a for a in panel.listActions() if a.id == CONFIGLET]
        self.assertEqual(configlet.permissions, ("Manage portal",))
        self.assertTrue(configlet.getActionExpression().endswith("@@taches-de-fond"))

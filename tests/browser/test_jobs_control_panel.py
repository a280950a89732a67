"""Browser test (Chromium): « Tâches de fond » in Site Setup (#16): a failed
job listed with its error, retried with its button; the page axe-clean."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing import jobs as test_jobs
from illkirch.eservices.testing.browser import BrowserTestCase
from playwright.sync_api import expect
from plone import api

import re
import transaction


MANAGER = ("admin.taches", "Admin-Taches-2026")


class TestJobsControlPanel(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        super().setUp()
        self.queue = test_jobs.use_sqlite_queue(self)
        api.user.create(
            email="admin.taches@illkirch.example",
            username=MANAGER[0],
            password=MANAGER[1],
        )
        api.user.grant_roles(username=MANAGER[0], roles=["Manager"])
        transaction.commit()

    def test_failed_job_listed_and_retried(self):
        job_id = test_jobs.dead_letter(self.queue, "Serveur de courriel injoignable")
        page = self.page
        self.login(*MANAGER)
        page.goto(f"{self.portal_url}/@@overview-controlpanel")
        page.get_by_role("link", name="Tâches de fond").click()
        expect(page).to_have_url(re.compile(r"@@taches-de-fond$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Tâches de fond")
        failed = page.locator("#eservices-jobs-failed")
        expect(failed.get_by_role("row")).to_have_count(2)  # heading and one job
        expect(failed).to_contain_text("RuntimeError: Serveur de courriel injoignable")
        expect(page.locator("#eservices-jobs-summary")).to_contain_text(
            "0 tâche(s) en file"
        )
        self.assert_accessible("Tâches de fond")

        failed.get_by_role("button", name="Relancer").click()
        expect(page.get_by_text("La tâche a été remise en file.")).to_be_visible()
        expect(page.get_by_text("Aucune tâche en échec.")).to_be_visible()
        expect(page.locator("#eservices-jobs-waiting")).to_contain_text("En file")
        (task,) = self.queue.pending()
        self.assertEqual(task.id, job_id)
        self.assert_accessible("Tâches de fond, after the retry")

"""« Tâches de fond » (Site Setup, Managers): the queue of the background
jobs as ``GET /@jobs`` gives it, with a button that queues a failed job
again (a POST protected against CSRF)."""

from illkirch.eservices import _
from illkirch.eservices.jobs import engine
from plone.base.utils import safe_text
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage

import logging


logger = logging.getLogger(__name__)

RETRIED = _("status_job_retried", default="The job has been queued again.")
NOT_RETRIED = _(
    "status_job_not_retried",
    default="No failed job has this identifier (it may have been retried already).",
)
QUEUE_DOWN = _(
    "status_jobs_queue_down",
    default="The queue of the background jobs does not answer: try again later.",
)


class JobsControlPanel(BrowserView):
    template = ViewPageTemplateFile("jobs.pt")
    # the browser title (browser/viewlets.TitleViewlet)
    page_title = _("title_jobs", default="Background jobs")

    def __call__(self):
        self.overview = None
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            job_id = safe_text(self.request.form.get("job", ""))
            messages = IStatusMessage(self.request)
            try:
                retried = engine.retry(job_id)
            except Exception:
                logger.exception("the jobs' queue does not answer")
                messages.add(QUEUE_DOWN, "error")
            else:
                if retried:
                    logger.info("failed job %s queued again", job_id)
                messages.add(
                    RETRIED if retried else NOT_RETRIED,
                    "info" if retried else "warning",
                )
            self.request.response.redirect(self.url())
            return ""
        try:
            self.overview = engine.overview()
        except Exception:
            logger.exception("the jobs' queue does not answer")
        return self.template()

    def url(self):
        return f"{self.context.absolute_url()}/@@taches-de-fond"

    @staticmethod
    def schedule(schedule):
        """A crontab as its fields: « minute=*/15 hour=* »."""
        return " ".join(f"{key}={value}" for key, value in sorted(schedule.items()))

    @staticmethod
    def when(iso):
        """An ISO moment as « 2026-12-06 11:41 UTC »."""
        return f"{iso[:10]} {iso[11:16]} UTC" if iso else "—"

"""``GET /@jobs``, ``POST /@jobs/<id>/retry`` (Managers)."""

from illkirch.eservices import _
from illkirch.eservices.jobs import engine
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.traversal import TraversingService

import logging


logger = logging.getLogger(__name__)

QUEUE_DOWN = _(
    "error_jobs_queue_down",
    default="The queue of the background jobs does not answer: try again "
    "later (the jobs already queued are kept).",
)
NO_FAILED_JOB = _(
    "error_jobs_no_failed_job",
    default="No failed job has this identifier (it may have been retried already).",
)


class JobsGet(TraversingService):
    """``GET /@jobs``: ``engine.overview()`` (no job's arguments: they may
    hold personal data)."""

    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        if self.params:
            return error_answer(self.request, 404, NOT_FOUND)
        try:
            overview = engine.overview()
        except Exception:
            logger.exception("the jobs' queue does not answer")
            return error_answer(self.request, 503, QUEUE_DOWN, "ServiceUnavailable")
        return {"@id": f"{self.context.absolute_url()}/@jobs", **overview}


class JobRetryPost(TraversingService):
    """``POST /@jobs/<id>/retry``: the failed job ``<id>`` queued again, from
    its first try."""

    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        if len(self.params) != 2 or self.params[1] != "retry":
            return error_answer(self.request, 404, NOT_FOUND)
        job_id = self.params[0]
        try:
            retried = engine.retry(job_id)
        except Exception:
            logger.exception("the jobs' queue does not answer")
            return error_answer(self.request, 503, QUEUE_DOWN, "ServiceUnavailable")
        if not retried:
            return error_answer(self.request, 404, NO_FAILED_JOB)
        logger.info("failed job %s queued again", job_id)
        return {"@id": f"{self.context.absolute_url()}/@jobs", "retried": job_id}

"""``GET /@invoices-import/<job>``: a background import's progress and report.

``{"@id", "job", "state", "rows", "checked", "written", "total", "percent",
"report", "errors"}``: ``state`` is ``queued``, ``checking``, ``importing``,
``done`` (``report``: the summary a small file's 200 gives) or ``refused``
(``errors`` by row and column, in French: nothing was stored). 404 for an
unknown job. Finance role, as the import.
"""

from illkirch.eservices.billing import import_jobs
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.traversal import TraversingService


FIELDS = ("job", "state", "rows", "checked", "written", "total", "report", "errors")


class InvoicesImportGet(TraversingService):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        job_id = self.params[0] if len(self.params) == 1 else None
        state = import_jobs.state(job_id)
        if state is None:
            return error_answer(self.request, 404, NOT_FOUND)
        return {
            "@id": f"{self.context.absolute_url()}/@invoices-import/{job_id}",
            **{name: state.get(name) for name in FIELDS},
            "percent": import_jobs.percent(state),
        }

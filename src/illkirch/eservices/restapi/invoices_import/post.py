"""``POST /@invoices-import``: the Finance role imports invoices.

The body is the CSV itself (``Content-Type: text/csv``), or JSON:
``{"format": "csv", "data": "<CSV text>"}`` or
``{"format": "json", "invoices": [{...}, ...]}`` (docs/invoices.md).
200 answers the summary; 400 every error by row and column, in French, and
nothing is stored. A large file (``import_jobs.BACKGROUND_ROWS`` rows or
more) is imported by the background worker: 202 answers the job's address
(``Location``, ``@id``), whose ``GET`` gives the progress then the report
(get.py).
"""

from illkirch.eservices import _
from illkirch.eservices.billing import import_jobs
from illkirch.eservices.billing import importer
from illkirch.eservices.restapi.errors import error_answer
from plone.restapi.services import Service
from zope.i18n import translate

import json
import transaction


NOT_IMPORTED = _(
    "error_import_refused", default="The file was not imported: correct the errors."
)
BODY_FORMAT = _(
    "error_import_body",
    default="Send the CSV file (Content-Type: text/csv), or JSON: "
    '{"format": "csv", "data": "…"} or '
    '{"format": "json", "invoices": […]}.',
)


def import_errors(request, errors):
    """400 and ``{"error": {"type", "message", "errors": [{"row", "column",
    "message"}]}}``: the field errors' shape, by row and column."""
    return error_answer(
        request,
        400,
        NOT_IMPORTED,
        "ValidationError",
        errors=[
            {
                "row": error["row"],
                "column": error["column"],
                "message": translate(error["message"], context=request),
            }
            for error in errors
        ],
    )


def read_body(request):
    """``(format, data)`` of the request, or None when it is not readable."""
    body = request.get("BODY") or b""
    content_type = (request.getHeader("Content-Type") or "").split(";")[0].strip()
    if content_type.lower() == "text/csv":
        return "csv", body
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(payload, list):
        return "json", payload
    if not isinstance(payload, dict):
        return None
    format_ = payload.get("format") or ("json" if "invoices" in payload else "csv")
    if format_ == "csv" and isinstance(payload.get("data"), str):
        return "csv", payload["data"]
    if format_ == "json" and "invoices" in payload:
        return "json", payload["invoices"]
    return None


class InvoicesImportPost(Service):
    # text/csv is no type a page of another site can send (restapi/json_writes.py)
    accepted_content_types = ("application/json", "text/csv")

    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        body = read_body(self.request)
        if body is None:
            return error_answer(self.request, 400, BODY_FORMAT)
        format_, data = body
        rows, errors = importer.parse(data, format_)
        if import_jobs.in_background(rows, errors):
            return self.started(import_jobs.start(rows), len(rows))
        try:
            return importer.import_rows(rows, errors=errors)
        except importer.InvoiceImportError as error:
            transaction.doom()  # nothing stored, whatever happened before
            return import_errors(self.request, error.errors)

    def started(self, job_id, rows):
        """202 and the job's address."""
        url = f"{self.context.absolute_url()}/@invoices-import/{job_id}"
        self.request.response.setStatus(202)
        self.request.response.setHeader("Location", url)
        return {"@id": url, "job": job_id, "state": import_jobs.QUEUED, "rows": rows}

"""« Importer des factures » (Finance role): the billing software's CSV or
JSON file, imported all or nothing (``billing/importer.py``).

A small file is imported by the request and the page shows the report or
the errors by row and column. A large one (``import_jobs.BACKGROUND_ROWS``
rows or more) is imported by the background worker: the page then follows
its job (``?job=<id>``), a progress bar that updates itself
(``++plone++illkirch.eservices/invoices-import.js`` asks
``GET @invoices-import/<id>``), then the report or the errors.
"""

from illkirch.eservices import _
from illkirch.eservices.billing import import_jobs
from illkirch.eservices.billing import importer
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate

import json
import transaction


NO_FILE = _("error_import_no_file", default="Choose the file to import.")
UNKNOWN_JOB = _(
    "error_import_unknown_job",
    default="This import is unknown or too old: send the file again.",
)
# What the progress bar's live text says, by state (${…} filled in by the
# page, then by its script)
STATUS = {
    import_jobs.QUEUED: _(
        "import_status_queued", default="The import of ${rows} rows is waiting."
    ),
    import_jobs.CHECKING: _(
        "import_status_checking",
        default="Checking the rows: ${checked} out of ${rows}…",
    ),
    import_jobs.IMPORTING: _(
        "import_status_importing",
        default="${rows} rows checked; ${written} invoices written out of ${total}.",
    ),
    import_jobs.DONE: _("import_status_done", default="The import is finished."),
    import_jobs.REFUSED: _(
        "import_status_refused",
        default="The file was not imported: correct the errors.",
    ),
}


class InvoicesImportPage(BrowserView):
    index = ViewPageTemplateFile("templates/invoices_import.pt")
    page_title = _("heading_invoices_import", default="Import invoices")

    def __call__(self):
        self.report = None
        self.errors = []
        self.file_error = None
        self.job_id = self.request.form.get("job") or None
        self.job = import_jobs.state(self.job_id) if self.job_id else None
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            if self.send():
                return ""
        self.request.response.setHeader("Cache-Control", "no-store")
        return self.index()

    def url(self):
        return f"{self.context.absolute_url()}/@@import-factures"

    def send(self):
        """Import the file sent; True when the page redirects to its job."""
        upload = self.request.form.get("file")
        data = upload.read() if upload else b""
        if not data:
            self.file_error = translate(NO_FILE, context=self.request)
            return False
        name = (getattr(upload, "filename", "") or "").lower()
        rows, errors = importer.parse(data, "json" if name.endswith(".json") else "csv")
        if import_jobs.in_background(rows, errors):
            job_id = import_jobs.start(rows)
            self.request.response.redirect(f"{self.url()}?job={job_id}")
            return True
        try:
            self.report = importer.import_rows(rows, errors=errors)
        except importer.InvoiceImportError as error:
            transaction.doom()  # nothing stored
            self.errors = self.translated(error.errors)
        return False

    def translated(self, errors):
        return [
            dict(error, message=translate(error["message"], context=self.request))
            for error in errors
        ]

    def unknown_job(self):
        if self.job_id and self.job is None:
            return translate(UNKNOWN_JOB, context=self.request)
        return None

    def following(self):
        """The job is still running: the page follows it."""
        return self.job is not None and self.job["state"] not in (
            import_jobs.DONE,
            import_jobs.REFUSED,
        )

    def job_report(self):
        return self.job["report"] if self.job else self.report

    def job_errors(self):
        return (self.job.get("errors") or []) if self.job else self.errors

    def percent(self):
        return import_jobs.percent(self.job)

    def statuses(self):
        """The live text of each state, translated, ``${…}`` left for the
        script."""
        return {
            state: translate(message, context=self.request)
            for state, message in STATUS.items()
        }

    def statuses_json(self):
        return json.dumps(self.statuses(), ensure_ascii=False)

    def status(self):
        """The live text of the job's current state."""
        job = self.job
        text = self.statuses()[job["state"]]
        for name in ("rows", "checked", "written", "total"):
            value = job.get(name)
            text = text.replace(f"${{{name}}}", str(0 if value is None else value))
        return text

    def job_url(self):
        return f"{self.context.absolute_url()}/@invoices-import/{self.job_id}"

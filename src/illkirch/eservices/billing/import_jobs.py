"""Large invoice imports run in the background (#16, item 5).

``POST @invoices-import`` with a file of ``BACKGROUND_ROWS`` rows or more
does not import it in the request: ``start`` keeps the job's state in the
jobs' store and queues the task ``run_import`` (``jobs.enqueue``: queued
when the request commits). The worker checks then imports the rows, keeping
its progress (rows checked, invoices written) with ``jobs.put``, outside
the ZODB's transactions: the import itself stays all or nothing, written by
the one transaction of the task, or not at all. ``state`` is what
``GET @invoices-import/<job>`` and the import page show.

States: ``queued`` → ``checking`` → ``importing`` → ``done`` (with the
report) or ``refused`` (with the errors by row and column, nothing stored).
"""

from datetime import UTC
from datetime import datetime
from illkirch.eservices import jobs
from illkirch.eservices.billing import importer
from plone import api
from zope.i18n import translate

import transaction
import uuid


# From this many rows a file is imported in the background.
BACKGROUND_ROWS = 500
KEY = "invoices.import:"
QUEUED, CHECKING, IMPORTING, DONE, REFUSED = (
    "queued",
    "checking",
    "importing",
    "done",
    "refused",
)
# The progress is written every so many rows or invoices (and at the end).
PROGRESS_EVERY = 50


def in_background(rows, errors):
    """Whether parsed ``rows`` go to the background: a large file that could
    be read (the errors of an unreadable file are answered at once)."""
    return not errors and len(rows) >= BACKGROUND_ROWS


def _now():
    return datetime.now(UTC).isoformat(timespec="seconds")


def _put(job_id, **changes):
    state = dict(jobs.get(KEY + job_id) or {})
    state.update(changes, updated=_now())
    jobs.put(KEY + job_id, state)
    return state


def state(job_id):
    """The job's state: ``{"job", "state", "rows", "checked", "written",
    "total", "report", "errors", "user", "started", "updated"}``, or None
    for an unknown job."""
    if not job_id or len(job_id) > 64:
        return None
    return jobs.get(KEY + job_id)


def percent(state):
    """How far the job is, 0 to 100 (checking the rows counts for a tenth,
    writing the invoices for the rest)."""
    if state["state"] in (DONE, REFUSED):
        return 100
    if state["state"] == IMPORTING and state.get("total"):
        return 10 + int(90 * (state.get("written") or 0) / state["total"])
    if state["state"] == CHECKING and state.get("rows"):
        return int(10 * (state.get("checked") or 0) / state["rows"])
    return 0


def start(rows):
    """Queue the import of parsed ``rows`` (``importer.parse``'s) by the
    current user; return the job's id."""
    job_id = uuid.uuid4().hex
    user = api.user.get_current()
    _put(
        job_id,
        job=job_id,
        state=QUEUED,
        rows=len(rows),
        checked=0,
        written=0,
        total=None,
        report=None,
        errors=[],
        user=user.getId(),
        started=_now(),
    )
    jobs.enqueue(run_import, job_id, [[number, row] for number, row in rows])
    return job_id


def _errors(errors):
    """The import's errors as JSON-able data, messages in the site's
    language."""
    language = api.portal.get_default_language()
    return [
        {
            "row": error["row"],
            "column": error["column"],
            "message": translate(error["message"], target_language=language),
        }
        for error in errors
    ]


@jobs.task(retries=3, retry_delay=60)
def run_import(job_id, rows):
    """Check then import ``rows`` (``[[row number, {column: text}], …]``)
    as the user who sent the file; keep the progress and the report under
    the job's id.

    Idempotent: the import itself is (importing the same rows again changes
    nothing: each invoice is found by its régie and number and left
    unchanged), and the job's state is overwritten by each run; a run whose
    transaction is not committed leaves nothing, and the report (« done »)
    is written only once the import's transaction has committed.
    """
    current = state(job_id) or {}
    rows = [(number, row) for number, row in rows]
    user = api.user.get(userid=current.get("user")) if current.get("user") else None
    if user is None:
        _put(job_id, state=REFUSED, errors=[], report=None)
        return None
    _put(job_id, state=CHECKING, checked=0, written=0)

    def checked_rows(done, total):
        if done % PROGRESS_EVERY == 0 or done == total:
            _put(job_id, checked=done)

    def progress(done, total):
        if done == 1:
            _put(job_id, state=IMPORTING, checked=len(rows), total=total)
        if done % PROGRESS_EVERY == 0 or done == total:
            _put(job_id, written=done, total=total)

    with api.env.adopt_user(user=user):
        try:
            report = importer.import_rows(
                rows, progress=progress, checked_rows=checked_rows
            )
        except importer.InvoiceImportError as error:
            # nothing was written: the rows are checked before any change
            _put(job_id, state=REFUSED, checked=len(rows), errors=_errors(error.errors))
            return None
    done = {"state": DONE, "checked": len(rows), "report": report}

    def committed(success):
        if success:
            _put(job_id, **done)

    transaction.get().addAfterCommitHook(committed)
    return report

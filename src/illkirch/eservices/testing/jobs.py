"""Tasks for the tests of the jobs engine only (tests/jobs/): the worker
loads them with ``--import illkirch.eservices.testing.jobs``; and the
tests' own throwaway SQLite queue (``use_sqlite_queue``)."""

from illkirch.eservices import jobs
from illkirch.eservices.jobs import engine
from illkirch.eservices.jobs import registry
from persistent.list import PersistentList
from zope.annotation.interfaces import IAnnotations

import tempfile
import time
import transaction


RECORDS = "illkirch.eservices.testing.jobs"


def queue_committed(func, *args):
    """Queue a job on the configured backend as a committed transaction of
    the portal does (the test layers' eager mode set aside meanwhile)."""
    registry.EAGER = False
    try:
        transaction.begin()
        job_id = jobs.enqueue(func, *args)
        transaction.commit()
    finally:
        registry.EAGER = True
    return job_id


def use_sqlite_queue(testcase):
    """Make a SQLite queue in a temporary folder the process's queue for
    the test, out of EAGER mode; all undone at the test's cleanup. Returns
    the queue (huey)."""
    folder = tempfile.TemporaryDirectory(prefix="eservices-jobs-")
    testcase.addCleanup(folder.cleanup)
    queue = engine.build(
        {"JOBS_BACKEND": "sqlite", "JOBS_SQLITE": f"{folder.name}/jobs.sqlite"}
    )
    engine.reset(queue)
    registry.EAGER = False
    testcase.addCleanup(engine.reset)
    testcase.addCleanup(setattr, registry, "EAGER", True)
    return queue


def dead_letter(queue, message):
    """A job of ``fail`` that failed its three tries on ``queue`` (run here,
    as a worker would); its id."""
    transaction.begin()
    job_id = registry.enqueue(fail, message)
    transaction.commit()
    task = queue.dequeue()
    for _ in range(3):
        queue.execute(task, task.eta)
        scheduled = queue.scheduled()
        if not scheduled:
            break
        task = scheduled[0]
        queue.storage.flush_schedule()
    return job_id


def records(portal):
    """The markers recorded in ``portal`` by ``record``, oldest first."""
    return list(IAnnotations(portal).get(RECORDS, ()))


@jobs.task(retries=0)
def record(marker, seconds=0):
    """Idempotent: records ``marker`` in the site once (after ``seconds`` of
    work, for the tests that kill a worker in the middle of a job)."""
    from plone import api

    time.sleep(seconds)
    annotations = IAnnotations(api.portal.get())
    markers = annotations.setdefault(RECORDS, PersistentList())
    if marker not in markers:
        markers.append(marker)


@jobs.task(retries=8, retry_delay=1)
def send(recipient, subject):
    """Idempotent enough for the tests: sends one email at once through the
    site's MailHost; raises (retried) when the SMTP server does not answer."""
    from email.message import EmailMessage
    from plone import api

    message = EmailMessage()
    message["From"] = api.portal.get_registry_record("plone.email_from_address")
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content("Message de test des tâches de fond.")
    api.portal.get_tool("MailHost").send(message.as_string(), immediate=True)


@jobs.task(retries=1, retry_delay=1)
def send_soon(recipient, subject):
    """As ``send``, given up after two tries (the dead-letter tests)."""
    send(recipient, subject)


@jobs.task(retries=2, retry_delay=1)
def fail(message):
    """Idempotent: always fails (the dead-letter tests)."""
    raise RuntimeError(message)


@jobs.periodic("testing.every-quarter", minute="*/15")
def every_quarter():
    """Idempotent: records the run in put/get's store (counted by the tests)."""
    count = jobs.get("testing.every-quarter", 0)
    jobs.put("testing.every-quarter", count + 1)

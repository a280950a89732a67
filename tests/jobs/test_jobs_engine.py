"""The jobs' engine on its two real backends (SQLite and Redis): queued
only when the transaction commits, retries with backoff then a dead letter,
a periodic task once per period whatever the number of workers (frozen
clock), put/get."""

from huey.consumer import Scheduler
from illkirch.eservices import jobs
from illkirch.eservices.jobs import engine
from illkirch.eservices.testing import jobs as test_jobs
from persistent.mapping import PersistentMapping
from ZODB.DB import DB
from ZODB.MappingStorage import MappingStorage
from zoneinfo import ZoneInfo

import datetime
import threading
import time_machine
import transaction


PARIS = ZoneInfo("Europe/Paris")


def utcnow():
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def tasks(queue, name):
    return [task for task in queue.pending() if task.args[0] == name]


def test_queued_only_when_the_transaction_commits(queue):
    transaction.begin()
    job_id = jobs.enqueue(test_jobs.record, "committed")
    assert queue.pending_count() == 0
    transaction.commit()
    (task,) = queue.pending()
    assert task.id == job_id
    assert task.args[:3] == (test_jobs.record.job_name, ("committed",), {})
    transaction.commit()  # a later transaction does not queue it again
    assert queue.pending_count() == 1


def test_aborted_transaction_queues_nothing(queue):
    transaction.begin()
    jobs.enqueue(test_jobs.record, "aborted")
    transaction.abort()
    transaction.commit()
    assert queue.pending_count() == 0


def test_conflicting_transaction_retried_queues_once(queue):
    """A write conflict at commit (another connection changed the same
    object), then the transaction package's retry (what Zope does for a
    request): one job, although asked twice."""
    db = DB(MappingStorage())
    try:
        setup = db.open()
        setup.root()["counter"] = PersistentMapping(value=0)
        transaction.commit()
        setup.close()
        other = transaction.TransactionManager()
        rival = db.open(transaction_manager=other)
        connection = db.open()
        asked = []
        for attempt in transaction.manager.attempts(3):
            with attempt:
                counter = connection.root()["counter"]
                counter["value"] += 1
                asked.append(jobs.enqueue(test_jobs.record, "once"))
                if len(asked) == 1:  # a concurrent change: this try conflicts
                    rival.root()["counter"]["value"] = 10
                    other.commit()
        assert len(asked) == 2
        (task,) = queue.pending()
        assert task.id == asked[1]
        assert connection.root()["counter"]["value"] == 11
    finally:
        db.close()


def test_retries_with_backoff_then_dead_letter_then_retry(queue):
    transaction.begin()
    job_id = jobs.enqueue(test_jobs.fail, "La boîte est pleine")
    transaction.commit()
    ran = utcnow()
    queue.execute(queue.dequeue(), ran)
    # tried again 1 s later (retry_delay), then 2 s after the second try
    for attempt, delay in ((2, 1), (3, 2)):
        (waiting,) = queue.scheduled()
        assert waiting.id == job_id
        assert waiting.args[3] == attempt - 1
        assert delay - 0.5 < (waiting.eta - ran).total_seconds() < delay + 5
        assert queue.read_schedule(ran) == []  # not before its time
        later = waiting.eta + datetime.timedelta(seconds=0.1)
        (task,) = queue.read_schedule(later)
        ran = utcnow()
        queue.execute(task, later)
    assert queue.scheduled() == []
    overview = engine.overview()
    (failed,) = overview["failed"]
    assert failed["id"] == job_id
    assert failed["task"] == test_jobs.fail.job_name
    assert failed["attempts"] == 3
    assert failed["error"] == "RuntimeError: La boîte est pleine"
    assert "RuntimeError" in failed["traceback"]
    assert overview["queued"] == [] and overview["running"] == []

    assert engine.retry(job_id)
    assert engine.overview()["failed"] == []
    (task,) = queue.pending()
    assert (task.id, task.args[3]) == (job_id, 0)  # from its first try
    assert not engine.retry(job_id)  # once
    assert not engine.retry("nothing-here")


def test_runner_runs_each_job_and_running_is_visible(queue):
    """The worker's RUNNER runs the task; while it runs, it is listed as
    running, with its worker."""
    started, release, seen = threading.Event(), threading.Event(), []

    def runner(func, args, kwargs):
        started.set()
        release.wait(10)
        seen.append((func.job_name, args))

    jobs_module = jobs  # the API, as tasks use it
    transaction.begin()
    jobs_module.enqueue(test_jobs.record, "visible")
    transaction.commit()
    engine.registry.RUNNER = runner
    queue.worker_id = "worker-a"
    task = queue.dequeue()
    thread = threading.Thread(target=queue.execute, args=(task,))
    thread.start()
    assert started.wait(10)
    (running,) = engine.overview()["running"]
    assert (running["task"], running["worker"]) == (
        test_jobs.record.job_name,
        "worker-a",
    )
    release.set()
    thread.join(10)
    assert seen == [(test_jobs.record.job_name, ("visible",))]
    assert engine.overview()["running"] == []


def test_periodic_task_once_per_period_whatever_the_workers(queue_env):
    """Two workers' schedulers (huey's own) on one backend, the clock frozen:
    each period's run is claimed by one of them."""
    first, second = engine.build(queue_env), engine.build(queue_env)
    first.worker_id, second.worker_id = "worker-a", "worker-b"
    schedulers = [
        Scheduler(huey, threading.Event(), interval=1, periodic=True)
        for huey in (first, second)
    ]
    name = test_jobs.every_quarter.job_name
    try:
        moments = [
            (datetime.datetime(2026, 12, 7, 10, 15, 0, tzinfo=PARIS), 1),
            (datetime.datetime(2026, 12, 7, 10, 15, 40, tzinfo=PARIS), 1),
            (datetime.datetime(2026, 12, 7, 10, 16, 0, tzinfo=PARIS), 1),
            (datetime.datetime(2026, 12, 7, 10, 29, 59, tzinfo=PARIS), 1),
            (datetime.datetime(2026, 12, 7, 10, 30, 0, tzinfo=PARIS), 2),
            (datetime.datetime(2026, 12, 8, 0, 0, 0, tzinfo=PARIS), 3),
        ]
        for moment, expected in moments:
            with time_machine.travel(moment, tick=False):
                for scheduler in schedulers:  # both, in turn, at that minute
                    scheduler.enqueue_periodic_tasks(None)
                    scheduler.enqueue_periodic_tasks(None)
            assert len(tasks(first, name)) == expected, moment
        # a scheduler's check a little late (huey checks about every 60 s):
        # the minute in between is not skipped
        late = engine.build(queue_env)
        late.worker_id = "worker-c"
        checker = Scheduler(late, threading.Event(), interval=1, periodic=True)
        with time_machine.travel(
            datetime.datetime(2026, 12, 8, 0, 14, 59, tzinfo=PARIS)
        ):
            checker.enqueue_periodic_tasks(None)
        with time_machine.travel(
            datetime.datetime(2026, 12, 8, 0, 16, 1, tzinfo=PARIS)
        ):
            checker.enqueue_periodic_tasks(None)
        assert len(tasks(first, name)) == 4
        ids = [task.id for task in tasks(first, name)]
        assert ids == [
            "testing.every-quarter@202612071015",
            "testing.every-quarter@202612071030",
            "testing.every-quarter@202612080000",
            "testing.every-quarter@202612080015",
        ]
        # run by whichever worker dequeues them: counted once each
        engine.reset(first)
        jobs.registry.EAGER = False
        for huey in (first, second, first, late):
            task = huey.dequeue()
            while task is not None and task.args[0] != name:
                task = huey.dequeue()
            huey.execute(task)
        assert jobs.get("testing.every-quarter") == 4
        (periodic,) = [
            item
            for item in engine.overview()["periodic"]
            if item["name"] == "testing.every-quarter"
        ]
        assert periodic["schedule"] == {"minute": "*/15"}
        assert periodic["last_started"] is not None
        assert periodic["last_error"] is None
    finally:
        jobs.registry.EAGER = True
        first.flush()
        engine.reset()
        second.storage.close()


def test_put_get_in_the_backend(queue, queue_env):
    jobs.put("import:42", {"checked": 10, "created": 3})
    assert jobs.get("import:42") == {"checked": 10, "created": 3}
    # another process (another client of the backend) reads it
    other = engine.build(queue_env)
    try:
        engine.reset(other)
        assert jobs.get("import:42") == {"checked": 10, "created": 3}
        assert jobs.get("import:43", "absent") == "absent"
    finally:
        engine.reset(queue)


def test_backend_down_the_transaction_commits_the_job_is_reported(caplog):
    """Redis down when a transaction commits: the transaction stands (it has
    committed), the lost job is logged with its id (docs/operations.md)."""
    from illkirch.eservices.cli.processes import free_port

    down = engine.build(
        {
            "JOBS_BACKEND": "redis",
            "JOBS_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
        }
    )
    engine.reset(down)
    jobs.registry.EAGER = False
    try:
        transaction.begin()
        job_id = jobs.enqueue(test_jobs.record, "perdu")
        transaction.commit()
    finally:
        jobs.registry.EAGER = True
        engine.reset()
    (record,) = [r for r in caplog.records if "could not be queued" in r.getMessage()]
    assert record.levelname == "ERROR"
    assert job_id in record.getMessage()

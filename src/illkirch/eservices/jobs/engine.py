"""The queue behind ``jobs``: huey, on SQLite (default) or Redis.

The backend comes from the environment (the instance's zope.conf sets it,
``templates/instance/zope.conf.in``):

- ``JOBS_BACKEND=sqlite`` (default): one SQLite file, ``JOBS_SQLITE``
  (default ``<clienthome>/jobs.sqlite``, the instance's ``var/``), for one
  machine (Zope and its worker);
- ``JOBS_BACKEND=redis``: ``JOBS_REDIS_URL`` (default
  ``redis://127.0.0.1:6379/0``), for several instances and workers;
- ``JOBS_NAME``: the queue's name (default ``illkirch.eservices``): several
  portals may share one Redis, each with its own name.

Every job is one huey task, ``run_job(name, args, kwargs, attempt,
periodic)``, that runs the registered function through ``registry.RUNNER``
(the worker's: a transaction of its own in the site). What the engine keeps
beside the queue, in the backend's key-value storage:

- ``running:<id>``: the jobs being run, with their worker; a worker's
  scheduler beats every ``HEARTBEAT`` seconds (``worker:<id>``) and queues
  again the jobs of a worker silent for ``DEAD_WORKER`` seconds (killed);
- ``dead:<id>``: the jobs that failed their last try, with the error
  (``failed()``, ``retry()``);
- ``periodic:<name>:<minute>``: the claim of one period by one worker
  (``put_if_empty``: atomic in both backends), so a periodic task runs once
  per period whatever the number of workers; ``last:<name>``: its last run;
- ``schedule:<name>``: the periodic tasks of the workers (published when
  one starts, shown to the administrators by the instances);
- ``data:<key>``: ``jobs.put``'s JSON values.
"""

from huey import RedisHuey
from huey import SqliteHuey
from huey import crontab
from huey.constants import EmptyData
from illkirch.eservices.jobs import registry
from pathlib import Path
from zoneinfo import ZoneInfo

import datetime
import json
import logging
import os
import socket
import threading
import time
import traceback


logger = logging.getLogger("illkirch.eservices.jobs")

QUEUE_NAME = "illkirch.eservices"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# The time zone of the periodic tasks' crontabs.
TIME_ZONE = ZoneInfo(os.environ.get("JOBS_TIME_ZONE") or "Europe/Paris")
# Seconds between two beats of a worker, and of silence after which a worker
# counts as dead (killed: its running jobs are queued again).
HEARTBEAT = float(os.environ.get("JOBS_HEARTBEAT") or 10)
DEAD_WORKER = float(os.environ.get("JOBS_DEAD_WORKER") or 60)
PERIOD_CLAIMS_KEPT = 2 * 24 * 3600  # seconds a period's claim is kept
# Minutes a worker's scheduler looks back for periodic tasks (a late check,
# not a stopped worker: periods missed while no worker ran are skipped).
CATCH_UP_MINUTES = 10
_LOCK = threading.Lock()
_QUEUE = None


def _now():
    return datetime.datetime.now(datetime.UTC)


def _iso(moment):
    if moment is None:
        return None
    if isinstance(moment, (int, float)):
        moment = datetime.datetime.fromtimestamp(moment, datetime.UTC)
    if moment.tzinfo is None:  # huey's etas are naive UTC
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.isoformat(timespec="seconds")


def sqlite_path(environ=None):
    environ = os.environ if environ is None else environ
    if environ.get("JOBS_SQLITE"):
        return Path(environ["JOBS_SQLITE"])
    home = None
    try:
        from App.config import getConfiguration

        home = getattr(getConfiguration(), "clienthome", None)
    except ImportError:  # pragma: no cover - Zope is always there
        pass
    return Path(home or "var") / "jobs.sqlite"


class QueueMixin:
    """What the project adds to huey: the periodic claims, the workers'
    heartbeats and the recovery of a killed worker's jobs."""

    worker_id = None  # set in a worker (start_worker)
    _last_beat = 0.0

    # -- periodic tasks: once per period whatever the number of workers
    _last_minute = None

    def read_periodic(self, timestamp=None):
        """The periodic jobs due, each claimed for its minute in the backend.

        huey's scheduler calls this about every 60 s; the minutes since the
        previous call are all looked at (up to CATCH_UP_MINUTES), so that a
        call a little late does not skip a minute."""
        now = datetime.datetime.now(TIME_ZONE).replace(second=0, microsecond=0)
        minute = datetime.timedelta(minutes=1)
        first = now if self._last_minute is None else self._last_minute + minute
        first = max(first, now - (CATCH_UP_MINUTES - 1) * minute)
        self._last_minute = now
        due = []
        moment = first
        while moment <= now:
            due.extend(self._claim(moment))
            moment += minute
        return due

    def _claim(self, moment):
        stamp = moment.strftime("%Y%m%d%H%M")
        for name, func in sorted(registry.PERIODIC.items()):
            if not crontab(**func.job_schedule)(moment):
                continue
            if not self.put_if_empty(f"periodic:{name}:{stamp}", self.worker_id):
                continue  # another worker has this period
            yield self.job(f"{name}@{stamp}", func.job_name, (), {}, periodic=name)

    # -- heartbeats and killed workers (the scheduler calls this every second)
    def read_schedule(self, timestamp=None):
        if self.worker_id and time.time() - self._last_beat >= HEARTBEAT:
            self._last_beat = time.time()
            try:
                self.put(f"worker:{self.worker_id}", time.time())
                self.requeue_orphans()
            except Exception:
                logger.exception("heartbeat of worker %s failed", self.worker_id)
        return super().read_schedule(timestamp)

    def records(self, prefix, items=None):
        """``{key without prefix: value}`` of the engine's records (among
        ``items``, the storage's key-value pairs, read once by the caller)."""
        found = {}
        items = self.storage.result_items() if items is None else items
        for key, raw in items.items():
            key = key.decode() if isinstance(key, bytes) else key
            if key.startswith(prefix):
                try:
                    found[key[len(prefix) :]] = self.serializer.deserialize(raw)
                except Exception:
                    logger.exception("unreadable record %s", key)
        return found

    def requeue_orphans(self, now=None):
        """Queue again the jobs of the workers silent for DEAD_WORKER seconds;
        forget old periodic claims. Returns the ids queued again."""
        now = time.time() if now is None else now
        beats = self.records("worker:")
        requeued = []
        for job_id, record in self.records("running:").items():
            worker = record["worker"]
            if worker == self.worker_id or now - beats.get(worker, 0) < DEAD_WORKER:
                continue
            # one worker takes it: the claim is atomic
            if not self.put_if_empty(
                f"requeued:{job_id}:{record['started']}", self.worker_id
            ):
                continue
            self.delete(f"running:{job_id}")
            logger.warning(
                "job %s (%s) of dead worker %s queued again",
                job_id,
                record["name"],
                worker,
            )
            self.enqueue(
                self.job(
                    job_id,
                    record["name"],
                    record["args"],
                    record["kwargs"],
                    record["attempt"],
                    record.get("periodic"),
                )
            )
            requeued.append(job_id)
        for worker, beat in beats.items():
            if now - beat > PERIOD_CLAIMS_KEPT:
                self.delete(f"worker:{worker}")
        limit = datetime.datetime.fromtimestamp(now - PERIOD_CLAIMS_KEPT, TIME_ZONE)
        for prefix in ("periodic:", "requeued:"):
            for key in self.records(prefix):
                stamp = key.rsplit(":", 1)[-1]
                if prefix == "periodic:" and stamp < limit.strftime("%Y%m%d%H%M"):
                    self.delete(prefix + key)
                elif prefix == "requeued:" and float(stamp) < limit.timestamp():
                    self.delete(prefix + key)
        return requeued

    def job(self, job_id, name, args, kwargs, attempt=0, periodic=None, eta=None):
        """The huey task of one try of a job."""
        return self.run_job.task_class(
            args=(name, tuple(args), dict(kwargs), attempt, periodic),
            id=job_id,
            eta=eta,
        )


class SqliteStorage(SqliteHuey.storage_class):
    """huey's SQLite storage (WAL), synchronised as ``JOBS_SQLITE_SYNC``
    says: ``normal`` (default: a commit survives a crash of any process, the
    last ones may be lost if the machine loses power; 20 to 40 times faster
    than ``full``, docs/operations.md) or ``full`` (fsync at every commit)."""

    synchronous = "NORMAL"

    def _create_connection(self):
        connection = super()._create_connection()
        connection.execute(f"pragma synchronous={self.synchronous}")
        return connection


class SqliteQueue(QueueMixin, SqliteHuey):
    storage_class = SqliteStorage


class RedisQueue(QueueMixin, RedisHuey):
    pass


def build(environ=None):
    """A queue from the environment (``JOBS_BACKEND`` …)."""
    environ = os.environ if environ is None else environ
    backend = (environ.get("JOBS_BACKEND") or "sqlite").strip().lower()
    name = environ.get("JOBS_NAME") or QUEUE_NAME
    if backend == "sqlite":
        path = sqlite_path(environ)
        path.parent.mkdir(parents=True, exist_ok=True)
        queue = SqliteQueue(name, filename=str(path), results=False, utc=True)
        sync = (environ.get("JOBS_SQLITE_SYNC") or "normal").strip().upper()
        if sync not in ("NORMAL", "FULL"):
            raise ValueError(f"JOBS_SQLITE_SYNC must be normal or full, not {sync!r}")
        queue.storage.synchronous = sync
        queue.storage.close()  # the connection of the tables' creation
    elif backend == "redis":
        url = environ.get("JOBS_REDIS_URL") or DEFAULT_REDIS_URL
        queue = RedisQueue(name, url=url, results=False, utc=True)
    else:
        raise ValueError(f"JOBS_BACKEND must be sqlite or redis, not {backend!r}")
    queue.run_job = queue.task(name="run_job", context=True)(_runner(queue))
    return queue


def queue():
    """The process's queue, built on first use."""
    global _QUEUE
    with _LOCK:
        if _QUEUE is None:
            _QUEUE = build()
        return _QUEUE


def reset(new=None):
    """Forget the process's queue (tests: another backend); ``new`` replaces it."""
    global _QUEUE
    with _LOCK:
        _QUEUE = new


def _runner(huey):
    def run_job(name, args, kwargs, attempt=0, periodic=None, task=None):
        """One try of the job ``task.id``: retried with backoff when it fails,
        kept as a dead letter after its last try."""
        job_id = task.id
        func = registry.TASKS.get(name)
        started = time.time()
        if func is None:
            _dead(huey, job_id, name, args, kwargs, attempt, periodic, "unknown task")
            return
        huey.put(
            f"running:{job_id}",
            {
                "name": name,
                "args": args,
                "kwargs": kwargs,
                "attempt": attempt,
                "periodic": periodic,
                "worker": huey.worker_id,
                "started": started,
            },
        )
        try:
            if registry.RUNNER is None:
                func(*args, **kwargs)
            else:
                registry.RUNNER(func, args, kwargs)
        except Exception as error:
            summary = f"{type(error).__name__}: {error}"
            if attempt < func.job_retries:
                delay = func.job_retry_delay * 2**attempt
                logger.warning(
                    "job %s (%s) failed, try %d again in %d s: %s",
                    job_id,
                    name,
                    attempt + 2,
                    delay,
                    summary,
                )
                eta = _now().replace(tzinfo=None) + datetime.timedelta(seconds=delay)
                huey.add_schedule(
                    huey.job(job_id, name, args, kwargs, attempt + 1, periodic, eta)
                )
            else:
                logger.error("job %s (%s) failed for good: %s", job_id, name, summary)
                _dead(
                    huey,
                    job_id,
                    name,
                    args,
                    kwargs,
                    attempt,
                    periodic,
                    summary,
                    traceback.format_exc(limit=8),
                )
            if periodic:
                _last(huey, periodic, started, summary)
        else:
            if periodic:
                _last(huey, periodic, started, None)
        finally:
            huey.delete(f"running:{job_id}")

    return run_job


def _last(huey, periodic, started, error):
    huey.put(
        f"last:{periodic}",
        {"started": started, "finished": time.time(), "error": error},
    )


def _dead(huey, job_id, name, args, kwargs, attempt, periodic, error, trace=""):
    huey.put(
        f"dead:{job_id}",
        {
            "name": name,
            "args": args,
            "kwargs": kwargs,
            "attempts": attempt + 1,
            "periodic": periodic,
            "error": error,
            "traceback": trace,
            "failed": time.time(),
        },
    )


# -- the API's bodies (registry.py)


def submit(job_id, name, args, kwargs):
    """Queue a job now (after its transaction committed)."""
    try:
        queue().enqueue(queue().job(job_id, name, args, kwargs))
    except Exception:
        # The transaction has committed: nothing can undo it. Say loudly which
        # job is lost (docs/operations.md: when the queue's backend is down).
        logger.exception("job %s (%s) could not be queued", job_id, name)


def put_value(key, value):
    queue().storage.put_data(f"data:{key}", json.dumps(value).encode())


def get_value(key, default=None):
    raw = queue().storage.peek_data(f"data:{key}")
    if raw is EmptyData:
        return default
    return json.loads(bytes(raw))


# -- what the site administrators see (GET @jobs, the control panel)


def _describe(task):
    name, _args, _kwargs, attempt, periodic = task.args
    return {
        "id": task.id,
        "task": name,
        "attempt": attempt + 1,
        "periodic": periodic,
        "eta": _iso(task.eta),
    }


def overview(limit=200):
    """The queue as administrators see it: queued, scheduled (retries
    waiting), running, failed (dead letters) and periodic tasks. The jobs'
    arguments are not shown (emails, personal data)."""
    huey = queue()
    items = huey.storage.result_items()
    running = [
        {
            "id": job_id,
            "task": record["name"],
            "attempt": record["attempt"] + 1,
            "periodic": record.get("periodic"),
            "worker": record["worker"],
            "started": _iso(record["started"]),
        }
        for job_id, record in huey.records("running:", items).items()
    ]
    failed = [
        {
            "id": job_id,
            "task": record["name"],
            "attempts": record["attempts"],
            "periodic": record.get("periodic"),
            "error": record["error"],
            "traceback": record.get("traceback", ""),
            "failed": _iso(record["failed"]),
        }
        for job_id, record in huey.records("dead:", items).items()
    ]
    lasts = huey.records("last:", items)
    # the periodic tasks the workers run (published when they start), and
    # this process's own
    schedules = huey.records("schedule:", items)
    for name, func in registry.PERIODIC.items():
        schedules[name] = {"task": func.job_name, "schedule": func.job_schedule}
    periodic = [
        {
            "name": name,
            "task": schedule["task"],
            "schedule": schedule["schedule"],
            "last_started": _iso(lasts.get(name, {}).get("started")),
            "last_finished": _iso(lasts.get(name, {}).get("finished")),
            "last_error": lasts.get(name, {}).get("error"),
        }
        for name, schedule in sorted(schedules.items())
    ]
    return {
        "backend": type(huey).__name__.removesuffix("Queue").lower(),
        "queued": [_describe(task) for task in huey.pending(limit)],
        "queued_count": huey.pending_count(),
        "scheduled": sorted(
            (_describe(task) for task in huey.scheduled(limit)),
            key=lambda item: item["eta"] or "",
        ),
        "running": sorted(running, key=lambda item: item["started"]),
        "failed": sorted(failed, key=lambda item: item["failed"], reverse=True),
        "periodic": periodic,
        "workers": [
            {"id": worker, "beat": _iso(beat)}
            for worker, beat in sorted(huey.records("worker:", items).items())
            if time.time() - beat < DEAD_WORKER
        ],
    }


def retry(job_id):
    """Queue a failed job again, from its first try; False if there is no
    such failed job."""
    huey = queue()
    raw = huey.storage.pop_data(f"dead:{job_id}")
    if raw is EmptyData:
        return False
    record = huey.serializer.deserialize(raw)
    huey.enqueue(
        huey.job(
            job_id,
            record["name"],
            record["args"],
            record["kwargs"],
            0,
            record.get("periodic"),
        )
    )
    return True


def start_worker(threads=1, worker_id=None):
    """The huey consumer of this process: ``threads`` worker threads and the
    scheduler (periodic tasks, retries, heartbeats). SIGTERM stops it after
    the jobs being run are finished; SIGINT at once (their jobs are queued
    again by another worker, or this one when it restarts)."""
    huey = queue()
    huey.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
    huey.put(f"worker:{huey.worker_id}", time.time())
    for name, func in registry.PERIODIC.items():
        huey.put(
            f"schedule:{name}", {"task": func.job_name, "schedule": func.job_schedule}
        )
    return huey.create_consumer(
        workers=threads,
        worker_type="thread",
        periodic=True,
        graceful_signal="TERM",
        max_delay=1.0,
    )

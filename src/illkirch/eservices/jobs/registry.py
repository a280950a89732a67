"""The registry of tasks and periodic tasks, and the API's bodies.

``enqueue`` queues a job when the transaction that asks for it commits (an
after-commit hook: an aborted or retried transaction queues nothing); the
queue itself is ``engine.py``'s. The test layers switch ``EAGER`` on: tasks
then run at once, inside the asking transaction.
"""

import transaction
import uuid


TASKS = {}
PERIODIC = {}
# Tasks run at once, inside the transaction that asks for them: the test
# layers' mode (testing/layers.py, tests/conftest.py), never production's.
EAGER = False
# Set by the worker (cli/worker.py): True in its process.
IN_WORKER = False
# How the worker runs a task: ``RUNNER(func, args, kwargs)`` (the worker's
# opens the site in a transaction of its own); plain call by default.
RUNNER = None
# put/get's values in EAGER mode (the tests' processes have no queue).
_STORE = {}


def job_name(func):
    return f"{func.__module__}.{func.__qualname__}"


def task(*, retries=5, retry_delay=60):
    """Register ``func`` as a task retried ``retries`` times, ``retry_delay``
    seconds apart (doubled at each try)."""

    def register(func):
        func.job_name = job_name(func)
        func.job_retries = retries
        func.job_retry_delay = retry_delay
        TASKS[func.job_name] = func
        return func

    return register


def periodic(name, **crontab):
    """Register ``func`` as run once per period (huey's crontab fields:
    ``minute``, ``hour``, ``day``, ``month``, ``day_of_week``, in the portal's
    time zone) whatever the number of workers."""

    def register(func):
        func.job_name = job_name(func)
        func.job_schedule = dict(crontab)
        func.job_retries = getattr(func, "job_retries", 0)
        func.job_retry_delay = getattr(func, "job_retry_delay", 60)
        func.periodic_name = name
        PERIODIC[name] = func
        TASKS[func.job_name] = func
        return func

    return register


def enqueue(func, *args, **kwargs):
    """Queue ``func(*args, **kwargs)`` when the current transaction commits
    (nothing if it aborts) and return the job's id; in EAGER mode (tests),
    run it at once and return its result."""
    name = getattr(func, "job_name", None)
    if name not in TASKS:
        raise ValueError(f"{func!r} is not a registered task")
    if EAGER:
        return func(*args, **kwargs)
    job_id = uuid.uuid4().hex

    def after_commit(committed):
        if committed:
            from illkirch.eservices.jobs import engine

            engine.submit(job_id, name, args, kwargs)

    transaction.get().addAfterCommitHook(after_commit)
    return job_id


def in_worker():
    """True inside the worker process (a task may then raise to be retried)."""
    return IN_WORKER


def put(key, value):
    """Keep a small JSON-able ``value`` (a job's progress, its report) in the
    queue's backend, outside the ZODB's transactions."""
    if EAGER:
        _STORE[key] = value
        return
    from illkirch.eservices.jobs import engine

    engine.put_value(key, value)


def get(key, default=None):
    """The value kept by ``put``."""
    if EAGER:
        return _STORE.get(key, default)
    from illkirch.eservices.jobs import engine

    return engine.get_value(key, default)

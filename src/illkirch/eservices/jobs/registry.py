"""The registry of tasks and periodic tasks (provisional engine: the
engine of issue #16 replaces ``enqueue``'s body, not its signature)."""

import transaction


TASKS = {}
PERIODIC = {}
# Provisional: tasks run at once, inside the transaction that asks for them
# (the engine keeps this mode for the test layers only).
EAGER = True
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
    ``minute``, ``hour``, ``day``, ``month``, ``day_of_week``) whatever the
    number of workers."""

    def register(func):
        func.job_name = job_name(func)
        func.job_schedule = dict(crontab)
        PERIODIC[name] = func
        TASKS[func.job_name] = func
        return func

    return register


def enqueue(func, *args, **kwargs):
    """Queue ``func(*args, **kwargs)`` when the current transaction commits
    (nothing if it aborts)."""
    if getattr(func, "job_name", None) not in TASKS:
        raise ValueError(f"{func!r} is not a registered task")
    if EAGER:
        return func(*args, **kwargs)

    def after_commit(committed):
        if committed:
            func(*args, **kwargs)

    transaction.get().addAfterCommitHook(after_commit)


def in_worker():
    """True inside the worker process (a task may then raise to be retried)."""
    return False


def put(key, value):
    """Keep a small JSON-able ``value`` (a job's progress, its report) in the
    queue's backend, outside the ZODB's transactions."""
    _STORE[key] = value


def get(key, default=None):
    """The value kept by ``put``."""
    return _STORE.get(key, default)

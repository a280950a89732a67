"""The background jobs' figures (issue #16, docs/operations.md).

    .venv/bin/python benchmarks/background_jobs.py [--workdir var/bench-jobs]
        [--transactions 1000] [--emails 200]

- **Queueing a job inside a request**: the time ``jobs.enqueue`` adds to a
  transaction, the call and its after-commit insertion into the queue
  (median of ``--transactions`` transactions, one job each, the job an
  email-sized argument; target < 1 ms), on SQLite (the embedded queue) and
  on Redis when one answers at ``ESERVICES_TEST_REDIS``;
- **one worker's mail throughput**: ``--emails`` jobs each sending one email
  through the site's MailHost to the mail sink, run by one
  ``eservices-worker`` (one thread), timed from the worker's start to the
  last email received (emails/s).

Standalone, it prepares a site of its own in ``--workdir`` (FileStorage,
the demo site; kept for the next run); ``benchmarks/run.py`` calls
``measure`` with its site, Zope stopped (the worker opens the FileStorage).
"""

from illkirch.eservices.cli.processes import MailSinkProcess
from illkirch.eservices.cli.processes import WorkerProcess
from illkirch.eservices.cli.processes import free_port
from pathlib import Path
from progress import log
from stats import stats

import argparse
import os
import subprocess
import sys
import time


QUEUE_TARGET_MS = 1.0
TEST_TASKS = "illkirch.eservices.testing.jobs"
RECIPIENT = "debit@example.org"
EMAIL_SIZE = 3000  # bytes: a portal's email, HTML part included


def queue_times(environ, count):
    """Milliseconds each transaction spends queueing one job."""
    from illkirch.eservices import jobs
    from illkirch.eservices.jobs import engine
    from illkirch.eservices.jobs import registry
    from illkirch.eservices.testing import jobs as test_jobs

    import transaction

    queue = engine.build(environ)
    engine.reset(queue)
    registry.EAGER = False
    payload = "x" * EMAIL_SIZE
    times = []
    try:
        for n in range(count):
            transaction.begin()
            started = time.perf_counter()
            jobs.enqueue(test_jobs.record, f"bench-{n}", 0, payload)
            transaction.commit()
            times.append((time.perf_counter() - started) * 1000)
        if queue.pending_count() != count:
            raise RuntimeError(f"{queue.pending_count()} jobs queued, not {count}")
    finally:
        queue.flush()
        engine.reset()
        registry.EAGER = True
    return stats(times)


def redis_environ():
    url = os.environ.get("ESERVICES_TEST_REDIS", "redis://127.0.0.1:6379/0")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return None
    return {"JOBS_BACKEND": "redis", "JOBS_REDIS_URL": url, "JOBS_NAME": "bench"}


def mails(directory):
    return len(list(Path(directory).glob("*.eml")))


def throughput(conf, var, mail_dir, count, logfile):
    """Emails per second of one worker (one thread) sending ``count`` emails
    queued beforehand in the instance's SQLite queue."""
    from illkirch.eservices import jobs
    from illkirch.eservices.jobs import engine
    from illkirch.eservices.jobs import registry
    from illkirch.eservices.testing import jobs as test_jobs

    import transaction

    queue = engine.build(
        {"JOBS_BACKEND": "sqlite", "JOBS_SQLITE": f"{var}/jobs.sqlite"}
    )
    engine.reset(queue)
    registry.EAGER = False
    try:
        queue.flush()
        for n in range(count):
            transaction.begin()
            jobs.enqueue(test_jobs.send, RECIPIENT, f"Débit {n:04d}")
            transaction.commit()
    finally:
        engine.reset()
        registry.EAGER = True
    before = mails(mail_dir)
    worker = WorkerProcess(conf, logfile, [TEST_TASKS])
    log(f"… one worker sending {count} emails")
    worker.start()
    started = time.monotonic()
    try:
        deadline = started + 600
        while mails(mail_dir) - before < count:
            if time.monotonic() > deadline or not worker.running():
                raise RuntimeError(f"the worker stopped or stalled (see {logfile})")
            time.sleep(0.05)
        seconds = time.monotonic() - started
    finally:
        worker.stop()
    return {"emails": count, "seconds": seconds, "per_second": count / seconds}


def measure(conf, var, mail_dir, logfile, transactions=1000, emails=200):
    result = {
        "queue_target_ms": QUEUE_TARGET_MS,
        "queue_sqlite": queue_times(
            {
                "JOBS_BACKEND": "sqlite",
                "JOBS_SQLITE": f"{var}/jobs-bench.sqlite",
                "JOBS_NAME": "bench",
            },
            transactions,
        ),
    }
    environ = redis_environ()
    if environ:
        result["queue_redis"] = queue_times(environ, transactions)
    result["worker"] = throughput(conf, var, mail_dir, emails, logfile)
    return result


def print_result(result):
    target = result["queue_target_ms"]
    for backend in ("sqlite", "redis"):
        figures = result.get(f"queue_{backend}")
        if figures:
            verdict = "PASS" if figures["median"] < target else "MISS"
            log(
                f"Queueing a job in a transaction ({backend}, {figures['n']} "
                f"transactions): median {figures['median']:.3f} ms, p95 "
                f"{figures['p95']:.3f} ms (target < {target:g} ms) {verdict}"
            )
    worker = result["worker"]
    log(
        f"One worker's mail throughput: {worker['emails']} emails in "
        f"{worker['seconds']:.1f} s, {worker['per_second']:.1f} emails/s"
    )


def prepare(workdir, logfile):
    """A small site of its own: instance (FileStorage) and demo site."""
    root = Path(workdir).resolve()
    instance, var = root / "instance", root / "var"
    conf = instance / "etc" / "zope.conf"
    port_file = root / "smtp-port"
    root.mkdir(parents=True, exist_ok=True)
    if not port_file.exists():
        port_file.write_text(str(free_port()))
    smtp_port = int(port_file.read_text())
    checkout = Path(__file__).resolve().parent.parent
    env = {
        k: v for k, v in os.environ.items() if k not in ("ZODB_BACKEND", "JOBS_BACKEND")
    }
    subprocess.run(
        [
            sys.executable,
            checkout / "scripts" / "render_instance.py",
            "--instance",
            instance,
            "--var",
            var,
            "--http-port",
            str(free_port()),
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    return conf, var, smtp_port


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", default="var/bench-jobs")
    parser.add_argument("--transactions", type=int, default=1000)
    parser.add_argument("--emails", type=int, default=200)
    args = parser.parse_args(argv)
    logfile = Path(args.workdir).resolve() / "bench-jobs.log"
    conf, var, smtp_port = prepare(args.workdir, logfile)
    with MailSinkProcess(var / "mail", smtp_port, logfile):
        log("… creating the demo site if absent")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "illkirch.eservices.cli.site",
                "-c",
                conf,
                "--smtp-port",
                str(smtp_port),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        result = measure(
            conf, var, var / "mail", logfile, args.transactions, args.emails
        )
    print_result(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())

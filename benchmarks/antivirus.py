"""The antivirus' figures (issue #21, docs/deployment.md): the time one
worker takes to scan an upload with ClamAV's daemon, per megabyte, and the
uploads per minute it can scan.

    .venv/bin/python benchmarks/antivirus.py [--scans 20]

A real ``clamd`` (Debian's clamav-daemon, ``make clamav``) is started as
the tests start it (``cli/clamd.py``'s ``ClamdProcess``: the project's tiny
signature database, a Unix socket and a TCP port, ``StreamMaxLength`` 64M),
then each sample is scanned as the worker will scan it
(``antivirus.scanner.Scanner.scan``: INSTREAM in 64 KiB chunks, SHA-256 on
the way), one scan at a time, over the Unix socket and over TCP; one scan
of each sample first, not timed. The samples: valid PDFs of 1, 5 and 20
MB (``testing/files.py``), a photo (JPEG of noise, 12 megapixels) and the
PDF carrying the EICAR test string (found, as a check).

With the tiny database the daemon's matching costs little: these figures
are the protocol's, the hashing's and ClamAV's parsing of the file; with
freshclam's full database (several million signatures) production scans
take longer per MB, and ``clamd`` needs about 1 GB of memory
(docs/deployment.md). ``benchmarks/run.py`` calls ``measure`` at the end
(``--scans``, 0 skips it; alone: ``run.py --only antivirus``, which writes
``benchmarks/results/antivirus.json``).

**Uploads per minute one worker can scan, with the real queue**
(``--uploads N``, standalone only, 0 skips it): a site of its own in
``--workdir`` (FileStorage, the demo site; kept for the next run, as
``background_jobs.py``), its antivirus pointed at the benchmark's
``clamd``; N files (1 MB PDFs, ``testing/scan_bench.py``: a kind of holder
keeping the content in the database) received as uploads are (``files.
start``: pending, ``scan_file`` queued in the instance's SQLite queue when
the transaction commits), then one ``eservices-worker`` (one thread) runs
the scans: timed from the worker ready to the queue empty, every file then
checked clean.
"""

from progress import log
from stats import stats

import argparse
import io
import sys
import tempfile
import time


MB = 1024 * 1024
TRANSPORTS = ("unix", "tcp")


def samples():
    """``[(key, label, bytes)]``."""
    from illkirch.eservices.testing import files
    from PIL import Image

    import random

    rng = random.Random(2026)
    noise = Image.frombytes("RGB", (4000, 3000), rng.randbytes(4000 * 3000 * 3))
    photo = io.BytesIO()
    noise.save(photo, format="JPEG", quality=85)
    return [
        ("pdf-1mb", "PDF, 1 MB", files.pdf_of_size(1 * MB)),
        ("pdf-5mb", "PDF, 5 MB", files.pdf_of_size(5 * MB)),
        ("pdf-20mb", "PDF, 20 MB", files.pdf_of_size(20 * MB)),
        ("photo", "photo (JPEG 4000×3000)", photo.getvalue()),
        ("infected-pdf", "PDF carrying EICAR", files.infected_pdf()),
    ]


def measure(scans=20):
    """``{"clamd": version, "samples": {key: {label, bytes, status,
    transports: {unix|tcp: {stats, ms_per_mb, per_minute}}}}}``."""
    from illkirch.eservices.cli.clamd import ClamdProcess

    result = {"samples": {}}
    with tempfile.TemporaryDirectory(prefix="eservices-bench-clamd-") as directory:
        clamd = ClamdProcess(directory, tcp=True, stream_max_length="64M").start()
        try:
            result["clamd"] = clamd.scanner().version()
            for key, label, data in samples():
                figures = {"label": label, "bytes": len(data), "transports": {}}
                for transport in TRANSPORTS:
                    scanner = clamd.scanner(transport)
                    first = scanner.scan(data)  # warm-up, not timed
                    expected = "infected" if key == "infected-pdf" else "clean"
                    if first.status != expected:
                        raise RuntimeError(f"{label} over {transport}: {first}")
                    figures["status"] = first.status
                    times = []
                    for _ in range(scans):
                        started = time.perf_counter()
                        scanner.scan(data)
                        times.append((time.perf_counter() - started) * 1000)
                    timing = stats(times)
                    figures["transports"][transport] = {
                        "stats": timing,
                        "ms_per_mb": timing["median"] / (len(data) / MB),
                        "per_minute": 60000 / timing["median"],
                    }
                result["samples"][key] = figures
        finally:
            clamd.stop()
    return result


def queue_throughput(workdir, uploads, size=1 * MB):
    """``{uploads, bytes, seconds, per_minute, states}``: one worker of the
    real queue scanning ``uploads`` files received beforehand."""
    from background_jobs import prepare
    from illkirch.eservices.antivirus import files
    from illkirch.eservices.cli.clamd import ClamdProcess
    from illkirch.eservices.cli.processes import WorkerProcess
    from illkirch.eservices.cli.zope_app import zope_app
    from illkirch.eservices.interfaces import ANTIVIRUS_PREFIX
    from illkirch.eservices.jobs import engine
    from illkirch.eservices.jobs import registry
    from illkirch.eservices.testing import files as sample_files
    from illkirch.eservices.testing import scan_bench
    from illkirch.eservices.testing.scan_bench import KIND
    from pathlib import Path
    from plone import api
    from zope.component.hooks import setSite

    import json
    import subprocess
    import transaction
    import uuid

    logfile = Path(workdir).resolve() / "bench-antivirus.log"
    conf, var, smtp_port = prepare(workdir, logfile)
    log("… creating the demo site if absent")
    subprocess.run(
        [sys.executable, "-m", "illkirch.eservices.cli.site", "-c", conf],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    data = sample_files.pdf_of_size(size)
    environ = {"JOBS_BACKEND": "sqlite", "JOBS_SQLITE": f"{var}/jobs.sqlite"}
    with tempfile.TemporaryDirectory(prefix="eservices-bench-clamd-") as directory:
        clamd = ClamdProcess(directory, tcp=False, stream_max_length="64M").start()
        try:
            queue = engine.build(environ)
            queue.flush()
            # the uploads stored (pending) with their scans queued on a
            # scratch queue: the worker, ready first, gets them below
            scratch = tempfile.TemporaryDirectory(prefix="eservices-bench-jobs-")
            engine.reset(
                engine.build(
                    {
                        "JOBS_BACKEND": "sqlite",
                        "JOBS_SQLITE": f"{scratch.name}/q.sqlite",
                    }
                )
            )
            registry.EAGER = False
            refs = [f"upload-{n:04d}" for n in range(uploads)]
            try:
                with zope_app(conf) as app:
                    setSite(app["Plone"])
                    api.portal.set_registry_record(
                        f"{ANTIVIRUS_PREFIX}.address", f"unix://{clamd.socket}"
                    )
                    api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.enabled", True)
                    api.portal.set_registry_record(
                        f"{ANTIVIRUS_PREFIX}.max_stream_mb", 64
                    )
                    scan_bench.clear()
                    transaction.commit()
                    for ref in refs:
                        scan_bench.receive(ref, data)
                        transaction.commit()  # one upload, one transaction
                    setSite(None)
            finally:
                engine.reset()
                registry.EAGER = True
                scratch.cleanup()
            worker = WorkerProcess(conf, logfile, [scan_bench.__name__])
            log(f"… one worker scanning {uploads} uploads of {size / MB:.0f} MB")
            worker.start()
            try:
                # the scans queued as after the uploads' commits, the worker ready
                engine.reset(queue)
                started = time.monotonic()
                for ref in refs:
                    engine.submit(
                        uuid.uuid4().hex, files.scan_file.job_name, (KIND, ref), {}
                    )
                deadline = started + 900

                def busy():
                    return queue.pending() or queue.records("running:")

                while True:
                    while busy():
                        if time.monotonic() > deadline or not worker.running():
                            raise RuntimeError(
                                f"the worker stopped or stalled ({logfile})"
                            )
                        time.sleep(0.02)
                    seconds = time.monotonic() - started
                    # a job between the queue and its « running » record
                    time.sleep(0.3)
                    if not busy():
                        break
            finally:
                engine.reset()
                worker.stop()
        finally:
            clamd.stop()
    # the states read by a process of its own (this one closed its database)
    states = json.loads(
        subprocess.run(
            [sys.executable, "-m", scan_bench.__name__, "-c", conf],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    if states.get("clean") != uploads:
        raise RuntimeError(f"not every upload was found clean: {states}")
    return {
        "uploads": uploads,
        "bytes": size,
        "seconds": seconds,
        "per_minute": uploads / seconds * 60,
        "states": states,
    }


def print_throughput(result):
    log(
        f"uploads per minute one worker can scan (real queue, SQLite, "
        f"{result['bytes'] / MB:.0f} MB PDFs): {result['uploads']} in "
        f"{result['seconds']:.1f} s, {result['per_minute']:.0f} uploads/min"
    )


def print_result(result):
    log(f"\nAntivirus (#21): one worker's scans with {result['clamd']}")
    for figures in result["samples"].values():
        for transport, timing in figures["transports"].items():
            size = figures["bytes"]
            shown = f"{size / MB:.1f} MB" if size >= MB else f"{size / 1024:.1f} KiB"
            per_mb = f"{timing['ms_per_mb']:.1f} ms/MB, " if size >= MB else ""
            log(
                f"scan, {figures['label']} ({shown}, {figures['status']}) over "
                f"{transport}: median {timing['stats']['median']:.1f} ms, p95 "
                f"{timing['stats']['p95']:.1f} ms, {per_mb}"
                f"{timing['per_minute']:.0f} scans/min"
            )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=int, default=20)
    parser.add_argument("--uploads", type=int, default=60)
    parser.add_argument("--workdir", default="var/bench-antivirus")
    args = parser.parse_args(argv)
    if args.scans:
        print_result(measure(args.scans))
    if args.uploads:
        print_throughput(queue_throughput(args.workdir, args.uploads))
    return 0


if __name__ == "__main__":
    sys.exit(main())

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
    args = parser.parse_args(argv)
    print_result(measure(args.scans))
    return 0


if __name__ == "__main__":
    sys.exit(main())

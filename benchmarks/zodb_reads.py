"""How many ZODB objects a page loads into an instance's caches
(docs/deployment.md, « The ZODB caches »; issue #22, target 6).

    .venv/bin/python benchmarks/zodb_reads.py --households 1000 \\
        [--citizens 8] [--workdir var/bench]

Starts the prepared FileStorage instance of ``benchmarks/run.py`` (same
workdir; freshly started: its caches empty), then, one request at a time,
for ``--citizens`` manifest citizens in turn (each logged in first) and the
manifest's agents: each page once, and Zope's count of objects in memory
(``/Control_Panel/Database/main``, all connections' caches) read before and
after it. The first user's pages load what every page shares (the site,
its tools, the catalog's first buckets); the next users' pages load only
what is theirs (their household, its requests and invoices, their catalog
buckets): the objects a cache keeps per active household. Prints per page
the first user's and the median of the others'. Then, the instance
stopped, ``object_memory.py`` loads the objects of ``25 × --citizens``
households in one process: the memory per object. Writes
``benchmarks/results/zodb-reads-<N>.json``.
"""

from bench_site import BenchSite
from errors import BenchError
from memory import zodb_cache
from paths import BENCHMARKS
from paths import PYTHON
from paths import RESULTS
from progress import log
from result_files import machine_info
from result_files import write_json
from servers import MailSink
from servers import Server
from servers import exit_on_sigterm
from sessions import page_session

import argparse
import json
import statistics
import subprocess
import sys


CITIZEN_PAGES = (
    ("Accueil", "@@mon-espace"),
    ("Demandes", "@@mon-espace-demandes"),
    ("Mes comptes", "@@mon-espace-factures"),
    ("Document view", "benchmark-document"),
)


def loaded(url, session, address, **params):
    """Objects in the caches after a GET minus before it."""
    before = zodb_cache(url)["objects_in_memory"]
    answer = session.get(address, params=params, timeout=120)
    if answer.status_code != 200:
        raise BenchError(f"GET {address}: {answer.status_code}")
    return zodb_cache(url)["objects_in_memory"] - before


def measure(url, manifest, citizens):
    from baseline import ensure_document

    ensure_document(url)
    zodb_cache(url)  # the Control Panel's own objects, loaded once
    rows = {}
    password = manifest["citizen_password"]
    for citizen in manifest["citizens"][:citizens]:
        session = page_session(url, citizen["login"], password)
        for label, path in CITIZEN_PAGES:
            rows.setdefault(label, []).append(loaded(url, session, f"{url}/{path}"))
    for agent in manifest["agents"]:
        session = page_session(url, agent["login"], agent["password"])
        rows.setdefault("Guichet", []).append(loaded(url, session, f"{url}/@@guichet"))
        rows.setdefault("Guichet filtered", []).append(
            loaded(
                url,
                session,
                f"{url}/@@guichet",
                service=agent["service"],
                review_state=agent["status"],
            )
        )
    return {
        label: {
            "first": counts[0],
            "others_median": statistics.median(counts[1:]) if counts[1:] else None,
            "counts": counts,
        }
        for label, counts in rows.items()
    }


def object_memory(site, households):
    """``object_memory.py`` on the stopped instance: its JSON result."""
    command = [
        str(PYTHON),
        str(BENCHMARKS / "object_memory.py"),
        "-c",
        str(site.conf),
        "--households",
        str(households),
    ]
    log(f"… loading {households} households' objects (object_memory.py)")
    with open(site.logfile, "a", encoding="utf-8") as err:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=err, text=True)
    if done.returncode != 0:
        raise BenchError(f"object_memory.py failed (see {site.logfile})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, required=True)
    parser.add_argument("--citizens", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", default="var/bench")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    site = BenchSite(args.workdir, args.households, args.seed)
    try:
        with MailSink(site):
            manifest = site.prepare()
            with Server(site):
                pages = measure(site.url, manifest, args.citizens)
                totals = zodb_cache(site.url)
            per_object = object_memory(site, args.citizens * 25)
    except BenchError as error:
        log(f"\nFAILED: {error}")
        return 1
    log(
        f"\nObjects loaded per page ({args.households} households; "
        f"{totals['objects_in_database']} objects in the database):"
    )
    log(f"  {'page':<20} {'first user':>10} {'next users (median)':>20}")
    for label, row in pages.items():
        others = "—" if row["others_median"] is None else f"{row['others_median']:g}"
        log(f"  {label:<20} {row['first']:>10} {others:>20}")
    log(
        f"Memory per object: {per_object['per_object_kb']:.1f} KB "
        f"({per_object['objects']} objects of {per_object['households']} "
        f"households loaded, resident memory +{per_object['rss_growth_mb']:.1f} MB)"
    )
    write_json(
        RESULTS / f"zodb-reads-{args.households}.json",
        {
            "households": args.households,
            "machine": machine_info(),
            "database": totals,
            "pages": pages,
            "object_memory": per_object,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

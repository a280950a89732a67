"""Measure every page and REST GET of every role (citizens, anonymous
visitors, agents) and the invoice import against plain Plone baselines
(docs/performance.md).

    .venv/bin/python benchmarks/run.py --households 1000|10000|50000 [--requests 50] \\
        [--seed 2026] [--workdir var/bench] [--keep] [--import-invoices 2000]

1. prepares ``<workdir>/<N>/`` (instance rendered on a free port, site
   created and filled by ``benchmarks/generate.py``; reused when its
   manifest says N households);
2. starts ``runwsgi`` (with ``benchmarks/server_timing.py`` in front),
   creates the published Document ``/Plone/benchmark-document`` (the
   baseline) as admin if absent, logs the users in, warms up, then sends the
   requests one at a time, round after round, each round in a shuffled
   order, and checks every answer (with the figures of #17 from
   ``conversation_drafts.py``: a request's page with a 50-message
   conversation, « Mon espace » with 5 drafts, or why not measured; with
   the figures of #19 from ``dashboard_figures.py``: the dashboard for one
   year by a Supervisor, against the Document view by that user; with
   the figures of #22 from ``all_pages.py``: every other page and REST GET
   of citizens, anonymous visitors and agents, against the Document of the
   same kind of user);
3. stops the server, times the invoice import and the creation of as many
   bare Documents, then the background jobs (``benchmarks/background_jobs.py``:
   queueing a job inside a transaction, one worker's mail throughput) and
   the official documents (``benchmarks/official_documents.py``: PDF
   generation time per document of each kind, median over 50);
4. prints every figure by role with its ratio and PASS/MISS, writes
   ``benchmarks/results/households-<N>.json`` and ``.png`` (and
   ``scale.json``, ``scale.png``, ``scale-50000.png`` when the results of
   1,000 and of 10,000 or 50,000 households are there: ``report.scale``).

``--only pdf`` measures the official documents alone (no site needed):

    .venv/bin/python benchmarks/run.py --only pdf [--pdf-documents 50]

then the antivirus (``benchmarks/antivirus.py``: one worker's scans with a
real ``clamd``, time per MB and scans per minute, ``--scans``; and the
uploads per minute one worker of the real queue scans, ``--uploads``, on a
demo site of its own in ``<--workdir>-antivirus``), written to
``benchmarks/results/antivirus.json``:

    .venv/bin/python benchmarks/run.py --only antivirus [--scans 20] [--uploads 60]

``--storage relstorage`` measures the pages and the memory on the
production storage instead: the generated site is copied once into a
PostgreSQL database of its own (``relstorage_site.py``, ``--pg``), the
instance (still behind ``server_timing.py``) and the bare Plone one of the
memory figure both run on RelStorage, with the template's pickle cache or
``--cache-local-mb``; the results go to ``households-<N>-relstorage.json``
(the scale's figures stay FileStorage's). The import, jobs, PDFs and scans
are measured as without it (skip them with ``0``):

    .venv/bin/python benchmarks/run.py --households 10000 --storage relstorage \
        [--cache-local-mb 200] --import-invoices 0 --jobs-emails 0 \
        --pdf-documents 0 --scans 0

Without ``--keep``, a site folder that this run created is deleted at the
end; one that existed before is always kept.
"""

from all_pages import Figures as CoverageFigures
from antivirus import measure as measure_scans
from antivirus import print_result as print_scans
from antivirus import print_throughput as print_uploads
from antivirus import queue_throughput as measure_uploads
from background_jobs import measure as measure_jobs
from background_jobs import print_result as print_jobs
from baseline import DOC_PARAGRAPHS
from baseline import DOC_TITLE
from baseline import ensure_document
from bench_site import BenchSite
from citizens import Citizen
from conversation_drafts import Figures as Issue17Figures
from dashboard_figures import Figures as Issue19Figures
from datetime import datetime
from errors import BenchError
from official_documents import measure as measure_pdfs
from official_documents import print_result as print_pdfs
from pages import status_messages
from pages import tab_check
from pathlib import Path
from paths import PYTHON
from paths import RESULTS
from progress import log
from relstorage_site import DEFAULT_PG
from relstorage_site import RelStorageCopy
from relstorage_site import render_args as cache_render_args
from result_files import machine_info
from result_files import write_json
from servers import MailSink
from servers import Server
from servers import exit_on_sigterm
from sessions import page_session
from sessions import rest_session
from stats import stats
from timing import json_check
from timing import timed

import argparse
import json
import memory
import os
import random
import report
import requests
import shutil
import subprocess
import sys
import time


# #22: citizen and anonymous pages and REST calls ≤ 1.25× their baseline,
# the staff's (agents, Supervisor: the Guichet, the dashboard …) ≤ 2×
PAGE_TARGET = 1.25
QUEUE_TARGET = 2.0
DASHBOARD_TARGET = QUEUE_TARGET  # #19: the dashboard for a year, a staff page
IMPORT_TARGET = 2.0


def scenarios(url, manifest, citizens, agents):
    """(key, label, baseline key, target, call(round) -> (client, server))."""
    doc = ensure_document(url)
    anonymous = requests.Session()
    anonymous_rest = rest_session(url)
    lookups = manifest["status_lookups"]

    def citizen(n):
        return citizens[n % len(citizens)]

    def agent(n):
        return agents[n % len(agents)]

    def get(session, address, label, **kwargs):
        return timed(session, "GET", address, label, **kwargs)[1:]

    def document(session):
        return get(session, doc, "Document view", texts=(DOC_TITLE, DOC_PARAGRAPHS[1]))

    def document_rest(session):
        return get(
            session,
            doc,
            "REST GET Document",
            check=json_check(lambda d: d.get("title") == DOC_TITLE, "title"),
        )

    def basket_add(n):
        person = citizen(n)
        accepted, response, client, server = person.add()
        if not accepted:
            raise BenchError(
                f"basket add of {person.login} refused: "
                f"{status_messages(response)!r} "
                f"{response.headers.get('Location')}"
            )
        person.remove()
        return client, server

    def status_lookup(n):
        lookup = lookups[n % len(lookups)]
        return get(
            anonymous_rest,
            f"{url}/@request-status",
            "request status",
            params={"number": lookup["number"], "code": lookup["code"]},
            check=json_check(
                lambda d: d.get("number") == lookup["number"], "another number"
            ),
        )

    def guichet(n, filtered):
        who = agent(n)
        params = (
            {"service": who["service"], "review_state": who["status"]}
            if filtered
            else {}
        )
        return get(
            who["session"],
            f"{url}/@@guichet",
            "Guichet",
            params=params,
            texts=("Guichet", "Demandes par statut"),
            check=lambda r: (
                "filter refused" if 'id="guichet-errors"' in r.text else None
            ),
        )

    def tab(view, title, *texts):
        return lambda n: get(
            citizen(n).page,
            f"{url}/@@{view}",
            title,
            texts=("Mon espace", *texts),
            check=tab_check(title),
        )

    page_base, rest_base = "document-citizen", "document-rest-citizen"
    return [
        (
            "document-anonymous",
            "Document view (anonymous)",
            None,
            None,
            lambda n: document(anonymous),
        ),
        (
            "document-rest-anonymous",
            "REST GET Document (anonymous)",
            None,
            None,
            lambda n: document_rest(anonymous_rest),
        ),
        (
            page_base,
            "Document view (citizen)",
            None,
            None,
            lambda n: document(citizen(n).page),
        ),
        (
            rest_base,
            "REST GET Document (citizen)",
            None,
            None,
            lambda n: document_rest(citizen(n).rest),
        ),
        (
            "document-agent",
            "Document view (agent)",
            None,
            None,
            lambda n: document(agent(n)["session"]),
        ),
        (
            "accueil",
            "Accueil @@mon-espace",
            page_base,
            PAGE_TARGET,
            tab("mon-espace", "Accueil"),
        ),
        (
            "demandes",
            "Demandes @@mon-espace-demandes",
            page_base,
            PAGE_TARGET,
            tab("mon-espace-demandes", "Demandes"),
        ),
        (
            "mes-comptes",
            "Mes comptes @@mon-espace-factures",
            page_base,
            PAGE_TARGET,
            tab("mon-espace-factures", "Mes comptes", "Factures à payer"),
        ),
        (
            "panier-ajouter",
            "Basket add POST @@panier-ajouter",
            page_base,
            PAGE_TARGET,
            basket_add,
        ),
        (
            "rest-requests",
            "REST GET /@requests",
            rest_base,
            PAGE_TARGET,
            lambda n: get(
                citizen(n).rest,
                f"{url}/@requests",
                "@requests",
                check=json_check(
                    lambda d: "items" in d and "counts" not in d, "not a citizen's list"
                ),
            ),
        ),
        (
            "rest-invoices",
            "REST GET /@invoices",
            rest_base,
            PAGE_TARGET,
            lambda n: get(
                citizen(n).rest,
                f"{url}/@invoices",
                "@invoices",
                check=json_check(
                    lambda d: "items" in d and "message" not in d, "no invoices"
                ),
            ),
        ),
        (
            "guichet",
            "Guichet @@guichet",
            "document-agent",
            QUEUE_TARGET,
            lambda n: guichet(n, False),
        ),
        (
            "guichet-filtered",
            "Guichet filtered (service, status)",
            "document-agent",
            QUEUE_TARGET,
            lambda n: guichet(n, True),
        ),
        (
            "request-status",
            "REST GET /@request-status (anonymous)",
            "document-rest-anonymous",
            PAGE_TARGET,
            status_lookup,
        ),
    ]


def measure(url, manifest, args):
    """Log in, warm up, measure; return the figures and the clock used."""
    password = manifest["citizen_password"]
    log(
        f"… logging in {len(manifest['citizens'])} citizens and "
        f"{len(manifest['agents'])} agent(s)"
    )
    citizens = [Citizen(url, c["login"], password) for c in manifest["citizens"]]
    agents = [
        dict(a, session=page_session(url, a["login"], a["password"]))
        for a in manifest["agents"]
    ]
    extra = Issue17Figures(url, manifest)
    added, skipped = extra.plan(PAGE_TARGET, QUEUE_TARGET)
    statistics = Issue19Figures(url, manifest)
    added19, skipped19 = statistics.plan(
        DASHBOARD_TARGET, ensure_document(url), (DOC_TITLE, DOC_PARAGRAPHS[1])
    )
    log("… reading what the coverage figures need (#22)")
    coverage = CoverageFigures(url, manifest, citizens, agents)
    added22, skipped22 = coverage.plan(ensure_document(url), PAGE_TARGET, QUEUE_TARGET)
    plan = scenarios(url, manifest, citizens, agents) + added + added19 + added22
    skipped += skipped19 + skipped22
    warmup = max(
        args.warmup,
        len(citizens),
        len(agents),
        extra.users(),
        statistics.users(),
        coverage.users(),
    )
    samples = {key: ([], []) for key, *_ in plan}
    order = random.Random(args.seed)
    log(
        f"… warming up ({warmup} rounds: every user, every URL), then "
        f"{args.requests} measured rounds of {len(plan)} requests"
    )
    started = time.perf_counter()
    for n in range(warmup + args.requests):
        shuffled = list(plan)
        order.shuffle(shuffled)
        for key, _label, _base, _target, call in shuffled:
            client, server = call(n)
            if n >= warmup:
                samples[key][0].append(client)
                samples[key][1].append(server)
        if n + 1 == warmup:
            log(f"  warm-up done in {time.perf_counter() - started:.0f} s")
    log(f"  all rounds done in {time.perf_counter() - started:.0f} s")
    server_side = all(s is not None for _c, server in samples.values() for s in server)
    figures = []
    for key, label, base, target, _call in plan:
        client, server = samples[key]
        figure = {
            "key": key,
            "label": label,
            "baseline": base,
            "target": target,
            "client": stats(client),
            "server": stats(server) if server_side else None,
        }
        figure.update(
            {k: (figure["server"] or figure["client"])[k] for k in ("median", "p95")}
        )
        figure.update(extra.notes(key))
        figures.append(figure)
    by_key = {f["key"]: f for f in figures}
    for figure in figures:
        if figure["baseline"]:
            base = by_key[figure["baseline"]]
            figure["baseline_label"] = base["label"]
            figure["ratio"] = figure["median"] / base["median"]
            figure["ratio_p95"] = figure["p95"] / base["p95"]
            figure["verdict"] = report.verdict(figure["ratio"], figure["target"])
    for key, label, base, target, reason in skipped:
        figures.append(
            {
                "key": key,
                "label": label,
                "baseline": base,
                "target": target,
                "not_measured": reason,
            }
        )
    clock = (
        "server time: Zope's Server-Timing header"
        if server_side
        else "client time: loopback request"
    )
    return figures, clock


def bulk(site, *args):
    """Run ``benchmarks/bulk.py`` (instance stopped); its JSON result."""
    command = [
        str(PYTHON),
        str(Path(__file__).parent / "bulk.py"),
        "-c",
        str(site.conf),
        *map(str, args),
    ]
    log(f"… bulk.py {' '.join(map(str, args))}")
    with open(site.logfile, "a", encoding="utf-8") as err:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=err, text=True)
    if done.returncode != 0:
        raise BenchError(
            f"bulk.py {args[0]} failed (see {site.logfile}):\n{done.stdout[-2000:]}"
        )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    log(f"  {result['count']} in {result['seconds']:.1f} s")
    return result


def time_imports(site, count):
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    invoices = bulk(
        site,
        "invoices",
        "--count",
        count,
        "--stamp",
        stamp,
        "--csv",
        site.root / "import-invoices.csv",
    )
    documents = bulk(site, "documents", "--count", count)
    return {
        "invoices": invoices,
        "documents": documents,
        "target": IMPORT_TARGET,
        "speedup": documents["per_object_ms"] / invoices["per_object_ms"],
        "stamp": stamp,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int)
    parser.add_argument(
        "--requests",
        type=int,
        default=50,
        help="measured requests per figure (default 50)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=3,
        help="warm-up rounds, at least one per user (default 3)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", default="var/bench")
    parser.add_argument(
        "--import-invoices",
        type=int,
        default=2000,
        metavar="K",
        help="invoices imported and Documents created (0: skip)",
    )
    parser.add_argument(
        "--jobs-emails",
        type=int,
        default=200,
        metavar="E",
        help="emails sent by one worker for its throughput (0: skip the jobs)",
    )
    parser.add_argument(
        "--pdf-documents",
        type=int,
        default=50,
        metavar="D",
        help="PDFs generated per kind of official document (0: skip them)",
    )
    parser.add_argument(
        "--scans",
        type=int,
        default=20,
        metavar="S",
        help="antivirus scans per sample and transport (0: skip them)",
    )
    parser.add_argument(
        "--uploads",
        type=int,
        default=60,
        metavar="U",
        help="with --only antivirus: 1 MB uploads one worker of the real queue "
        "scans (0: skip them)",
    )
    parser.add_argument(
        "--only",
        choices=("pdf", "antivirus"),
        help="measure only this part, no site (pdf: the official documents; "
        "antivirus: the scans, written to results/antivirus.json)",
    )
    parser.add_argument(
        "--storage",
        choices=("filestorage", "relstorage"),
        default="filestorage",
        help="the pages' and the memory's storage (relstorage: a copy of the "
        "site in PostgreSQL; default filestorage)",
    )
    parser.add_argument(
        "--pg",
        default=DEFAULT_PG,
        help="with --storage relstorage: the PostgreSQL server "
        f"(default {DEFAULT_PG!r})",
    )
    parser.add_argument(
        "--cache-local-mb",
        type=int,
        metavar="MB",
        help="with --storage relstorage: RelStorage's pickle cache of both "
        "instances (default: the template's)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the site folder this run creates"
    )
    args = parser.parse_args(argv)
    if args.only == "pdf":
        print_pdfs(measure_pdfs(args.pdf_documents or 50))
        return 0
    if args.only == "antivirus":
        scans = measure_scans(args.scans or 20)
        print_scans(scans)
        if args.uploads:
            scans["uploads"] = measure_uploads(
                f"{args.workdir}-antivirus", args.uploads
            )
            print_uploads(scans["uploads"])
        write_json(
            RESULTS / "antivirus.json",
            {"scans": args.scans or 20, "machine": machine_info(), **scans},
        )
        return 0
    if args.households is None:
        parser.error("--households is required (but with --only)")
    if args.requests < 1:
        parser.error("--requests must be at least 1 (50 for published figures)")
    relstorage = args.storage == "relstorage"
    if args.cache_local_mb is not None and not relstorage:
        parser.error("--cache-local-mb needs --storage relstorage")
    render_args = cache_render_args(args.cache_local_mb)
    exit_on_sigterm()

    site = BenchSite(args.workdir, args.households, args.seed)
    existed = site.root.exists()
    result = {
        "households": args.households,
        "requests": args.requests,
        "machine": machine_info(),
        "storage": args.storage,
    }
    try:
        with MailSink(site):
            manifest = site.prepare()
            server, var = Server(site), site.var
            if relstorage:
                copy = RelStorageCopy(site, args.pg)
                copy.ensure(manifest)
                (server,) = copy.instances(1, render_args=render_args, timing=True)
                var = server.var
                result["relstorage"] = {
                    "database": copy.name,
                    "render_args": render_args,
                }
                log(f"… starting Zope on {server.url} (RelStorage)")
            with server:
                figures, clock = measure(server.url, manifest, args)
                result["machine"]["load_average_end"] = os.getloadavg()
                addon_memory = memory.addon_instance(site, server, var)  # target 6
            log("  Zope stopped")
            report.print_figures(figures, clock)
            result.update(
                clock=clock,
                figures=figures,
                site=str(site.root),
                manifest={
                    k: manifest.get(k)
                    for k in ("households", "seed", "generated_at", "seconds")
                },
            )
            if args.import_invoices:
                imported = time_imports(site, args.import_invoices)
                report.print_import(imported)
                result["import"] = imported
            if args.jobs_emails:
                background = measure_jobs(
                    site.conf,
                    site.var,
                    site.var / "mail",
                    site.logfile,
                    emails=args.jobs_emails,
                )
                print_jobs(background)
                result["jobs"] = background
            if args.pdf_documents:
                documents = measure_pdfs(args.pdf_documents)
                print_pdfs(documents)
                result["official_documents"] = documents
            if args.scans:
                scans = measure_scans(args.scans)
                print_scans(scans)
                result["antivirus"] = scans
            result["memory"] = memory.compare(
                args.workdir,
                addon_memory,
                args.pg if relstorage else None,
                render_args,
            )
            report.print_memory(result["memory"])
    except BenchError as error:
        log(f"\nFAILED: {error}")
        return 1
    finally:
        if not args.keep and not existed and site.root.exists():
            shutil.rmtree(site.root)
            log(f"removed {site.root} (--keep keeps it)")
    name = f"households-{args.households}"
    title = f"{args.households} households"
    if relstorage:
        name += "-relstorage"
        title += " on RelStorage"
    write_json(RESULTS / f"{name}.json", result)
    report.chart(
        RESULTS / f"{name}.png",
        f"{title}: median / baseline ({clock})",
        figures,
        result.get("import"),
    )
    if not relstorage:  # the scale's figures are FileStorage's
        report.scale()
    return 0


if __name__ == "__main__":
    sys.exit(main())

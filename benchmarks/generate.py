"""Generate a realistic town for the benchmarks: households, citizens,
requests, invoices and payments, as the portal itself would have stored them.

    .venv/bin/python benchmarks/generate.py -c instance/etc/zope.conf \\
        --households N [--seed 2026] [--batch 200] [--manifest PATH] \\
        [--site Plone] [--admin admin] [--cache-size 2000000] [--batch-log PATH]

Run it with the instance stopped (a running Zope locks the FileStorage),
against a site made by ``eservices-create-site`` (the add-on and its demo
profile: services, régies, agents). For each household ``0 … N-1`` it
creates:

- a citizen account (login ``prénom.nom``, made unique as the registration
  does, password ``Bench-Citoyen-2026`` for all) and its Household with
  about 2.5 persons (adults and children), validated by an agent;
- 6 requests over the last 5 years to the site's services, with answers
  to their real questions, numbered ``AAAA-NNNNNN`` by the add-on's
  counters, in realistic states with their workflow and request histories;
- 15 invoices over the last 3 years of the régies « ville » and « ccas »
  (as the import makes them), about half of them paid by card: the paid
  ones with the ``Payment`` of their basket, as the bank's notification
  leaves it (a few refused payments too);
- in one household out of 20 (0, 20, 40 …), a conversation of 50 messages
  on one of its requests (citizen and agents in turn, a few internal notes
  and read marks); in one out of 20 (10, 30 …), 5 drafts of a request
  (one with a kept PDF) through the add-on's drafts store
  (``generator/drafts.py``);
- the official documents the queue issues (#18): each request's filing
  receipt, its decision when it was accepted or refused, each paid
  payment's certificate (one real PDF per kind, rendered once, reused);
- the statistics of #19 (``generator/dashboard.py``): each object counted
  in the aggregates as it is written, by the add-on's
  ``statistics.rebuild.count_*`` (the generator fires none of the events
  that keep them; a site generated before #22 is recounted once by
  ``statistics.rebuild``), and a Supervisor « Responsable »
  (``responsable.mesures``) to see the dashboard as;

plus a few account-less civil-status requests with tracking codes. Every
object is made as the add-on's code makes it (same types, fields, local
roles, ownership, creators, workflow states and histories, catalog
indexes; tests/integration/test_benchmark_generator.py compares them),
with its dates in the past. No email is sent: the MailHost of this process
only counts. Nothing is changed in the add-on; this process skips some
work of the add events that is useless here (``generator/patches.py``).

Reproducible: household ``i`` only depends on ``--seed``, ``i`` and the
date of the first run (kept in the site; one seed per site), so the same N
and seed give the same data. Resumable: households are written ``--batch``
at a time, each batch in one transaction with the site's checkpoint; a
rerun (or a larger N) skips the households done and redoes an unfinished
one.

At the end it writes the manifest read by ``benchmarks/run.py`` (default:
``<clienthome>/generated.json``, the instance's var folder): citizens to
log in as, agents and the Guichet filters that show them requests, numbers
and tracking codes of account-less requests.

This file is the command line; the package ``benchmarks/generator/`` does
the work (its ``__init__`` lists its modules).
"""

from generator.batches import generate
from generator.batches import objects_of
from generator.manifest import build_manifest
from pathlib import Path

import argparse
import json
import sys
import time as clock
import transaction


SITE_ID = "Plone"
# ZODB objects kept in memory while generating: the catalog's buckets stay
# loaded (300,000 until the eighth pass: 4 % slower at 10,000 households,
# side by side, docs/performance.md « Generator: eighth pass »)
CACHE_SIZE = 2_000_000
# Households per transaction: the catalog's BTree buckets a batch touches are
# written once per commit (50 wrote them four times as often, docs/performance.md)
BATCH = 200


def batch_logger(path):
    """A callable appending a batch's figures to ``path`` (None: no log)."""
    if not path:
        return None

    def log(figures):
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(figures) + "\n")

    return log


def default_manifest_path():
    from App.config import getConfiguration

    return Path(getConfiguration().clienthome) / "generated.json"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--zope-conf", required=True)
    parser.add_argument("--households", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=BATCH)
    parser.add_argument(
        "--cache-size",
        type=int,
        default=CACHE_SIZE,
        help=f"ZODB objects kept in memory (default: {CACHE_SIZE})",
    )
    parser.add_argument(
        "--batch-log",
        help="append each batch's figures to this file, a JSON line each "
        "(times, objects loaded and stored: generator/batches.batch_figures)",
    )
    parser.add_argument("--manifest", help="default: <clienthome>/generated.json")
    parser.add_argument("--site", default=SITE_ID)
    parser.add_argument(
        "--admin",
        default="admin",
        help="the Zope user who imports the invoices (default: admin)",
    )
    args = parser.parse_args(argv)
    from illkirch.eservices.cli.zope_app import open_site
    from illkirch.eservices.cli.zope_app import zope_app

    started, cpu = clock.perf_counter(), clock.process_time()
    with zope_app(args.zope_conf) as app:
        portal = open_site(app, args.site, args.admin)
        if portal is None:
            return 2
        # Keep the catalog's BTrees in memory across batches (this process only).
        database = app._p_jar.db()
        database.setCacheSize(max(database.getCacheSize(), args.cache_size))
        totals = generate(
            portal,
            args.households,
            args.seed,
            args.batch,
            importer_id=args.admin,
            log=batch_logger(args.batch_log),
        )
        seconds = clock.perf_counter() - started
        manifest = build_manifest(portal, args.households, args.seed, seconds)
        transaction.abort()
        path = Path(args.manifest) if args.manifest else default_manifest_path()
    path.write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    created = totals["households"]
    print(
        f"{created} foyer(s) créé(s), {totals['skipped']} déjà faits ; "
        f"{totals['persons']} personnes, {totals['requests']} demandes "
        f"(+{totals['anonymous']} sans compte), {totals['invoices']} factures, "
        f"{totals['payments']} paiements, {totals['messages']} messages, "
        f"{totals['drafts']} brouillons en {seconds:.1f} s "
        f"({created / seconds:.2f} foyers/s, {objects_of(totals) / seconds:.0f} "
        f"objets/s ; {clock.process_time() - cpu:.1f} s de CPU dont "
        f"{totals['cpu_write']:.1f} à créer et {totals['cpu_commit']:.1f} à indexer "
        f"et enregistrer) ; statistiques recalculées en "
        f"{totals['statistics_seconds']:.1f} s ({totals['statistics_cpu']:.1f} s de "
        f"CPU) ; "
        f"{totals['mails']} courriel(s) retenu(s). Manifeste : {path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

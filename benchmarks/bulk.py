"""Bulk writes timed in one Zope process, for ``benchmarks/run.py``.

    .venv/bin/python benchmarks/bulk.py -c <zope.conf> invoices --count 2000 \\
        --stamp 20261127T1200 [--csv out.csv]
    .venv/bin/python benchmarks/bulk.py -c <zope.conf> documents --count 2000

Run with the instance stopped (FileStorage is locked while it runs). Opens
the configuration as the add-on's console commands do (``cli.zope_app``,
the Zope administrator ``admin``, the site ``Plone``), then times the work
and its single commit with ``time.perf_counter()``, Zope's start-up left
out:

- ``invoices``: writes a CSV of ``count`` new invoices (2 lines each, numbers
  ``B<stamp>-<n>`` never used before, billed to the site's households in turn
  by their billing account, issued in 2020 so that they stay out of the
  citizens' pages) and imports it with the code of ``eservices-import-invoices``
  (``cli.import_invoices.run``, then the commit its ``main`` does);
- ``documents``: creates ``count`` bare Documents with
  ``plone.api.content.create`` in a new folder ``bench-documents``, commits,
  then deletes the folder (not timed).

Prints one JSON object on stdout: ``{"count", "seconds", "per_object_ms", ...}``.
"""

from pathlib import Path

import argparse
import io
import json
import sys
import time


SITE = "Plone"
ADMIN = "admin"
FOLDER = "bench-documents"
HEADER = (
    "regie;numero;compte_facturation;domaine;beneficiaire;periode;"
    "date_emission;date_echeance;libelle;quantite;prix_unitaire;statut"
)


def billing_accounts():
    from plone import api

    catalog = api.portal.get_tool("portal_catalog")
    accounts = set()
    for brain in catalog.unrestrictedSearchResults(portal_type="Household"):
        account = getattr(brain._unrestrictedGetObject(), "billing_account", "") or ""
        if account.strip():
            accounts.add(account.strip())
    return sorted(accounts)


def invoices_csv(count, stamp, accounts):
    """``count`` new invoices of the régie « ville », 2 lines each."""
    rows = [HEADER]
    for n in range(count):
        head = (
            f"ville;B{stamp}-{n:06d};{accounts[n % len(accounts)]};Périscolaire;"
            "Membre du foyer;01/2020;15/01/2020;14/02/2020"
        )
        rows.append(f"{head};Restauration scolaire;{n % 20 + 1};4,50;a_payer")
        rows.append(f"{head};Accueil du soir;{n % 7 + 1};2,75;a_payer")
    return "\n".join(rows) + "\n"


def time_invoices(site, args):
    from illkirch.eservices.cli import import_invoices

    import transaction

    accounts = billing_accounts()
    if not accounts:
        raise SystemExit("no household with a billing account in the site")
    data = invoices_csv(args.count, args.stamp, accounts)
    if args.csv:
        Path(args.csv).write_text(data, encoding="utf-8")
    out = io.StringIO()
    started = time.perf_counter()
    code = import_invoices.run(site, data.encode("utf-8"), "csv", out=out)
    if code != 0:
        transaction.abort()
        raise SystemExit(f"the import failed:\n{out.getvalue()}")
    transaction.commit()
    seconds = time.perf_counter() - started
    return {
        "count": args.count,
        "seconds": seconds,
        "households": len(accounts),
        "summary": out.getvalue().strip(),
    }


def time_documents(site, args):
    from plone import api

    import transaction

    if FOLDER in site.objectIds():  # left by an interrupted run
        site.manage_delObjects([FOLDER])
        transaction.commit()
    started = time.perf_counter()
    folder = api.content.create(
        container=site, type="Folder", id=FOLDER, title="Benchmark documents"
    )
    for n in range(args.count):
        api.content.create(
            container=folder,
            type="Document",
            id=f"document-{n:06d}",
            title=f"Document {n}",
        )
    transaction.commit()
    seconds = time.perf_counter() - started
    cleanup = time.perf_counter()
    site.manage_delObjects([FOLDER])
    transaction.commit()
    return {
        "count": args.count,
        "seconds": seconds,
        "cleanup_seconds": time.perf_counter() - cleanup,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--zope-conf", required=True)
    commands = parser.add_subparsers(dest="command", required=True)
    invoices = commands.add_parser("invoices")
    invoices.add_argument("--count", type=int, default=2000)
    invoices.add_argument("--stamp", required=True, help="makes the numbers new")
    invoices.add_argument("--csv", help="keep the generated file here")
    documents = commands.add_parser("documents")
    documents.add_argument("--count", type=int, default=2000)
    args = parser.parse_args(argv)

    from illkirch.eservices.cli.zope_app import open_site
    from illkirch.eservices.cli.zope_app import zope_app

    with zope_app(args.zope_conf) as app:
        site = open_site(app, SITE, ADMIN)
        if site is None:
            return 2
        timer = time_invoices if args.command == "invoices" else time_documents
        result = timer(site, args)
    result["per_object_ms"] = result["seconds"] / max(result["count"], 1) * 1000
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

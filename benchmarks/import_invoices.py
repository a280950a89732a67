"""Time the import of a large invoice file (docs/invoices.md, « Benchmark »).

    .venv/bin/python benchmarks/import_invoices.py --invoices 10000

Sets up the add-on's integration test layer in process (a throwaway site in
memory), creates the households and the régies, builds a CSV of that many
invoices, imports it, then imports it again (nothing to do), and prints the
times. Not part of the test suite; nothing is asserted.
"""

from datetime import date
from datetime import timedelta

import argparse
import sys
import time


HEADER = (
    "regie;numero;compte_facturation;domaine;beneficiaire;periode;"
    "date_emission;date_echeance;libelle;quantite;prix_unitaire;statut"
)


def build_csv(invoices, households, lines):
    rows = [HEADER]
    issued = date(2026, 5, 31)
    for n in range(invoices):
        regie, domain = (
            ("ville", "Périscolaire") if n % 3 else ("ccas", "Action sociale")
        )
        account = f"BENCH-{n % households:06d}"
        head = (
            f"{regie};B-{n:07d};{account};{domain};Membre {n % households};"
            f"05/2026;{issued:%d/%m/%Y};{issued + timedelta(days=30):%Y-%m-%d}"
        )
        for k in range(lines):
            rows.append(
                f"{head};Prestation {k + 1};{(n + k) % 20 + 1};{k + 3},{n % 100:02d};"
                "a_payer"
            )
    return "\n".join(rows) + "\n"


def setup_site():
    from illkirch.eservices.testing import INTEGRATION_TESTING

    layers = []

    def gather(layer):  # bases first, each once, as zope.testrunner does
        for base in layer.__bases__:
            gather(base)
        if layer not in layers:
            layers.append(layer)

    gather(INTEGRATION_TESTING)
    for layer in layers:  # as zope.testrunner does
        layer.setUp()
    for layer in layers:
        if hasattr(layer, "testSetUp"):
            layer.testSetUp()
    return INTEGRATION_TESTING["portal"]


def create_households(portal, count):
    from illkirch.eservices.demo.billing import create_regies
    from illkirch.eservices.site_folders import ensure_households_folder
    from plone.dexterity.utils import addContentToContainer
    from plone.dexterity.utils import createContent

    create_regies(portal)
    folder = ensure_households_folder(portal)
    for n in range(count):
        household = createContent("Household", title=f"Foyer {n}")
        household.id = f"foyer-bench-{n:06d}"
        household.billing_account = f"BENCH-{n:06d}"
        addContentToContainer(folder, household, checkConstraints=False)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invoices", type=int, default=10000)
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--lines", type=int, default=2, help="lines per invoice")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    portal = setup_site()
    from illkirch.eservices.billing import importer
    from plone.app.testing import TEST_USER_ID
    from plone.app.testing import setRoles
    from Products.CMFCore.indexing import processQueue

    setRoles(portal, TEST_USER_ID, ["Manager"])
    create_households(portal, args.households)
    from Products.CMFCore.indexing import processQueue as flush

    flush()
    data = build_csv(args.invoices, args.households, args.lines).encode("utf-8")
    print(
        f"Site and {args.households} households ready in "
        f"{time.perf_counter() - started:.1f} s; file: {args.invoices} invoices, "
        f"{args.invoices * args.lines} rows, {len(data) / 1e6:.1f} MB."
    )

    for label in ("Import", "Re-import"):
        started = time.perf_counter()
        summary = importer.import_file(data)
        processQueue()  # the catalog's queued indexing, done at commit otherwise
        elapsed = time.perf_counter() - started
        print(
            f"{label}: {elapsed:.1f} s, {elapsed / args.invoices * 1000:.2f} ms "
            f"per invoice ({args.invoices / elapsed:.0f} invoices/s) — {summary}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

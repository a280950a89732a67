"""The entries of the catalog's indexes of numbers by portal_type, and the
1017 → 1018 upgrade step alone, timed (#22, docs/performance.md « The
numbers' indexes, one type each (upgrade 1018) »).

    PYTHONPATH=src .venv/bin/python benchmarks/number_indexes.py \\
        -c <instance>/etc/zope.conf [--upgrade]

Run on a copy of a benchmark site, instance stopped. Without
``--upgrade``, counts only (nothing written).
"""

from illkirch.eservices.cli.zope_app import open_site
from illkirch.eservices.cli.zope_app import zope_app
from illkirch.eservices.upgrades import v1018_number_indexes

import argparse
import time
import transaction


PROFILE = "illkirch.eservices:default"


def counts(catalog):
    """index → (entries, keys, {portal_type: entries}, source names)."""
    types = catalog._catalog.getIndex("portal_type")
    found = {}
    for name in v1018_number_indexes.INDEXES:
        index = catalog._catalog.getIndex(name)
        by_type = {}
        for rid in index._unindex.keys():
            portal_type = types.getEntryForObject(rid)
            by_type[portal_type] = by_type.get(portal_type, 0) + 1
        found[name] = (
            len(index._unindex),
            len(index),
            by_type,
            list(index.getIndexSourceNames()),
        )
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--zope-conf", required=True)
    parser.add_argument("--site", default="Plone")
    parser.add_argument("--upgrade", action="store_true")
    args = parser.parse_args(argv)
    with zope_app(args.zope_conf) as app:
        site = open_site(app, args.site)
        if site is None:
            return 1
        catalog = site.portal_catalog
        print("before:", counts(catalog))
        if not args.upgrade:
            return 0
        setup = site.portal_setup
        cpu, wall = time.process_time(), time.perf_counter()
        v1018_number_indexes.number_indexes(setup)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        started = time.perf_counter()
        transaction.commit()
        committed = time.perf_counter() - started
        setup.setLastVersionForProfile(PROFILE, "1018")
        transaction.commit()
        print(f"step: {cpu:.2f} s CPU, {wall:.2f} s wall; commit {committed:.2f} s")
        print("after:", counts(catalog))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The memory a ZODB object of the site costs once loaded, for
``benchmarks/zodb_reads.py`` (docs/deployment.md, « The ZODB caches »).

    .venv/bin/python benchmarks/object_memory.py -c <zope.conf> [--households 100]

Run with the instance stopped (FileStorage is locked while it runs). Opens
the site (``cli.zope_app``), empties the connection's cache, then loads
every object of ``--households`` households (each household, its requests,
invoices and their sub-objects, what their pages read) and prints one JSON
object on stdout: the objects loaded (the cache's non-ghost count), the
growth of the process's resident memory (psutil) and their quotient, KiB
per object.
"""

import argparse
import gc
import json
import sys


def load_tree(obj, depth, seen):
    """Unghost ``obj`` and, ``depth`` levels down, its contents and
    persistent attributes."""
    from persistent import Persistent

    key = obj._p_oid or id(obj)  # ids of freed ghosts are reused: oids are not
    if key in seen:
        return
    seen.add(key)
    obj._p_activate()
    if depth == 0:
        return
    children = []
    if hasattr(obj, "objectValues"):
        children += list(obj.objectValues())
    for value in list(getattr(obj, "__dict__", {}).values()):
        if isinstance(value, Persistent):
            children.append(value)
    for child in children:
        if isinstance(child, Persistent):
            load_tree(child, depth - 1, seen)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--zope-conf", required=True)
    parser.add_argument("--households", type=int, default=100)
    args = parser.parse_args(argv)

    from illkirch.eservices.cli.zope_app import open_site
    from illkirch.eservices.cli.zope_app import zope_app
    from illkirch.eservices.site_folders import ensure_households_folder

    import psutil

    process = psutil.Process()
    with zope_app(args.zope_conf) as app:
        site = open_site(app, "Plone")
        folder = ensure_households_folder(site)
        ids = list(folder.objectIds())[: args.households]
        connection = app._p_jar
        connection.cacheMinimize()
        gc.collect()
        objects_before = connection._cache.cache_non_ghost_count
        rss_before = process.memory_info().rss
        seen = set()
        for household_id in ids:
            load_tree(folder[household_id], 8, seen)
        gc.collect()
        objects = connection._cache.cache_non_ghost_count - objects_before
        grown = process.memory_info().rss - rss_before
    print(
        json.dumps(
            {
                "households": len(ids),
                "objects": objects,
                "rss_growth_mb": grown / 2**20,
                "per_object_kb": grown / 1024 / objects if objects else None,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

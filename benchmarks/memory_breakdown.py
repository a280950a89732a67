"""What an instance's resident memory is made of (docs/performance.md,
« Memory »; issue #22, target 6).

    PYTHONPATH=src .venv/bin/python benchmarks/memory_breakdown.py \\
        -c <workdir>/<n>/instance/etc/zope.conf [--citizens 24] [--json out.json]

Run with the instance stopped (FileStorage is locked while it runs), on a
copy of a prepared site. In one process, reading psutil's resident memory
after each step:

1. the FileStorage opened alone (no Zope, no cache) then closed: its
   in-memory index, which every process opening it holds (the instance, or
   the ZEO server; on RelStorage no process does);
2. Zope started (``make_wsgi_app``: the code of Plone and of the add-on,
   their ZCML, the site's first objects);
3. in process (webtest, one thread: one ZODB connection), the anonymous
   home and search, then for ``--citizens`` citizens of the manifest their
   pages and REST calls, then each agent's: the objects each page leaves in
   the connection's cache (loaded, and ghosts) and their pickles' size
   (ZODB's estimate, what ``cache-size-bytes`` bounds), the resident memory
   they cost; the pages whose first visit loads more than 100 objects are
   printed (their count grows with the catalog, not with the users);
4. the cache by class: objects and pickles' size.

``--cache-size-bytes`` sets the connection's bound (as the instance
templates' ``cache-size-bytes``) to see what it keeps.
"""

from collections import Counter
from pathlib import Path

import argparse
import gc
import json
import sys


CITIZEN_PAGES = (
    "@@mon-espace",
    "@@mon-espace-demandes",
    "@@mon-espace-factures",
    "@@mon-espace-documents",
    "@@mon-espace-services",
    "@@mon-espace-compte",
    "@@panier",
    "@@modifier-foyer",
)
CITIZEN_REST = ("@requests", "@invoices", "@household", "@services", "@cart")
AGENT_PAGES = ("@@guichet", "@@tableau-de-bord", "@@comptes-a-valider")
AGENT_REST = ("@requests",)
ANONYMOUS = ("", "@@search?SearchableText=acte")


def rss_mb():
    import psutil

    gc.collect()
    return psutil.Process().memory_info().rss / 2**20


def storage_path(conf):
    """The Data.fs of a rendered FileStorage instance's zope.conf."""
    text = Path(conf).read_text(encoding="utf-8")
    var = text.split("%define VAR", 1)[1].split("\n", 1)[0].strip()
    return Path(var) / "filestorage" / "Data.fs"


def index_memory(path):
    """``(objects, MiB)``: the FileStorage's index, opened alone."""
    from ZODB.FileStorage import FileStorage

    before = rss_mb()
    storage = FileStorage(str(path), read_only=True)
    grown = rss_mb() - before
    objects = len(storage)
    storage.close()
    del storage
    return objects, grown


class Caches:
    """The ZODB connections' caches of the running Zope."""

    def __init__(self, db):
        self.db = db

    def all(self):
        caches = []
        self.db._connectionMap(lambda connection: caches.append(connection._cache))
        return caches

    def figures(self):
        caches = self.all()
        return (
            sum(cache.cache_non_ghost_count for cache in caches),
            sum(len(cache) for cache in caches),
            sum(cache.total_estimated_size for cache in caches) / 2**20,
        )

    def by_class(self):
        objects, sizes = Counter(), Counter()
        for cache in self.all():
            for _oid, obj in cache.items():
                if obj._p_changed is None:  # a ghost
                    continue
                name = f"{type(obj).__module__}.{type(obj).__name__}"
                objects[name] += 1
                sizes[name] += obj._p_estimated_size
        return objects, sizes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--zope-conf", required=True)
    parser.add_argument("--manifest")
    parser.add_argument("--citizens", type=int, default=24)
    parser.add_argument("--cache-size-bytes", default=None)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from profile_page import log_in
    from profile_page import open_app

    import webtest

    conf = Path(args.zope_conf).resolve()
    manifest_path = (
        Path(args.manifest) if args.manifest else conf.parents[2] / "var/generated.json"
    )
    manifest = json.loads(manifest_path.read_text())
    steps = {"process": rss_mb()}
    objects, index_mb = index_memory(storage_path(conf))
    steps["filestorage_index_mb"] = index_mb
    steps["objects_in_database"] = objects
    app = open_app(conf)

    import Zope2

    db = Zope2.DB
    if args.cache_size_bytes:
        from ZConfig.datatypes import SuffixMultiplier

        size = SuffixMultiplier({"kb": 1024, "mb": 1024**2, "gb": 1024**3})
        db.setCacheSizeBytes(size(args.cache_size_bytes.lower()))
    caches = Caches(db)
    steps["zope_started"] = rss_mb()
    pages = []

    def visit(browser, label, path, headers=None):
        objects, ghosts, size = caches.figures()
        browser.get(path, headers=headers or {}, expect_errors=False)
        after = caches.figures()
        pages.append(
            {
                "page": label,
                "objects": after[0] - objects,
                "with_ghosts": after[1] - ghosts,
                "pickles_mb": after[2] - size,
            }
        )

    anonymous = webtest.TestApp(app.app)
    for path in ANONYMOUS:
        visit(anonymous, f"anonymous /{path}", f"/Plone/{path}")
    password = manifest["citizen_password"]
    for citizen in manifest["citizens"][: args.citizens]:
        browser = webtest.TestApp(app.app)
        log_in(browser, "/Plone", citizen["login"], password, "cookie")
        for path in CITIZEN_PAGES:
            visit(browser, f"citizen {path}", f"/Plone/{path}")
        browser = webtest.TestApp(app.app)
        headers = log_in(browser, "/Plone", citizen["login"], password, "jwt")
        headers["Accept"] = "application/json"
        for path in CITIZEN_REST:
            visit(browser, f"citizen REST {path}", f"/Plone/{path}", headers)
    for agent in manifest["agents"]:
        browser = webtest.TestApp(app.app)
        log_in(browser, "/Plone", agent["login"], agent["password"], "cookie")
        for path in AGENT_PAGES:
            visit(browser, f"agent {path}", f"/Plone/{path}")
        browser = webtest.TestApp(app.app)
        headers = log_in(browser, "/Plone", agent["login"], agent["password"], "jwt")
        headers["Accept"] = "application/json"
        for path in AGENT_REST:
            visit(browser, f"agent REST {path}", f"/Plone/{path}", headers)
    steps["after_pages"] = rss_mb()
    in_memory, with_ghosts, pickles = caches.figures()
    objects_by_class, sizes = caches.by_class()
    ranked = sorted(sizes, key=lambda name: -sizes[name])
    result = {
        "households": manifest.get("households"),
        "citizens": args.citizens,
        "cache_size_bytes": db.getCacheSizeBytes(),
        "rss_mb": steps,
        "cache": {
            "objects": in_memory,
            "with_ghosts": with_ghosts,
            "pickles_mb": pickles,
            "by_class": {
                name: [objects_by_class[name], sizes[name]] for name in ranked
            },
        },
        "pages": pages,
    }
    print(
        f"{objects:,} objects in the database; FileStorage index alone: "
        f"{index_mb:.1f} MB\nresident memory: {steps['process']:.0f} MB (Python), "
        f"{steps['zope_started']:.0f} MB (Zope started), "
        f"{steps['after_pages']:.0f} MB after {len(pages)} requests"
    )
    grown = steps["after_pages"] - steps["zope_started"]
    per_object_kb = grown * 1024 / max(in_memory, 1)
    print(
        f"cache: {in_memory:,} objects ({with_ghosts:,} with ghosts), pickles "
        f"{pickles:.1f} MB; resident memory per object "
        f"{per_object_kb:.1f} KB"
    )
    first = {}
    for row in pages:
        first.setdefault(row["page"], row)
    print("pages whose first visit loads more than 100 objects:")
    for row in first.values():
        if row["objects"] > 100:
            print(
                f"  {row['page']:<45} {row['objects']:>7} objects "
                f"({row['with_ghosts']:>7} with ghosts) {row['pickles_mb']:>6.2f} MB"
            )
    print(f"{'class':<70} {'objects':>8} {'pickles MB':>10}")
    for name in ranked[: args.top]:
        print(f"{name:<70} {objects_by_class[name]:>8,} {sizes[name] / 2**20:>10.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

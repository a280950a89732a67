"""Which code loads which objects from the storage for one page (#22).

    PYTHONPATH=src .venv/bin/python benchmarks/load_sources.py \\
        --conf <workdir>/<n>/instance/etc/zope.conf --path /Plone/faq \\
        [--user agent.voirie] [--first] [--depth 4] [--top 25]

Run with the instance stopped (FileStorage is locked while it runs). In one
process (Zope started from the ``zope.conf``, webtest; ``--user`` logged in
by Plone's login form as ``profile_page.py`` does), the page is published
twice, every connection's cache emptied (``cacheMinimize``), then the page
published once more while ZODB's ``Connection.setstate`` (each object loaded
from the storage) counts the objects by class and by the calling code: the
``--depth`` innermost frames of Zope, Plone and the add-on (ZODB's,
persistent's and webtest's own frames left out). ``--first``: no warm-up
and no emptying, the page's first visit in a new process (what it loads
before ZCatalog knows its query plan, for instance).
"""

from collections import Counter
from pathlib import Path

import argparse
import json
import sys
import traceback


SKIPPED = ("ZODB/", "persistent/", "webtest/", "webob/")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conf", required=True, help="the instance's zope.conf")
    parser.add_argument("--path", required=True, help="the page, e.g. /Plone/faq")
    parser.add_argument("--user", default="anonymous")
    parser.add_argument("--first", action="store_true")
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--top", type=int, default=25)
    return parser.parse_args(argv)


def caller(depth):
    """The ``depth`` innermost frames of the code that asked for a load."""
    frames = traceback.extract_stack(limit=60)[:-2]
    names = [
        f"{Path(f.filename).parent.name}/{Path(f.filename).name}:{f.name}"
        for f in frames
        if "site-packages" in f.filename or "illkirch" in f.filename
    ]
    names = [name for name in names if not name.startswith(SKIPPED)]
    return " < ".join(reversed(names[-depth:]))


def main(argv=None):
    args = parse_args(argv)
    sys.path.insert(0, str(Path(__file__).parent))
    import profile_page

    conf = Path(args.conf).resolve()
    manifest_path = conf.parents[2] / "var" / "generated.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    sys.argv = sys.argv[:1]  # Zope reads its own command line
    app = profile_page.open_app(conf)
    headers = {}
    site = "/" + args.path.strip("/").split("/")[0]
    who = profile_page.credentials(manifest, args.user, None)
    if who is not None:
        headers.update(profile_page.log_in(app, site, *who, "cookie"))

    from ZODB.Connection import Connection

    import Zope2

    if not args.first:
        for _ in range(2):
            app.get(args.path, headers=headers, expect_errors=True)
        Zope2.DB.cacheMinimize()
    counts = Counter()
    original = Connection.setstate

    def setstate(self, obj):
        counts[(type(obj).__name__, caller(args.depth))] += 1
        return original(self, obj)

    Connection.setstate = setstate
    try:
        response = app.get(args.path, headers=headers, expect_errors=True)
    finally:
        Connection.setstate = original
    name = who[0] if who else "anonymous"
    print(
        f"{args.path} as {name}: HTTP {response.status_int}, "
        f"{sum(counts.values())} objects loaded"
    )
    for (cls, where), count in counts.most_common(args.top):
        print(f"{count:7d} {cls:22s} {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The resident memory the agents' CSV export leaves in an instance, and its
CPU time (docs/performance.md, « The agents' export without the town's
metadata in memory »; issue #22, target 6).

    PYTHONPATH=src .venv/bin/python benchmarks/export_memory.py \\
        <workdir>/<n>/instance/etc/zope.conf [--before] [--count 15]

Run with the instance stopped (FileStorage is locked while it runs), on a
copy of a prepared site. In one process (Zope started from the
``zope.conf``, webtest, HTTP basic auth as the manifest's agents): the
anonymous search page, then for each agent ``GET /@requests`` and twice
``GET /@requests-export``, the resident memory (psutil) after each; then
``--count`` exports of the first agent timed in CPU (the thread's), the
median and the minimum printed. ``--before`` reads the queue's brains as
before #22's third pass (kept by the ``LazyMap``, nothing released), to
compare in the same conditions.
"""

from pathlib import Path

import argparse
import base64
import gc
import json
import statistics
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("zope_conf")
    parser.add_argument("--before", action="store_true")
    parser.add_argument("--count", type=int, default=15)
    args = parser.parse_args(argv)
    conf = Path(args.zope_conf).resolve()
    manifest = json.loads(
        (conf.parent.parent.parent / "var" / "generated.json").read_text("utf-8")
    )
    sys.argv = sys.argv[:1]  # Zope reads its own command line
    from Zope2.Startup.run import make_wsgi_app

    app = make_wsgi_app({}, str(conf))
    from illkirch.eservices import catalog_reading
    from webtest import TestApp

    import psutil

    if args.before:
        # the export reads its rows through in_record_order since #22's third
        # pass: before it, every brain in the LazyMap's order, nothing released
        def in_brains_order(brains, function, connection, every=0, stored=None):
            return [function(brain) for brain in brains]

        catalog_reading.in_record_order = in_brains_order
    mode = "before" if args.before else "after"
    browser = TestApp(app)

    def rss():
        return round(psutil.Process().memory_info().rss / 2**20, 1)

    def headers(agent, accept):
        token = f"{agent['login']}:{agent['password']}".encode()
        return {
            "Authorization": "Basic " + base64.b64encode(token).decode(),
            "Accept": accept,
        }

    browser.get(f"/{manifest['site']}/@@search", status=200)
    print(mode, "started", rss(), "MB")
    site = manifest["site"]
    for agent in manifest["agents"]:
        browser.get(f"/{site}/@requests", headers=headers(agent, "application/json"))
        gc.collect()
        print(mode, agent["login"], "GET /@requests", rss(), "MB")
        for _ in range(2):
            csv = browser.get(
                f"/{site}/@requests-export", headers=headers(agent, "text/csv")
            )
            gc.collect()
            print(mode, agent["login"], "export", len(csv.body), "bytes", rss(), "MB")
    agent = manifest["agents"][0]
    times = []
    for _ in range(args.count):
        start = time.thread_time()
        browser.get(f"/{site}/@requests-export", headers=headers(agent, "text/csv"))
        times.append(time.thread_time() - start)
    print(
        mode,
        agent["login"],
        f"export CPU median {statistics.median(times) * 1000:.1f} ms,",
        f"min {min(times) * 1000:.1f} ms ({args.count} calls)",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

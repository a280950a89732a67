"""Time (and profile) one page against the Document view, in process.

Opens a benchmark site's Zope (its ``zope.conf``; the server must be
stopped: FileStorage is locked), logs a user of the site's manifest in as a
browser would (Plone's login form, a cookie; for ``--accept json`` a JWT
from ``POST /@login``, or HTTP basic auth with ``--auth basic``), then
publishes the page and the Document view (``/Plone/benchmark-document``,
created by ``run.py``) ``--count`` times each, interleaved, through the
whole WSGI publisher (PAS, traversal, transaction), and prints their median
times and the ratio::

    PYTHONPATH=src .venv/bin/python benchmarks/profile_page.py \\
        --conf /tmp/pages-bench/200/instance/etc/zope.conf \\
        --user citizen --path /Plone/@@mon-espace-compte --count 30 \\
        --profile /tmp/compte.html

``--user``: a login of the manifest (``var/generated.json`` beside the
instance), ``citizen`` or ``agent`` (the manifest's first), or
``anonymous``. ``--profile out.html`` then publishes the page ``--count``
times more under pyinstrument and writes its profile (``--text`` prints it
too); ``--profile-document`` does the same for the Document view, to tell
the page's own work from the chrome both share. The tool reports whether
the page's GETs wrote to the database (they must not).

``--cold N`` publishes the page and the Document ``N`` times more, each
after emptying every connection's ZODB cache, and prints the median number
of objects each loaded from the storage: what a request pays when the cache
is full and has evicted them (at 10,000 households, « Memory »), a count
that the machine's load does not move.
"""

from pathlib import Path

import argparse
import json
import statistics
import sys
import time


DOCUMENT = "/Plone/benchmark-document"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conf", required=True, help="the instance's zope.conf")
    parser.add_argument(
        "--manifest",
        help="the site's generated.json (default: <workdir>/<n>/var/generated.json)",
    )
    parser.add_argument(
        "--user", default="citizen", help="login, citizen, agent or anonymous"
    )
    parser.add_argument(
        "--password", help="the password of --user (a site without manifest)"
    )
    parser.add_argument(
        "--path",
        required=True,
        action="append",
        help="e.g. /Plone/@@mon-espace (repeat it to measure several pages)",
    )
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--accept", choices=("html", "json"), default="html")
    parser.add_argument(
        "--auth",
        choices=("cookie", "jwt", "basic"),
        help="default: cookie for html, jwt for json",
    )
    parser.add_argument("--document", default=DOCUMENT)
    parser.add_argument("--profile", help="write the page's pyinstrument profile")
    parser.add_argument("--profile-document", help="the same for the Document view")
    parser.add_argument("--text", action="store_true", help="print the profiles")
    parser.add_argument(
        "--cold",
        type=int,
        default=0,
        help="count the objects loaded with every ZODB cache emptied, N times",
    )
    parser.add_argument(
        "--save", help="write the page's first answer there (to compare versions)"
    )
    return parser.parse_args(argv)


def credentials(manifest, user, password=None):
    """``(login, password)`` of ``user`` in the manifest, None for anonymous."""
    if user == "anonymous":
        return None
    if password:
        return user, password
    citizens = manifest.get("citizens", [])
    agents = manifest.get("agents", [])
    if user == "citizen":
        return citizens[0]["login"], manifest["citizen_password"]
    if user == "agent":
        return agents[0]["login"], agents[0]["password"]
    for citizen in citizens:
        if citizen["login"] == user:
            return user, manifest["citizen_password"]
    for agent in agents:
        if agent["login"] == user:
            return user, agent["password"]
    sys.exit(f"{user}: not a citizen or an agent of the manifest")


def open_app(conf):
    """The site's WSGI application wrapped for tests (webtest)."""
    from Zope2.Startup.run import make_wsgi_app

    import webtest

    return webtest.TestApp(make_wsgi_app({}, str(conf)))


def log_in(app, site, login, password, auth):
    """Headers to send as ``login`` (the cookie is kept by ``app``)."""
    if auth == "basic":
        app.authorization = ("Basic", (login, password))
        return {}
    if auth == "jwt":
        response = app.post_json(
            f"{site}/@login",
            {"login": login, "password": password},
            headers={"Accept": "application/json"},
        )
        return {"Authorization": f"Bearer {response.json['token']}"}
    response = app.post(
        f"{site}/login",
        {
            "__ac_name": login,
            "__ac_password": password,
            "buttons.login": "Se connecter",
            "form.widgets.came_from": "",
        },
    )
    if "__ac" not in app.cookies:
        sys.exit(f"login of {login} refused ({response.status})")
    return {}


def last_transaction():
    import Zope2

    return Zope2.DB.lastTransaction()


def main(argv=None):
    args = parse_args(argv)
    conf = Path(args.conf).resolve()
    manifest_path = (
        Path(args.manifest) if args.manifest else conf.parents[2] / "var/generated.json"
    )
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    site = "/" + args.path[0].strip("/").split("/")[0]
    app = open_app(conf)
    headers = {"Accept": "application/json"} if args.accept == "json" else {}
    who = credentials(manifest, args.user, args.password)
    if who is not None:
        auth = args.auth or ("jwt" if args.accept == "json" else "cookie")
        headers.update(log_in(app, site, *who, auth))
    name = who[0] if who else "anonymous"
    for index, path in enumerate(args.path):
        suffix = f"-{index + 1}" if len(args.path) > 1 else ""
        measure(app, path, headers, name, args, suffix)
    return 0


def get(app, path, headers):
    """``(milliseconds, CPU milliseconds, response)`` of one GET through the
    publisher (the CPU time of this thread: less moved by the machine's
    other processes than the elapsed time)."""
    started, cpu = time.perf_counter(), time.thread_time()
    response = app.get(path, headers=headers, expect_errors=True)
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, (time.thread_time() - cpu) * 1000, response


def measure(app, path, headers, name, args, suffix=""):
    """Print the medians of ``path`` and of the Document, interleaved."""
    # The baseline as run.py has it: the Document's page for a page, its
    # REST GET (the same Accept and credentials) for a REST call.
    document = args.document
    *_, first = get(app, path, headers)
    print(f"{path} as {name}: HTTP {first.status_int}, {len(first.body)} bytes")
    if args.save:
        target = Path(args.save)
        target.with_name(f"{target.stem}{suffix}{target.suffix}").write_bytes(
            first.body
        )
    if first.status_int >= 400:
        print(first.text[:2000])
    for _ in range(args.warmup):
        get(app, path, headers)
        get(app, document, headers)
    page_times, doc_times, page_cpu, doc_cpu = [], [], [], []
    before = last_transaction()
    for i in range(args.count):
        pairs = [(path, page_times, page_cpu), (document, doc_times, doc_cpu)]
        for url, times, cpu in pairs if i % 2 else reversed(pairs):
            elapsed, used, _ = get(app, url, headers)
            times.append(elapsed)
            cpu.append(used)
    writes = last_transaction() != before
    page = statistics.median(page_times)
    base = statistics.median(doc_times)
    low, low_base = min(page_times), min(doc_times)
    cpu, cpu_base = statistics.median(page_cpu), statistics.median(doc_cpu)
    print(
        f"  page     median {page:7.1f} ms  (min {low:.1f}; CPU {cpu:.1f}; "
        f"n={args.count})"
    )
    print(
        f"  document median {base:7.1f} ms  (min {low_base:.1f}; CPU {cpu_base:.1f}; "
        f"n={args.count})"
    )
    print(
        f"  ratio    {page / base:.2f}  (min/min {low / low_base:.2f}; "
        f"CPU {cpu / cpu_base:.2f})"
    )
    print(f"  database written during the GETs: {'YES' if writes else 'no'}")
    if args.cold:
        page_loads = cold_loads(app, path, headers, args.cold)
        doc_loads = cold_loads(app, document, headers, args.cold)
        print(
            f"  cold caches: page {page_loads} objects loaded, document "
            f"{doc_loads} (medians of {args.cold})"
        )
    for target, url in ((args.profile, path), (args.profile_document, document)):
        if target:
            target = Path(target)
            target = target.with_name(f"{target.stem}{suffix}{target.suffix}")
            profile(app, url, headers, args.count, target, args.text)


def cold_loads(app, path, headers, count):
    """The median number of objects the storage gave one GET of ``path``
    published with every connection's cache emptied first (the connections'
    load counts; the activity monitor, which clears them, set aside)."""
    import Zope2

    db = Zope2.DB
    monitor = db.getActivityMonitor()
    db.setActivityMonitor(None)
    loads = []
    try:
        for _ in range(count):
            db.cacheMinimize()
            before = _storage_loads(db)
            app.get(path, headers=headers, expect_errors=True)
            loads.append(_storage_loads(db) - before)
    finally:
        db.setActivityMonitor(monitor)
    return int(statistics.median(loads))


def _storage_loads(db):
    found = []
    db._connectionMap(found.append)
    return sum(connection.getTransferCounts()[0] for connection in found)


def profile(app, path, headers, count, target, text):
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001, use_timing_thread=True)
    profiler.start()
    for _ in range(count):
        app.get(path, headers=headers, expect_errors=True)
    profiler.stop()
    Path(target).write_text(profiler.output_html())
    print(f"profile of {count} × {path}: {target}")
    if text:
        print(profiler.output_text(unicode=True, show_all=False))


if __name__ == "__main__":
    sys.exit(main())

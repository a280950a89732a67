"""The memory of an instance after ``benchmarks/run.py`` beside a bare Plone
instance's (docs/performance.md, « Memory »; issue #22, target 6).

- ``addon_instance(site, server)``: while run.py's instance still serves,
  its resident memory (psutil's RSS) and the count of requests it answered
  since it started (its access log);
- ``compare(workdir, addon)``: a bare Plone instance (``<workdir>/bare/``:
  rendered from the same templates, so the same threads and ZODB
  cache-size, on a FileStorage of its own; a Plone site made once by
  Plone's own site factory, the « classic » distribution, without the
  add-on, and the same Document as ``benchmark-document``) is started,
  answers as many anonymous Document views as the add-on's instance
  answered requests, then its RSS is read; the ratio
  add-on / bare, PASS when ≤ 1.5 (``TARGET``).

The bare instance does not load the add-on's code either
(``bare_instance.py``: plone.autoinclude without ``illkirch.eservices``).

On RelStorage (``run.py --storage relstorage``) both instances run on
PostgreSQL with the same ``render_instance.py`` options (``--cache-local-mb``):
the bare one in ``<workdir>/bare-relstorage/``, on a database of its own
(``eservices_bare_bare-relstorage_<hash of the folder>``), its site made once.

Not a script: imported by ``run.py``.
"""

from bench_site import ADMIN
from bench_site import render_command
from bench_site import run_logged
from datetime import UTC
from datetime import datetime
from errors import BenchError
from illkirch.eservices.cli.processes import ProcessError
from illkirch.eservices.cli.processes import ZopeProcess
from illkirch.eservices.cli.processes import free_port
from pathlib import Path
from paths import BENCHMARKS
from paths import PYTHON
from paths import ROOT
from progress import log
from relstorage_site import create_database
from relstorage_site import database_name

import os
import re
import requests
import time


TARGET = 1.5
# What sets both instances' memory besides their code and data, recorded
# with the figures: the ZODB caches' bounds (scripts/render_instance.py) and
# the C allocator (glibc's arenas, or jemalloc preloaded).
SETTINGS = (
    "ZODB_CACHE_SIZE",
    "ZODB_CACHE_SIZE_BYTES",
    "MALLOC_ARENA_MAX",
    "LD_PRELOAD",
)
ACCESS_TIME = re.compile(r"\[(\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\]")


def resident_mb(pid):
    """The resident set size of a process, in MiB."""
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def requests_since(access_log, since):
    """The lines of a translogger access log stamped at or after ``since``
    (a timestamp, seconds): the requests answered since then."""
    path = Path(access_log)
    if not path.exists():
        return 0
    count = 0
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            match = ACCESS_TIME.search(line)
            if match:
                stamp = datetime.strptime(match.group(1), "%d/%b/%Y:%H:%M:%S %z")
                if stamp.timestamp() >= int(since):
                    count += 1
    return count


def verdict(addon_mb, bare_mb, target=TARGET):
    """``(ratio, PASS|MISS)`` of the add-on instance's RSS over the bare's."""
    ratio = addon_mb / bare_mb
    return ratio, ("PASS" if ratio <= target else "MISS")


def cache_figures(page):
    """The ZODB figures of Zope's page ``/Control_Panel/Database/main``: the
    objects in the database, in memory (all connections' caches: the
    objects loaded, not ghosts) and per cache (``cache-size``), and each
    connection's ``(in memory, with ghosts)``."""

    def row(label):
        match = re.search(rf"<td>{label}</td>\s*<td[^>]*>([0-9]+)<", page)
        return int(match.group(1)) if match else None

    connections = re.findall(
        r"<td>[^<]*</td>\s*<td class=\"code\">([0-9]+)</td>\s*"
        r"<td class=\"code\">([0-9]+)</td>",
        page,
    )
    return {
        "objects_in_database": row("Total number of objects in the database"),
        "objects_in_memory": row("Total number of objects in memory from all caches"),
        "cache_size": row("Target number of objects in memory per cache"),
        "cache_size_bytes": row("Target memory size per cache in bytes"),
        "connections": [[int(a), int(b)] for a, b in connections],
    }


def zodb_cache(site_url):
    """``cache_figures`` of the instance serving ``site_url`` (as the Zope
    administrator), or None when the page does not answer."""
    root = site_url.rsplit("/", 1)[0]
    try:
        answer = requests.get(
            f"{root}/Control_Panel/Database/main/manage_main", auth=ADMIN, timeout=60
        )
    except requests.RequestException:
        return None
    return cache_figures(answer.text) if answer.status_code == 200 else None


def per_object_kb(addon, bare):
    """The memory an object in the caches costs, in KiB: the difference of
    the instances' RSS over the difference of their objects in memory."""
    objects = (addon.get("zodb") or {}).get("objects_in_memory")
    bare_objects = (bare.get("zodb") or {}).get("objects_in_memory")
    if not objects or bare_objects is None or objects <= bare_objects:
        return None
    return (addon["rss_mb"] - bare["rss_mb"]) * 1024 / (objects - bare_objects)


def addon_instance(site, server, var=None):
    """The add-on instance's RSS and requests answered, read while it runs
    (``var``: its folder of logs, the site's by default)."""
    import psutil

    pid = server.process.pid
    started = psutil.Process(pid).create_time()
    access_log = Path(var or site.var) / "log" / "access.log"
    return {
        "households": site.households,
        "rss_mb": resident_mb(pid),
        "requests": requests_since(access_log, started),
        "uptime_s": time.time() - started,
        "zodb": zodb_cache(server.url),
    }


class BareSite:
    """``<workdir>/bare/``: a Plone site without the add-on; with
    ``relstorage`` (the PostgreSQL server's DSN), ``<workdir>/bare-relstorage/``
    on a database of its own, rendered with ``render_args`` too."""

    def __init__(self, workdir, relstorage=None, render_args=()):
        self.relstorage = relstorage
        self.render_args = tuple(render_args)
        folder = "bare-relstorage" if relstorage else "bare"
        self.root = Path(workdir).resolve() / folder
        self.instance = self.root / "instance"
        self.var = self.root / "var"
        self.conf = self.instance / "etc" / "zope.conf"
        self.logfile = self.root / "bench.log"
        self.port = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/Plone"

    def prepare(self):
        """Render the instance (a free port), create the site once."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "ZODB_BACKEND"}
        command = render_command(self.instance, self.var, self.port)
        created = self.root / "site-created"
        if self.relstorage:
            name = database_name(self.root, prefix="eservices_bare")
            if create_database(self.relstorage, name):
                created.unlink(missing_ok=True)  # a new, empty database
            command += ["--zodb-backend", "relstorage"]
            command += ["--dsn", f"{self.relstorage} dbname={name}"]
        run_logged(
            [*command, *self.render_args],
            self.logfile,
            f"rendering the bare Plone instance {self.instance} (port {self.port})",
            env=env,
        )
        if not created.exists():
            run_logged(
                [
                    PYTHON,
                    BENCHMARKS / "bare_instance.py",
                    "create",
                    self.conf,
                    ":".join(ADMIN),
                ],
                self.logfile,
                "creating the bare Plone site (Plone's « classic » distribution)",
                env={**env, "PYTHONPATH": str(BENCHMARKS)},
            )
            created.write_text("yes\n")
        return self

    def server(self):
        path = os.pathsep.join((str(BENCHMARKS), str(ROOT / "src")))
        process = ZopeProcess(
            self.instance / "etc" / "zope.ini",
            self.url,
            self.logfile,
            env={"PYTHONPATH": path},
        )
        # runwsgi through bare_instance.py: without the add-on's ZCML
        process.command = [
            str(PYTHON),
            str(BENCHMARKS / "bare_instance.py"),
            "serve",
            str(self.instance / "etc" / "zope.ini"),
        ]
        return process


def document_views(url, count):
    """``count`` anonymous views of the baseline Document's page (a bare
    Plone does not open its REST API to anonymous users); raise on a wrong
    answer."""
    from baseline import DOC_TITLE
    from baseline import ensure_document

    doc = ensure_document(url)
    page = requests.Session()
    for _ in range(count):
        answer = page.get(doc, timeout=120)
        if answer.status_code != 200 or DOC_TITLE not in answer.text:
            raise BenchError(f"bare Plone: GET {doc} answered {answer.status_code}")


def compare(workdir, addon, relstorage=None, render_args=()):
    """Start the bare instance, give it as many Document views as the add-on
    instance answered requests, compare the RSS (see the module; the
    arguments after ``addon``: ``BareSite``'s)."""
    bare = BareSite(workdir, relstorage, render_args).prepare()
    server = bare.server()
    log(f"… starting the bare Plone instance on {bare.url}")
    try:
        server.start(timeout=300)
    except ProcessError as error:
        raise BenchError(str(error)) from error
    try:
        started = time.perf_counter()
        count = max(addon["requests"], 1)
        log(f"… {count} Document views on the bare Plone instance")
        document_views(bare.url, count)
        log(f"  done in {time.perf_counter() - started:.0f} s")
        bare_mb = resident_mb(server.process.pid)
        bare_zodb = zodb_cache(bare.url)
    finally:
        server.stop()
    ratio, result = verdict(addon["rss_mb"], bare_mb)
    bare_figures = {
        "rss_mb": bare_mb,
        "document_views": count,
        "site": str(bare.root),
        "zodb": bare_zodb,
    }
    return {
        "addon": addon,
        "bare": bare_figures,
        "per_object_kb": per_object_kb(addon, bare_figures),
        "ratio": ratio,
        "target": TARGET,
        "verdict": result,
        "settings": {name: os.environ.get(name) for name in SETTINGS},
        "storage": "relstorage" if relstorage else "filestorage",
        "render_args": list(render_args),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }

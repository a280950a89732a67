"""The prepared site of ``benchmarks/run.py`` on RelStorage, for the load
test's phases behind HAProxy (``benchmarks/load.py``).

- ``RelStorageCopy``: the FileStorage site (``<workdir>/<N>/var``) copied
  once, blobs included, into a PostgreSQL database of its own
  (``eservices_load_<N>_<hash of the workdir>``) with RelStorage's
  ``zodbconvert`` (history-free, like ``templates/storage/relstorage.conf``).
  The database remembers the manifest it was copied from (a table
  ``eservices_bench_source``): the copy is skipped when it already holds
  that site (same households, seed and generation), made again otherwise.
- ``relstorage_instances``: instances rendered from the repository's
  templates (``scripts/render_instance.py --zodb-backend relstorage``) on
  that database, each on a free loopback port, in
  ``<workdir>/<N>/relstorage/zope-<i>/``.

- ``pg_connect`` and ``create_database``: the server's databases, also for
  the bare Plone instance of ``memory.py`` on RelStorage.

PostgreSQL: ``--pg "host=127.0.0.1 port=5432 user=postgres"`` (trust
authentication; ``make postgres`` starts a throwaway server otherwise).
"""

from bench_site import run_logged
from bench_site import write_timing_ini
from errors import BenchError
from illkirch.eservices.cli.processes import ZopeProcess
from illkirch.eservices.cli.processes import free_port
from illkirch.eservices.testing.cluster import drop_database
from paths import BENCHMARKS
from paths import BIN
from paths import PYTHON
from paths import ROOT
from progress import log

import hashlib
import json
import os
import shutil


DEFAULT_PG = "host=127.0.0.1 port=5432 user=postgres"
SOURCE_TABLE = "eservices_bench_source"
MANIFEST_IDENTITY = ("households", "seed", "generated_at")


def render_args(cache_local_mb):
    """``render_instance.py``'s options for a pickle cache of
    ``cache_local_mb`` (none: the template's)."""
    return [] if cache_local_mb is None else ["--cache-local-mb", str(cache_local_mb)]


def database_name(root, prefix="eservices_load"):
    """A database of its own per prepared site (its folder)."""
    digest = hashlib.sha1(str(root).encode()).hexdigest()[:8]
    return f"{prefix}_{root.name}_{digest}"


def source_identity(manifest):
    """What says which site a database holds (from the site's manifest)."""
    return json.dumps({k: manifest.get(k) for k in MANIFEST_IDENTITY}, sort_keys=True)


def zodbconvert_config(data_fs, blobstorage, dsn, blob_cache):
    """``zodbconvert``'s configuration: the FileStorage to the RelStorage."""
    return f"""%import relstorage
<filestorage source>
  path {data_fs}
  blob-dir {blobstorage}
  read-only true
</filestorage>
<relstorage destination>
  keep-history false
  shared-blob-dir false
  blob-dir {blob_cache}
  <postgresql>
    dsn {dsn}
  </postgresql>
</relstorage>
"""


def pg_connect(server_dsn, dbname="postgres"):
    """An autocommit connection to a database of the server."""
    import psycopg2

    try:
        connection = psycopg2.connect(f"{server_dsn} dbname={dbname}")
    except psycopg2.OperationalError as error:
        raise BenchError(
            f"PostgreSQL ({server_dsn}): {error}(`make postgres` starts one)"
        ) from error
    connection.autocommit = True
    return connection


def database_exists(server_dsn, name):
    connection = pg_connect(server_dsn)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            return cursor.fetchone() is not None
    finally:
        connection.close()


def create_database(server_dsn, name, replace=False):
    """Create the database ``name``; return whether it was created. An
    existing one is kept, or dropped and made again with ``replace``."""
    exists = database_exists(server_dsn, name)
    if exists and not replace:
        return False
    connection = pg_connect(server_dsn)
    try:
        with connection.cursor() as cursor:
            if exists:
                drop_database(cursor, name)
            cursor.execute(f'CREATE DATABASE "{name}"')
            return True
    finally:
        connection.close()


class RelStorageCopy:
    """The site's database on PostgreSQL (see the module's docstring)."""

    def __init__(self, site, server_dsn=DEFAULT_PG):
        self.site = site
        self.server_dsn = server_dsn
        self.name = database_name(site.root)
        self.dsn = f"{server_dsn} dbname={self.name}"
        self.home = site.root / "relstorage"

    def _connect(self, dbname="postgres"):
        return pg_connect(self.server_dsn, dbname)

    def held(self):
        """The identity of the site the database holds, or None."""
        if not database_exists(self.server_dsn, self.name):
            return None
        connection = self._connect(self.name)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT to_regclass(%s)", (SOURCE_TABLE,))
                if cursor.fetchone()[0] is None:
                    return None
                cursor.execute(f"SELECT source FROM {SOURCE_TABLE}")  # noqa: S608
                row = cursor.fetchone()
                return row[0] if row else None
        finally:
            connection.close()

    def ensure(self, manifest):
        """Copy the site into the database unless it holds it already; return
        whether it copied."""
        identity = source_identity(manifest)
        if self.held() == identity:
            log(f"Reusing the site's copy in PostgreSQL (database {self.name})")
            return False
        create_database(self.server_dsn, self.name, replace=True)
        self.home.mkdir(parents=True, exist_ok=True)
        config = self.home / "zodbconvert.conf"
        config.write_text(
            zodbconvert_config(
                self.site.var / "filestorage" / "Data.fs",
                self.site.var / "blobstorage",
                self.dsn,
                self.home / "convert-blobcache",
            ),
            encoding="utf-8",
        )
        run_logged(
            [BIN / "zodbconvert", "--clear", config],
            self.site.logfile,
            f"copying the site into PostgreSQL (zodbconvert, database {self.name})",
        )
        connection = self._connect(self.name)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE TABLE {SOURCE_TABLE} (source text)")
                cursor.execute(
                    f"INSERT INTO {SOURCE_TABLE} VALUES (%s)",  # noqa: S608
                    (identity,),
                )
        finally:
            connection.close()
        return True

    def instances(self, count, threads=4, render_args=(), timing=False):
        """``count`` instances on the database (rendered again each time, on
        free ports), not started. ``render_args``: more options of
        ``render_instance.py`` (``--cache-local-mb 100``); ``timing``: served
        through ``zope-bench.ini``, with ``server_timing.py`` in front (as
        run.py's FileStorage instance)."""
        result = []
        env = {"PYTHONPATH": os.pathsep.join((str(BENCHMARKS), str(ROOT / "src")))}
        for number in range(1, count + 1):
            home = self.home / f"zope-{number}"
            port = free_port()
            run_logged(
                [
                    PYTHON,
                    ROOT / "scripts" / "render_instance.py",
                    "--instance",
                    home / "instance",
                    "--var",
                    home / "var",
                    "--http-host",
                    "127.0.0.1",
                    "--http-port",
                    port,
                    "--threads",
                    threads,
                    "--zodb-backend",
                    "relstorage",
                    "--dsn",
                    self.dsn,
                    "--jobs-backend",
                    "sqlite",
                    *render_args,
                ],
                self.site.logfile,
                f"rendering the RelStorage instance {home} (port {port})",
            )
            # the templates compiled by the FileStorage instance (Chameleon)
            shutil.copytree(
                self.site.var / "cache", home / "var" / "cache", dirs_exist_ok=True
            )
            ini = home / "instance" / "etc" / "zope.ini"
            if timing:
                write_timing_ini(ini, ini.with_name("zope-bench.ini"))
                ini = ini.with_name("zope-bench.ini")
            instance = ZopeProcess(
                ini,
                f"http://127.0.0.1:{port}/Plone",
                home / "runwsgi.log",
                env=env,
            )
            instance.port = port
            instance.var = home / "var"
            result.append(instance)
        return result

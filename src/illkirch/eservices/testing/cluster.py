"""Real Zope instances in subprocesses, for the system tests.

A throwaway PostgreSQL database, instances rendered from the repository's
templates (``scripts/render_instance.py``) on RelStorage, the demo site
created once with ``eservices-create-site``, and each instance served by
``runwsgi`` (``cli/processes.py``: in its own process group, so that it can
be stopped or killed like a crashed server). Used by
``tests/system/test_scale_out.py``, beside a ``MailSinkProcess``.
"""

from illkirch.eservices.cli.processes import WorkerProcess
from illkirch.eservices.cli.processes import ZeoProcess
from illkirch.eservices.cli.processes import ZopeProcess
from illkirch.eservices.cli.processes import child_env
from illkirch.eservices.cli.processes import free_port
from pathlib import Path

import os
import secrets
import subprocess
import sys


# The PostgreSQL server the tests use: ``make postgres`` makes sure one
# answers there (the machine's own, or a throwaway cluster).
SERVER_DSN = os.environ.get(
    "ESERVICES_TEST_PG", "host=127.0.0.1 port=5432 user=postgres"
)
ADMIN = ("admin", "Admin-Test-2026")


def _connect(dbname="postgres"):
    import psycopg2

    connection = psycopg2.connect(f"{SERVER_DSN} dbname={dbname}")
    connection.autocommit = True
    return connection


class Database:
    """A database of its own on the test server, dropped at the end."""

    def __init__(self, prefix="eservices_test"):
        self.name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
        self.dsn = f"{SERVER_DSN} dbname={self.name}"

    def create(self):
        connection = _connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            connection.close()
        return self

    def drop(self):
        connection = _connect()
        try:
            with connection.cursor() as cursor:
                drop_database(cursor, self.name)
        finally:
            connection.close()


def drop_database(cursor, name):
    """Drop the database ``name`` if it exists, its connections ended first
    (``cursor``: on another database of the server, in autocommit)."""
    cursor.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        (name,),
    )
    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def checkout_root():
    """The checkout holding this package (the folder of its setup.py), whose
    ``scripts/render_instance.py`` renders the instances."""
    for folder in Path(__file__).resolve().parents:
        if (folder / "setup.py").is_file() and (folder / "scripts").is_dir():
            return folder
    raise RuntimeError(f"{__file__} is not in a checkout of the repository")


class Instance(ZopeProcess):
    """One Zope instance (``runwsgi``) on RelStorage (or ``zodb_backend``),
    on a free port, its jobs on ``jobs_backend`` (``env``: more variables,
    e.g. ``JOBS_NAME``, for it and its workers)."""

    def __init__(
        self,
        name,
        workdir,
        dsn,
        threads=4,
        zodb_backend="relstorage",
        jobs_backend="sqlite",
        jobs_redis_url="redis://127.0.0.1:6379/0",
        env=None,
    ):
        self.name = name
        self.home = Path(workdir) / name
        self.port = free_port()
        self.home.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(checkout_root() / "scripts" / "render_instance.py"),
                "--instance",
                str(self.home / "instance"),
                "--var",
                str(self.home / "var"),
                "--http-host",
                "127.0.0.1",
                "--http-port",
                str(self.port),
                "--threads",
                str(threads),
                "--zodb-backend",
                zodb_backend,
                "--dsn",
                dsn,
                "--jobs-backend",
                jobs_backend,
                "--jobs-redis-url",
                jobs_redis_url,
            ],
            check=True,
            capture_output=True,
            env=child_env(),
        )
        self.zope_conf = self.home / "instance" / "etc" / "zope.conf"
        self.var = self.home / "var"
        self.jobs_env = dict(env or {})
        super().__init__(
            self.home / "instance" / "etc" / "zope.ini",
            f"http://127.0.0.1:{self.port}/Plone",
            self.home / "runwsgi.log",
            self.jobs_env,
        )

    def zeo(self):
        """The ZEO server of a ``zodb_backend="zeo"`` instance."""
        return ZeoProcess(
            self.home / "instance" / "etc" / "zeo.conf",
            self.var / "zeo.sock",
            self.home / "zeo.log",
        )

    def worker(self, name="worker", modules=(), env=None):
        """A jobs' worker on this instance's configuration."""
        return WorkerProcess(
            self.zope_conf,
            self.home / f"{name}.log",
            modules,
            env={**self.jobs_env, **(env or {})},
        )

    def create_site(self, smtp_port):
        """The demo site, created in the shared database through this instance's
        configuration (before any instance serves it)."""
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "illkirch.eservices.cli.site",
                "-c",
                str(self.zope_conf),
                "--admin",
                f"{ADMIN[0]}:{ADMIN[1]}",
                "--smtp-port",
                str(smtp_port),
            ],
            capture_output=True,
            text=True,
            env=child_env(**self.jobs_env),
            timeout=600,
        )
        if result.returncode:
            raise AssertionError(
                f"site creation failed:\n{result.stdout}\n{result.stderr}"
            )

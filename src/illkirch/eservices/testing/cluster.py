"""Real Zope instances in subprocesses, for the system tests.

A throwaway PostgreSQL database, instances rendered from the repository's
templates (``scripts/render_instance.py``) on RelStorage, the demo site
created once with ``eservices-create-site``, a local SMTP sink, and each
instance served by ``runwsgi`` in its own process group so that it can be
stopped or killed like a crashed server. Used by
``tests/system/test_scale_out.py``.
"""

from email import message_from_bytes
from email import policy
from illkirch.eservices.testing.layers import free_port
from pathlib import Path

import os
import requests
import secrets
import signal
import subprocess
import sys
import time


ROOT = Path(__file__).resolve().parents[4]
BIN = Path(sys.executable).parent
# The PostgreSQL server the tests use: ``make postgres`` makes sure one
# answers there (the machine's own, or a throwaway cluster).
SERVER_DSN = os.environ.get("ESERVICES_TEST_PG",
                            "host=127.0.0.1 port=5432 user=postgres")
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
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()", (self.name,))
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
        finally:
            connection.close()


def child_env():
    """The environment without the settings of a calling make (make test)."""
    return {key: value for key, value in os.environ.items()
            if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}


class MailSink:
    """``eservices-mailsink``: every message kept as an .eml file."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.port = free_port()

    def start(self):
        self.process = subprocess.Popen(
            [str(BIN / "eservices-mailsink"), "--dir", str(self.directory),
             "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            start_new_session=True, env=child_env())
        return self

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)

    def messages(self, recipient=None, subject=""):
        found = []
        for eml in sorted(self.directory.glob("*.eml")):
            message = message_from_bytes(eml.read_bytes(), policy=policy.default)
            if (recipient is None or message["To"] == recipient) and \
                    subject in str(message["Subject"]):
                found.append(message)
        return found


class Instance:
    """One Zope instance (``runwsgi``) on RelStorage, on a free port."""

    def __init__(self, name, workdir, dsn, threads=4):
        self.name = name
        self.home = Path(workdir) / name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/Plone"
        self.log = self.home / "runwsgi.log"
        self.process = None
        self.home.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "render_instance.py"),
             "--instance", str(self.home / "instance"), "--var", str(self.home / "var"),
             "--http-host", "127.0.0.1", "--http-port", str(self.port),
             "--threads", str(threads), "--zodb-backend", "relstorage", "--dsn", dsn],
            check=True, capture_output=True, env=child_env())
        self.zope_conf = self.home / "instance" / "etc" / "zope.conf"

    def create_site(self, smtp_port):
        """The demo site, created in the shared database through this instance's
        configuration (before any instance serves it)."""
        result = subprocess.run(
            [str(BIN / "eservices-create-site"), "-c", str(self.zope_conf),
             "--admin", f"{ADMIN[0]}:{ADMIN[1]}", "--smtp-port", str(smtp_port)],
            capture_output=True, text=True, env=child_env(), timeout=600)
        if result.returncode:
            raise AssertionError(f"site creation failed:\n{result.stdout}\n{result.stderr}")

    def start(self, timeout=180):
        self.process = subprocess.Popen(
            [str(BIN / "runwsgi"), str(self.home / "instance" / "etc" / "zope.ini")],
            stdout=self.log.open("a"), stderr=subprocess.STDOUT,
            start_new_session=True, env=child_env())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{self.log.read_text()}")
            try:
                if requests.get(self.url, timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise AssertionError(f"no answer from {self.url}:\n{self.log.read_text()}")

    def running(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL: a crash, nothing flushed, no clean shutdown."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if not self.running():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()

"""The portal's servers as subprocesses, for the system tests and the
benchmarks: a Zope instance (``runwsgi``), the mail sink
(``eservices-mailsink``), a ZEO server (``runzeo``) and a jobs' worker
(``eservices-worker``).

Each runs in its own process group, so that stopping it stops all it started
(SIGTERM, then SIGKILL after a delay) and killing it is a crash; its output
is appended to a log file. ``start()`` returns once the server answers.
"""

from http.client import HTTPException
from illkirch.eservices.cli.mailsink import read_messages
from pathlib import Path
from urllib.request import Request
from urllib.request import urlopen

import json
import os
import signal
import socket
import subprocess
import sys
import time


BIN = Path(sys.executable).parent
MAKE_VARIABLES = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")


class ProcessError(RuntimeError):
    """A server that exited, or did not answer in time."""


def free_port(host="127.0.0.1"):
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def child_env(**extra):
    """The environment without the settings of a calling make (make test),
    with ``extra`` variables."""
    env = {key: value for key, value in os.environ.items() if key not in MAKE_VARIABLES}
    return {**env, **extra}


def listening(port, host="127.0.0.1"):
    """Whether a server accepts connections on ``port``."""
    try:
        socket.create_connection((host, port), 1).close()
    except OSError:
        return False
    return True


def answering(url, timeout=10):
    """Whether ``url`` answers 200 (after redirections)."""
    try:
        with urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (OSError, HTTPException):
        return False


class Process:
    """A command in its own process group, its output appended to ``log``
    (discarded without one), ``env`` added to the caller's environment, run
    in ``cwd`` (the caller's without one)."""

    def __init__(self, command, log=None, env=None, cwd=None):
        self.command = [str(part) for part in command]
        self.log = Path(log) if log else None
        self.env = env or {}
        self.cwd = cwd
        self.process = None

    def start(self):
        if self.log is None:
            out = subprocess.DEVNULL
        else:
            out = self.log.open("a", encoding="utf-8")
            out.write(f"\n$ {' '.join(self.command)}\n")
            out.flush()
        try:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=child_env(**self.env),
            )
        finally:
            if out is not subprocess.DEVNULL:
                out.close()  # the child has its own copy
        return self

    def running(self):
        return self.process is not None and self.process.poll() is None

    def wait_until(self, ready, timeout, what, interval=0.5):
        """Return once ``ready()``; raise ProcessError if the process exits or
        ``timeout`` seconds pass (then it is stopped)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                raise ProcessError(f"{what} exited{self.log_tail()}")
            if ready():
                return
            time.sleep(interval)
        state = self.state()
        self.stop()
        raise ProcessError(
            f"{what} did not answer in {timeout} s ({state}){self.log_tail()}"
        )

    def state(self):
        """What the kernel says the process is doing (``/proc``): its state
        and the kernel function it waits in, for the message of a timeout."""
        proc = Path(f"/proc/{self.process.pid}")
        try:
            status = (proc / "status").read_text().splitlines()
            wchan = (proc / "wchan").read_text().strip() or "-"
        except OSError:
            return "state unknown"
        state = next((line for line in status if line.startswith("State:")), "")
        return f"{state.removeprefix('State:').strip()}, waiting in {wchan}"

    def log_tail(self, size=5000):
        if self.log is None or not self.log.exists():
            return ""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return f"; end of {self.log}:\n{text[-size:]}"

    def kill(self):
        """SIGKILL: a crash, nothing flushed, no clean shutdown."""
        if self.running():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self, timeout=60):
        """SIGTERM, then SIGKILL if the process is still there after
        ``timeout`` seconds."""
        if not self.running():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class MailSinkProcess(Process):
    """``eservices-mailsink``: every message kept as an .eml file in
    ``directory``."""

    def __init__(self, directory, port=None, log=None):
        self.directory = Path(directory)
        self.port = port or free_port()
        super().__init__(
            [BIN / "eservices-mailsink", "--dir", self.directory, "--port", self.port],
            log,
        )

    def start(self, timeout=30):
        super().start()
        self.wait_until(
            lambda: listening(self.port),
            timeout,
            f"the mail sink on port {self.port}",
            interval=0.2,
        )
        return self

    def messages(self, recipient=None, subject=""):
        """The messages kept, oldest first, to ``recipient`` if given, whose
        subject holds ``subject``."""
        return [
            message
            for message in read_messages(self.directory)
            if (recipient is None or message["To"] == recipient)
            and subject in str(message["Subject"])
        ]


class ZopeProcess(Process):
    """``runwsgi <ini>``: a Zope instance, started once ``url`` answers."""

    def __init__(self, ini, url, log, env=None):
        super().__init__([BIN / "runwsgi", ini], log, env)
        self.url = url

    def start(self, timeout=300):
        super().start()
        self.wait_until(lambda: answering(self.url), timeout, f"Zope on {self.url}")
        return self


class ZeoProcess(Process):
    """``runzeo -C <zeo.conf>`` (written by render_instance.py for
    ``--zodb-backend zeo``), started once its Unix socket ``address`` exists."""

    def __init__(self, zeo_conf, address, log=None):
        self.address = Path(address)
        super().__init__([BIN / "runzeo", "-C", zeo_conf], log)

    def start(self, timeout=60):
        self.address.unlink(missing_ok=True)
        super().start()
        self.wait_until(
            self.address.exists, timeout, f"ZEO on {self.address}", interval=0.2
        )
        return self


class WorkerProcess(Process):
    """``eservices-worker -c <zope.conf>`` (run as ``python -m``, the same
    interpreter and path as the caller), started once it consumes the
    queue (its log says so). ``modules``: more modules of tasks to load."""

    READY = "Huey consumer started"

    def __init__(self, zope_conf, log, modules=(), threads=1, env=None):
        command = [
            sys.executable,
            "-m",
            "illkirch.eservices.cli.worker",
            "-c",
            zope_conf,
            "--threads",
            threads,
        ]
        for module in modules:
            command += ["--import", module]
        super().__init__(command, log, env)

    def start(self, timeout=300):
        offset = self.log.stat().st_size if self.log.exists() else 0

        def ready():
            with self.log.open(encoding="utf-8", errors="replace") as log:
                log.seek(offset)
                return self.READY in log.read()

        super().start()
        self.wait_until(ready, timeout, "the worker", interval=0.5)
        return self


# The local OpenID Connect provider configured as FranceConnect (oidc/, #20):
# the project's checkout, or ESERVICES_OIDC_DIR.
OIDC_DIR = Path(
    os.environ.get("ESERVICES_OIDC_DIR") or Path(__file__).resolve().parents[4] / "oidc"
)
OIDC_CLIENT_ID = "illkirch-eservices"
OIDC_CLIENT_SECRET = "illkirch-eservices-secret"  # noqa: S105 (a test provider's)


def install_oidc_provider(directory=OIDC_DIR):
    """``npm ci`` in ``directory`` when its oidc-provider is not installed."""
    if not (Path(directory) / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=directory, check=True
        )


class OidcProviderProcess(Process):
    """``node oidc/server.js``: the local FranceConnect (docs/franceconnect.md)
    on ``port``, its client allowed to come back to ``redirect_uris``;
    ``issuer`` is its address (``…/api/v2``). ``test_switches``: ``tamper``
    may spoil its next ID token (the tests of the refusals)."""

    def __init__(
        self,
        port=None,
        redirect_uris=(),
        post_logout_uris=(),
        log=None,
        test_switches=False,
    ):
        self.redirect_uris = list(redirect_uris)
        self.post_logout_uris = list(post_logout_uris)
        self.test_switches = test_switches
        super().__init__([], log, cwd=OIDC_DIR)
        self.listen_on(port or free_port())

    def listen_on(self, port):
        self.port = port
        self.issuer = f"http://localhost:{port}/api/v2"
        command = [
            "node",
            OIDC_DIR / "server.js",
            "--port",
            port,
            "--client-id",
            OIDC_CLIENT_ID,
            "--client-secret",
            OIDC_CLIENT_SECRET,
        ]
        for uri in self.redirect_uris:
            command += ["--redirect-uri", uri]
        for uri in self.post_logout_uris:
            command += ["--post-logout-redirect-uri", uri]
        if self.test_switches:
            command.append("--test-switches")
        self.command = [str(part) for part in command]

    def start(self, timeout=60, attempts=2):
        """Start, and once more on another free port if the provider exits
        or does not answer (a port taken meanwhile, a stalled start: seen
        once in CI); ``issuer`` and ``port`` are then the new ones."""
        install_oidc_provider()
        for attempt in range(1, attempts + 1):
            super().start()
            health = f"http://127.0.0.1:{self.port}/health"
            try:
                self.wait_until(
                    lambda: answering(health, timeout=2),  # noqa: B023 (called here)
                    timeout,
                    f"the OpenID Connect provider on port {self.port}",
                    interval=0.2,
                )
            except ProcessError:
                self.stop()
                if attempt == attempts:
                    raise
                self.listen_on(free_port())
            else:
                return self

    def tamper(self, how):
        """Spoil the next ID token: ``nonce`` (another one), ``key`` (signed
        by a key the provider does not publish) or ``expired``."""
        request = Request(
            f"http://127.0.0.1:{self.port}/test/tamper?next={how}", method="POST"
        )
        with urlopen(request, timeout=10) as response:
            if response.status != 200:
                raise ProcessError(f"the provider refused to tamper with {how}")

    def ended_sessions(self):
        """How many sessions its ``end_session_endpoint`` ended."""
        url = f"http://127.0.0.1:{self.port}/test/ended-sessions"
        with urlopen(url, timeout=10) as response:
            return json.loads(response.read())["ended"]

"""ClamAV's daemon on the project's tiny signature database (the EICAR
test string, ``antivirus/signatures/``): for ``make start`` beside the demo
site, and as a subprocess (``ClamdProcess``) for the tests and the
benchmark.

    python -m illkirch.eservices.cli.clamd --dir var/clamd --port 3310

writes ``var/clamd/clamd.conf`` (Unix socket ``var/clamd/clamd.sock``, TCP
``127.0.0.1:3310``, log ``clamd.log``) and becomes ``clamd`` in the
foreground. ``clamd`` is Debian's ``clamav-daemon`` (``make clamav``);
``ESERVICES_CLAMD`` names another binary. Production runs Debian's own
service with ``freshclam``'s signatures (docs/deployment.md).
"""

from illkirch.eservices.antivirus.daemon import render_config
from illkirch.eservices.antivirus.scanner import Scanner
from illkirch.eservices.antivirus.signatures import DATABASE
from illkirch.eservices.cli.processes import Process
from illkirch.eservices.cli.processes import free_port
from pathlib import Path

import argparse
import os
import shutil
import signal
import sys


SBIN = ("/usr/sbin", "/usr/local/sbin")  # clamd is there, off a user's PATH


def find_clamd():
    """The ``clamd`` binary, ``None`` when it is not installed."""
    if os.environ.get("ESERVICES_CLAMD"):
        return os.environ["ESERVICES_CLAMD"]
    path = os.pathsep.join([os.environ.get("PATH", ""), *SBIN])
    return shutil.which("clamd", path=path)


class ClamdProcess(Process):
    """``clamd`` in ``directory`` (its configuration, log and pid there), on
    the Unix socket ``<directory>/clamd.sock`` (``socket=False``: none) and,
    with ``tcp=True``, on a free TCP port of 127.0.0.1 (``tcp_port``);
    started once it answers PING. ``scanner()`` gives a Scanner on it."""

    def __init__(
        self,
        directory,
        socket=True,
        tcp=False,
        tcp_port=None,
        database=DATABASE,
        stream_max_length="25M",
    ):
        clamd = find_clamd()
        if clamd is None:
            raise FileNotFoundError(
                "clamd is not installed: make clamav (Debian's clamav-daemon)"
            )
        self.directory = Path(directory)
        self.socket = self.directory / "clamd.sock" if socket else None
        self.tcp_port = (tcp_port or free_port()) if tcp or tcp_port else None
        self.config = render_config(
            self.directory,
            socket=self.socket,
            tcp_port=self.tcp_port,
            database=database,
            stream_max_length=stream_max_length,
        )
        super().__init__(
            [clamd, "--config-file", self.config], self.directory / "clamd.out"
        )

    def scanner(self, transport=None, **options):
        """A Scanner on its Unix socket (``transport="unix"``, the default
        when it has one) or on its TCP port (``"tcp"``)."""
        if transport is None:
            transport = "unix" if self.socket else "tcp"
        if transport == "unix":
            return Scanner(socket=self.socket, **options)
        return Scanner(host="127.0.0.1", port=self.tcp_port, **options)

    def start(self, timeout=60):
        if self.socket is not None:
            self.socket.unlink(missing_ok=True)
        super().start()
        scanner = self.scanner(timeout=2)
        self.wait_until(scanner.ping, timeout, f"clamd ({self.config})", interval=0.1)
        return self

    def log_tail(self, size=5000):
        log = self.directory / "clamd.log"
        tail = super().log_tail(size)
        if log.exists():
            tail += f"; end of {log}:\n{log.read_text(errors='replace')[-size:]}"
        return tail

    def freeze(self):
        """SIGSTOP: the daemon still accepts connections (the kernel's
        backlog) but answers nothing (a hung daemon, for the tests)."""
        if self.running():
            os.killpg(self.process.pid, signal.SIGSTOP)

    def thaw(self):
        if self.running():
            os.killpg(self.process.pid, signal.SIGCONT)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", default="var/clamd", help="its configuration, log")
    parser.add_argument("--port", type=int, help="also listen on 127.0.0.1:PORT")
    parser.add_argument("--stream-max-length", default="25M")
    args = parser.parse_args(argv)
    clamd = find_clamd()
    if clamd is None:
        sys.exit("clamd is not installed: make clamav (Debian's clamav-daemon)")
    directory = Path(args.dir).resolve()
    socket = directory / "clamd.sock"
    socket.unlink(missing_ok=True)
    config = render_config(
        directory,
        socket=socket,
        tcp_port=args.port,
        stream_max_length=args.stream_max_length,
    )
    print(
        f"clamd on unix://{socket}",
        f"and tcp://127.0.0.1:{args.port}" * bool(args.port),
    )
    sys.stdout.flush()
    os.execv(clamd, [clamd, "--config-file", str(config)])


if __name__ == "__main__":
    main()

"""A local SMTP server that keeps every message as a readable ``.eml`` file.

Used beside Zope by ``make start`` (so that a newcomer reads the portal's
emails offline under ``var/mail/``), by the test layers (so that tests read
what the portal really sent over SMTP) and, as a subprocess, by the system
tests and the benchmarks (``cli/processes.py``).

    eservices-mailsink --dir var/mail --port 8025
"""

from aiosmtpd.controller import Controller
from datetime import datetime
from email import message_from_bytes
from email import policy
from pathlib import Path

import argparse
import itertools
import signal
import sys
import threading


def read_messages(directory):
    """The messages a sink kept in ``directory``, oldest first."""
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(Path(directory).glob("*.eml"))
    ]


class EmlWriter:
    """aiosmtpd handler writing each message received to ``directory``."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            number = next(self._counter)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = self.directory / f"{stamp}-{number:04d}.eml"
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        # Keep the SMTP envelope next to the headers, as a mail server would.
        header = (
            f"X-Envelope-From: {envelope.mail_from}\r\n"
            f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(header + data)
        tmp.rename(path)  # readers never see a half-written file
        return "250 Message accepted for delivery"


class MailSink:
    """An SMTP sink running in a background thread."""

    def __init__(self, directory, host="127.0.0.1", port=8025):
        self.directory = Path(directory)
        self.controller = Controller(EmlWriter(directory), hostname=host, port=port)

    @property
    def host(self):
        return self.controller.hostname

    @property
    def port(self):
        return self.controller.port

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def messages(self):
        """The messages received so far, oldest first."""
        return read_messages(self.directory)

    def clear(self):
        for path in self.directory.glob("*.eml"):
            path.unlink()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", default="var/mail", help="where .eml files go")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    args = parser.parse_args(argv)

    sink = MailSink(args.dir, host=args.host, port=args.port).start()
    print(
        f"SMTP sink on {args.host}:{args.port}, messages in {args.dir}/",
        flush=True,
    )
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    sink.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

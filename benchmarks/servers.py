"""A benchmark's servers as subprocesses (``illkirch.eservices.cli.processes``):
the site's mail sink and its Zope instance, stopped on exit."""

from errors import BenchError
from illkirch.eservices.cli.processes import MailSinkProcess
from illkirch.eservices.cli.processes import ProcessError
from illkirch.eservices.cli.processes import ZopeProcess
from paths import BENCHMARKS
from paths import ROOT
from progress import log

import os
import signal
import sys
import time


def exit_on_sigterm():
    """SIGTERM ends the benchmark like Ctrl-C: the ``finally`` blocks and the
    context managers stop the server and the mail sink."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


class MailSink(MailSinkProcess):
    """The site's mail sink, on the port its registry knows."""

    def __init__(self, site):
        super().__init__(site.var / "mail", site.smtp_port, site.logfile)

    def start(self):
        try:
            return super().start()
        except ProcessError as error:
            raise BenchError(str(error)) from error


class Server(ZopeProcess):
    """``runwsgi zope-bench.ini``: the instance with its default threads.

    The add-on is imported from this repository's ``src`` (first on
    PYTHONPATH): the shared virtualenv's editable install may point to
    another checkout, whose code would be measured instead."""

    def __init__(self, site):
        path = os.pathsep.join((str(BENCHMARKS), str(ROOT / "src")))
        super().__init__(site.ini, site.url, site.logfile, env={"PYTHONPATH": path})

    def start(self):
        log(f"… starting Zope on {self.url}")
        started = time.monotonic()
        try:
            super().start(timeout=300)
        except ProcessError as error:
            raise BenchError(str(error)) from error
        log(f"  up in {time.monotonic() - started:.1f} s")
        return self

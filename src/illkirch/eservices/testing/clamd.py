"""ClamAV's daemon for the tests (#21): ``CLAMD_FIXTURE`` starts one real
``clamd`` (``cli/clamd.py``'s ``ClamdProcess``) on the project's tiny
signature database, on a Unix socket and a TCP port in a temporary
directory, once for every test of the layer; ``self['clamd']`` is the
process (``scanner("unix")``, ``scanner("tcp")``). Its ``StreamMaxLength``
is ``STREAM_MAX_LENGTH``. Tests that stop or freeze a daemon start their
own (``private_clamd``).
"""

from illkirch.eservices.cli.clamd import ClamdProcess
from plone.testing import Layer

import contextlib
import tempfile


STREAM_MAX_LENGTH = 8 * 1024 * 1024


@contextlib.contextmanager
def private_clamd(**options):
    """A ``ClamdProcess`` of the test's own (Unix socket and TCP), stopped
    and its directory removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="eservices-clamd-") as directory:
        process = ClamdProcess(directory, tcp=True, **options).start()
        try:
            yield process
        finally:
            process.thaw()  # a frozen daemon does not stop
            process.stop()


class ClamdLayer(Layer):
    def setUp(self):
        self._dir = tempfile.TemporaryDirectory(prefix="eservices-clamd-")
        self["clamd"] = ClamdProcess(
            self._dir.name, tcp=True, stream_max_length=STREAM_MAX_LENGTH
        ).start()

    def tearDown(self):
        self["clamd"].stop()
        del self["clamd"]
        self._dir.cleanup()


CLAMD_FIXTURE = ClamdLayer()

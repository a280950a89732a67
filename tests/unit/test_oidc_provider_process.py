"""The local OpenID Connect provider's process (``OidcProviderProcess``):
when its port is taken between ``free_port()`` and node's ``listen`` (or the
start stalls, seen once in CI), it starts again on another free port, and
its ``issuer`` follows; after the last attempt the error names the port and
the process's state."""

from illkirch.eservices.cli.processes import OidcProviderProcess
from illkirch.eservices.cli.processes import Process
from illkirch.eservices.cli.processes import ProcessError
from pathlib import Path

import json
import socket
import tempfile
import unittest
import urllib.request


def taken_port():
    """A socket listening on a free port of 127.0.0.1: node cannot listen
    there."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


class TestOidcProviderStart(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.taken = taken_port()
        self.addCleanup(self.taken.close)
        self.port = self.taken.getsockname()[1]

    def test_a_taken_port_is_left_for_another(self):
        provider = OidcProviderProcess(port=self.port, log=f"{self.dir.name}/oidc.log")
        provider.start()
        self.addCleanup(provider.stop)
        self.assertNotEqual(provider.port, self.port)
        self.assertIn(str(provider.port), provider.command)
        url = f"{provider.issuer}/.well-known/openid-configuration"
        with urllib.request.urlopen(url, timeout=10) as response:
            self.assertEqual(json.load(response)["issuer"], provider.issuer)
        log = Path(self.dir.name, "oidc.log").read_text(encoding="utf-8")
        self.assertIn("EADDRINUSE", log)

    def test_the_last_attempt_raises(self):
        provider = OidcProviderProcess(port=self.port, log=f"{self.dir.name}/oidc.log")
        with self.assertRaises(ProcessError) as raised:
            provider.start(attempts=1)
        self.assertIn(f"on port {self.port} exited", str(raised.exception))
        self.assertFalse(provider.running())


class TestTimeout(unittest.TestCase):
    def test_the_message_tells_what_the_process_waits_in(self):
        process = Process(["sleep", "60"]).start()
        self.addCleanup(process.stop)
        with self.assertRaises(ProcessError) as raised:
            process.wait_until(lambda: False, 0.5, "sleep", interval=0.1)
        self.assertRegex(
            str(raised.exception),
            r"^sleep did not answer in 0.5 s \(S \(sleeping\), waiting in \w+\)",
        )
        self.assertFalse(process.running())

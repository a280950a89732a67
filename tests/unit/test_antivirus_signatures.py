"""The project's tiny signature database (#21): one ClamAV ``.ndb``
signature that encodes exactly the EICAR test string; the clamd
configuration written from its template; the scanner's addresses."""

from illkirch.eservices.antivirus import daemon
from illkirch.eservices.antivirus import signatures
from illkirch.eservices.antivirus.scanner import Scanner

import hashlib
import tempfile
import unittest


class TestEicarDatabase(unittest.TestCase):
    def test_eicar_is_the_standard_test_file(self):
        # the 68 bytes published by eicar.org, known by their MD5
        self.assertEqual(len(signatures.EICAR), 68)
        self.assertEqual(
            hashlib.md5(signatures.EICAR).hexdigest(), signatures.EICAR_MD5
        )
        self.assertTrue(signatures.EICAR.startswith(b"X5O!P%@AP[4\\PZX54"))
        self.assertTrue(signatures.EICAR.endswith(b"-TEST-FILE!$H+H*"))

    def test_ndb_file_encodes_exactly_eicar_anywhere_in_any_file(self):
        text = signatures.NDB.read_text(encoding="ascii")
        self.assertEqual(text, signatures.ndb_text())
        self.assertEqual(text.count("\n"), 1, "one signature")
        name, target, offset, pattern = text.strip().split(":")
        self.assertEqual(name, "Eicar-Test-Signature-Local")
        self.assertEqual(target, "0")  # any file type
        self.assertEqual(offset, "*")  # anywhere in the file
        self.assertEqual(bytes.fromhex(pattern), signatures.EICAR)
        # the database directory holds that file only (clamd loads them all)
        self.assertEqual([p.name for p in signatures.DATABASE.iterdir()], ["eicar.ndb"])

    def test_source_does_not_carry_the_test_string(self):
        # no antivirus on a developer's machine flags the project's sources
        source = signatures.__file__
        with open(source, "rb") as f:
            self.assertNotIn(signatures.EICAR, f.read())


class TestClamdConfig(unittest.TestCase):
    def test_config_lists_database_sockets_and_limit(self):
        with tempfile.TemporaryDirectory() as directory:
            path = daemon.render_config(
                directory,
                socket=f"{directory}/clamd.sock",
                tcp_port=3399,
                stream_max_length="2M",
            )
            lines = path.read_text().splitlines()
        self.assertIn(f"DatabaseDirectory {signatures.DATABASE}", lines)
        self.assertIn(f"LocalSocket {directory}/clamd.sock", lines)
        self.assertIn("TCPSocket 3399", lines)
        self.assertIn("TCPAddr 127.0.0.1", lines)
        self.assertIn("Foreground yes", lines)
        self.assertIn("StreamMaxLength 2M", lines)
        self.assertIn(f"LogFile {directory}/clamd.log", lines)

    def test_config_needs_somewhere_to_listen(self):
        with tempfile.TemporaryDirectory() as directory:
            with self.assertRaises(ValueError):
                daemon.render_config(directory)


class TestScannerAddress(unittest.TestCase):
    def test_addresses(self):
        for address, socket, host, port in (
            ("/run/clamav/clamd.ctl", "/run/clamav/clamd.ctl", None, None),
            ("unix:///run/clamav/clamd.ctl", "/run/clamav/clamd.ctl", None, None),
            ("127.0.0.1:3310", None, "127.0.0.1", 3310),
            ("tcp://clamav.internal:3310", None, "clamav.internal", 3310),
            ("tcp://[::1]:3310", None, "::1", 3310),
        ):
            scanner = Scanner.from_address(address, timeout=5)
            self.assertEqual(
                (scanner.socket, scanner.host, scanner.port, scanner.timeout),
                (socket, host, port, 5),
                address,
            )

    def test_refused_addresses(self):
        for address in ("clamav", "tcp://clamav", "host:port", ":3310"):
            with self.assertRaises(ValueError, msg=address):
                Scanner.from_address(address)
        with self.assertRaises(ValueError):
            Scanner()
        with self.assertRaises(ValueError):
            Scanner(socket="/s", host="h", port=1)
        with self.assertRaises(ValueError):
            Scanner(host="h")

    def test_only_bytes_or_binary_files(self):
        with self.assertRaises(TypeError):
            Scanner(socket="/nowhere").scan("some text")

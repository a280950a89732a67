"""Scanning against the real ClamAV daemon (#21): ``clamd`` from Debian's
clamav-daemon on the project's tiny signature database, reached over its
Unix socket and over TCP (``testing/clamd.py``)."""

from illkirch.eservices.antivirus import scanner as scanning
from illkirch.eservices.antivirus.scanner import Scanner
from illkirch.eservices.antivirus.signatures import EICAR
from illkirch.eservices.antivirus.signatures import NAME
from illkirch.eservices.antivirus.signatures import reported_name
from illkirch.eservices.requests.attachments import check_attachment
from illkirch.eservices.testing import files
from illkirch.eservices.testing.clamd import CLAMD_FIXTURE
from illkirch.eservices.testing.clamd import STREAM_MAX_LENGTH
from illkirch.eservices.testing.clamd import private_clamd
from io import BytesIO
from pypdf import PdfReader

import hashlib
import socketserver
import threading
import time
import unittest


SIGNATURE = reported_name(NAME)
TRANSPORTS = ("unix", "tcp")


class CountingReader:
    """A binary file that says how it was read (streamed, not slurped)."""

    def __init__(self, data):
        self.file = BytesIO(data)
        self.reads = []

    def read(self, size=-1):
        chunk = self.file.read(size)
        self.reads.append(size)
        return chunk


class TestScanning(unittest.TestCase):
    layer = CLAMD_FIXTURE

    def scanners(self, **options):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                yield self.layer["clamd"].scanner(transport, **options)

    def test_ping_and_version(self):
        for scanner in self.scanners():
            self.assertIs(scanner.ping(), True)
            self.assertTrue(scanner.version().startswith("ClamAV 1."))

    def test_clean_bytes_are_clean(self):
        data = "Justificatif de domicile — 12 rue du Général".encode()
        for scanner in self.scanners():
            result = scanner.scan(data)
            self.assertEqual(result.status, scanning.CLEAN)
            self.assertTrue(result.clean)
            self.assertFalse(result.retry)
            self.assertIsNone(result.signature)
            self.assertEqual(result.sha256, hashlib.sha256(data).hexdigest())
            self.assertEqual(result.size, len(data))
        self.assertTrue(self.layer["clamd"].scanner().scan(files.pdf()).clean)

    def test_pdf_carrying_eicar_is_infected(self):
        data = files.infected_pdf()
        # a valid PDF: it passes the uploads' type check, a reader opens it
        self.assertEqual(
            check_attachment("justificatif.pdf", data),
            ("justificatif.pdf", "application/pdf"),
        )
        self.assertEqual(len(PdfReader(BytesIO(data)).pages), 1)
        self.assertNotEqual(data[:68], EICAR)  # found inside, not at the start
        for scanner in self.scanners():
            result = scanner.scan(data)
            self.assertEqual(result.status, scanning.INFECTED)
            self.assertTrue(result.infected)
            self.assertFalse(result.clean)
            self.assertEqual(result.signature, SIGNATURE)
            self.assertEqual(result.sha256, hashlib.sha256(data).hexdigest())
            self.assertEqual(result.size, len(data))

    def test_large_stream_sent_in_chunks(self):
        size = 6 * 1024 * 1024  # under the daemon's StreamMaxLength (8 MiB)
        chunk = 64 * 1024
        data = bytes(range(256)) * (size // 256)
        for scanner in self.scanners(chunk_size=chunk):
            reader = CountingReader(data)
            result = scanner.scan(reader)
            self.assertEqual(result.status, scanning.CLEAN)
            self.assertEqual(result.size, size)
            self.assertEqual(result.sha256, hashlib.sha256(data).hexdigest())
            self.assertEqual(set(reader.reads), {chunk})
            self.assertEqual(len(reader.reads), size // chunk + 1)
        # the string across two chunks, at the end of a large stream: found
        at = size - chunk - 30
        infected = data[:at] + EICAR + data[at + len(EICAR) :]
        for scanner in self.scanners(chunk_size=chunk):
            result = scanner.scan(BytesIO(infected))
            self.assertEqual((result.status, result.signature), ("infected", SIGNATURE))

    def test_beyond_stream_max_length_is_too_large_never_clean(self):
        data = b"\0" * (STREAM_MAX_LENGTH + 1024 * 1024)
        for scanner in self.scanners():
            result = scanner.scan(data)
            self.assertEqual(result.status, scanning.TOO_LARGE)
            self.assertFalse(result.clean)
            self.assertFalse(result.retry)  # scanning it again would not help
            self.assertIn("size limit exceeded", result.reason)
            # the whole content hashed, for the record
            self.assertEqual(result.sha256, hashlib.sha256(data).hexdigest())
            self.assertEqual(result.size, len(data))

    def test_beyond_the_scanners_max_size_is_too_large(self):
        data = b"x" * 5000 + EICAR  # what lies past the limit is never judged
        for scanner in self.scanners(max_size=4096, chunk_size=1024):
            result = scanner.scan(data)
            self.assertEqual(result.status, scanning.TOO_LARGE)
            self.assertIn("4096", result.reason)
            self.assertEqual(result.sha256, hashlib.sha256(data).hexdigest())
            self.assertEqual(result.size, len(data))
        result = self.layer["clamd"].scanner(max_size=len(data)).scan(data)
        self.assertEqual(result.status, scanning.INFECTED)

    def test_content_read_error_is_raised_not_unavailable(self):
        class Broken(CountingReader):
            def read(self, size=-1):
                if self.reads:
                    raise OSError("blob file gone")
                return super().read(size)

        for scanner in self.scanners(chunk_size=1024, timeout=30):
            started = time.monotonic()
            with self.assertRaisesRegex(OSError, "blob file gone"):
                scanner.scan(Broken(b"x" * 4096))
            self.assertLess(time.monotonic() - started, 5)  # no wait for clamd
            self.assertTrue(scanner.scan(b"next").clean)


class TestDaemonUnavailable(unittest.TestCase):
    """A daemon of the test's own, stopped or frozen: never « clean »."""

    def test_stopped_daemon_then_back(self):
        with private_clamd() as clamd:
            clamd.stop()
            for transport in TRANSPORTS:
                with self.subTest(transport=transport):
                    scanner = clamd.scanner(transport, timeout=2)
                    result = scanner.scan(files.infected_pdf())
                    self.assertEqual(result.status, scanning.UNAVAILABLE)
                    self.assertTrue(result.retry)
                    self.assertFalse(result.clean)
                    self.assertIn(scanner.address, result.reason)
                    self.assertIsNone(result.sha256)  # not read
                    self.assertIs(scanner.ping(), False)
                    self.assertIsNone(scanner.version())
            clamd.start()
            for transport in TRANSPORTS:
                result = clamd.scanner(transport).scan(files.infected_pdf())
                self.assertEqual(result.signature, SIGNATURE)

    def test_hung_daemon_times_out(self):
        with private_clamd() as clamd:
            clamd.freeze()  # connections accepted by the kernel, no answer
            for transport in TRANSPORTS:
                with self.subTest(transport=transport):
                    scanner = clamd.scanner(transport, timeout=1)
                    started = time.monotonic()
                    result = scanner.scan(files.pdf())
                    elapsed = time.monotonic() - started
                    self.assertEqual(result.status, scanning.UNAVAILABLE)
                    self.assertIn("timed out", result.reason)
                    self.assertGreaterEqual(elapsed, 1)
                    self.assertLess(elapsed, 10)
                    self.assertIs(scanner.ping(), False)
            clamd.thaw()
            self.assertTrue(clamd.scanner("tcp", timeout=5).scan(files.pdf()).clean)


class TestUnexpectedAnswers(unittest.TestCase):
    def test_no_or_odd_answer_is_unavailable(self):
        for answer in (b"", b"UNKNOWN COMMAND\n", b"stream: maybe\n"):
            with self.subTest(answer=answer):

                class Handler(socketserver.BaseRequestHandler):
                    reply = answer

                    def handle(self):
                        self.request.recv(65536)
                        self.request.sendall(self.reply)

                server = socketserver.TCPServer(("127.0.0.1", 0), Handler)
                thread = threading.Thread(target=server.handle_request)
                thread.start()
                try:
                    scanner = Scanner(host="127.0.0.1", port=server.server_address[1])
                    result = scanner.scan(b"hello")
                finally:
                    thread.join(10)
                    server.server_close()
                self.assertEqual(result.status, scanning.UNAVAILABLE)
                self.assertFalse(result.clean)

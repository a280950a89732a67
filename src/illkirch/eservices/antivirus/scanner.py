"""Scanning a content with ClamAV's daemon (``clamd``).

    scanner = Scanner(socket="/run/clamav/clamd.ctl", timeout=30)
    scanner = Scanner(host="127.0.0.1", port=3310)
    scanner = Scanner.from_address("tcp://127.0.0.1:3310")
    result = scanner.scan(data_or_binary_file)
    result.status  # CLEAN, INFECTED, TOO_LARGE or UNAVAILABLE

The content is streamed with ``INSTREAM`` in chunks (``chunk_size``) and
hashed (SHA-256) on the way, for the record. Nothing is ever reported clean
unless the daemon said ``OK``: a daemon that is down, refuses, answers
something unexpected or does not answer within ``timeout`` seconds (per
socket operation) gives ``UNAVAILABLE`` with the reason (scan again later);
a content beyond the daemon's ``StreamMaxLength`` gives ``TOO_LARGE``
(scanning it again would not help), and so does one beyond the scanner's
own ``max_size`` when it has one, the stream then cut by the client
(set it to the daemon's limit: the verdict then never depends on whether
the daemon's refusal outran a connection it reset). ``scan`` raises only
what reading the content raises.

The protocol is clamav-client's (``clamav_client.clamd``: sockets, PING,
VERSION, replies); its ``instream`` is replaced by ``_instream`` here, which
sends larger chunks and reads the daemon's answer even when the daemon
closed the connection in the middle of the stream (the size limit).
"""

from clamav_client.clamd import ClamdError
from clamav_client.clamd import ClamdNetworkSocket
from clamav_client.clamd import ClamdUnixSocket
from clamav_client.clamd import CommunicationError
from dataclasses import dataclass

import hashlib
import io
import struct
import time


CLEAN = "clean"
INFECTED = "infected"
TOO_LARGE = "too_large"
UNAVAILABLE = "unavailable"

CHUNK_SIZE = 64 * 1024
TIMEOUT = 30.0
SIZE_LIMIT_REPLY = "INSTREAM size limit exceeded."


@dataclass(frozen=True)
class ScanResult:
    """What the daemon said of a content.

    ``signature``: the name of what was found (INFECTED); ``reason``: why
    there is no verdict (UNAVAILABLE, TOO_LARGE); ``sha256`` and ``size``:
    of the content (``None`` when the daemon could not be reached and the
    content was not read); ``seconds``: the scan's duration.
    """

    status: str
    signature: str | None = None
    reason: str | None = None
    sha256: str | None = None
    size: int | None = None
    seconds: float = 0.0

    @property
    def clean(self):
        return self.status == CLEAN

    @property
    def infected(self):
        return self.status == INFECTED

    @property
    def unavailable(self):
        return self.status == UNAVAILABLE

    @property
    def retry(self):
        """Whether scanning again later may give a verdict."""
        return self.status == UNAVAILABLE


class _Instream:
    """``INSTREAM`` with chunks of any size, the answer read also after a
    send the daemon cut short."""

    def _instream(self, chunks):
        self._init_socket()
        try:
            self._send_command("INSTREAM")
            cut = None
            try:
                for chunk in chunks:
                    self.clamd_socket.sendall(struct.pack("!L", len(chunk)) + chunk)
                self.clamd_socket.sendall(struct.pack("!L", 0))
            except OSError as error:  # closed by the daemon, or timed out
                cut = error
            try:
                reply = self._recv_response()
            except CommunicationError:
                if cut is not None:
                    raise CommunicationError(f"sending the stream: {cut!r}") from cut
                raise
            if not reply and cut is not None:
                raise CommunicationError(f"sending the stream: {cut!r}") from cut
            return reply
        finally:
            self._close_socket()


class _TooLarge(Exception):
    """The content exceeds the scanner's ``max_size``."""


class _ReadFailed(Exception):
    """Reading the content failed (its error is the cause): raised again to
    the caller, never taken for the daemon's failure."""


class _UnixClient(_Instream, ClamdUnixSocket):
    pass


class _NetworkClient(_Instream, ClamdNetworkSocket):
    pass


def _reader(content):
    """A binary file-like object reading ``content`` (bytes or such a
    file)."""
    if isinstance(content, bytes | bytearray | memoryview):
        return io.BytesIO(content)
    if hasattr(content, "read"):
        return content
    raise TypeError(f"bytes or a binary file expected, not {type(content).__name__}")


class Scanner:
    """A ``clamd`` on a Unix ``socket`` (a path) or on ``host``:``port``;
    ``timeout``: seconds allowed to each socket operation; ``max_size``:
    bytes beyond which a content is TOO_LARGE without the daemon's say."""

    def __init__(
        self,
        socket=None,
        host=None,
        port=None,
        timeout=TIMEOUT,
        chunk_size=CHUNK_SIZE,
        max_size=None,
    ):
        if (socket is None) == (host is None and port is None):
            raise ValueError("a Unix socket or a host and port, one of them")
        if socket is None and (host is None or port is None):
            raise ValueError("a host and a port")
        if chunk_size < 1:
            raise ValueError("chunk_size must be positive")
        self.socket = str(socket) if socket is not None else None
        self.host = host
        self.port = int(port) if port is not None else None
        self.timeout = timeout
        self.chunk_size = chunk_size
        self.max_size = max_size

    @classmethod
    def from_address(cls, address, **options):
        """``/path``, ``unix:///path``, ``host:port`` or ``tcp://host:port``."""
        address = address.strip()
        if address.startswith("unix://"):
            return cls(socket=address[len("unix://") :], **options)
        if address.startswith("/"):
            return cls(socket=address, **options)
        if address.startswith("tcp://"):
            address = address[len("tcp://") :]
        host, sep, port = address.rpartition(":")
        if not sep or not host or not port.isdigit():
            raise ValueError(f"not a clamd address: {address!r}")
        return cls(host=host.strip("[]"), port=int(port), **options)

    @property
    def address(self):
        if self.socket is not None:
            return f"unix://{self.socket}"
        return f"tcp://{self.host}:{self.port}"

    def __repr__(self):
        return f"<Scanner {self.address} timeout={self.timeout}>"

    def _client(self):
        if self.socket is not None:
            return _UnixClient(self.socket, timeout=self.timeout)
        return _NetworkClient(self.host, self.port, timeout=self.timeout)

    def ping(self):
        """Whether the daemon answers PONG."""
        try:
            return self._client().ping() == "PONG"
        except (ClamdError, OSError):
            return False

    def version(self):
        """The daemon's version (``ClamAV 1.4.6/…``), ``None`` when it does
        not answer."""
        try:
            return self._client().version() or None
        except (ClamdError, OSError):
            return None

    def scan(self, content):
        """The ``ScanResult`` of ``content`` (bytes or a binary file, read
        from its current position)."""
        reader = _reader(content)
        digest = hashlib.sha256()
        read = {"size": 0, "started": False}

        def next_chunk():
            try:
                return reader.read(self.chunk_size)
            except Exception as error:  # not the daemon's: the caller's
                raise _ReadFailed from error

        def chunks():
            read["started"] = True
            while chunk := next_chunk():
                digest.update(chunk)
                read["size"] += len(chunk)
                if self.max_size is not None and read["size"] > self.max_size:
                    raise _TooLarge
                yield chunk

        def drained():
            """The rest of the content read (hashed) after the daemon
            stopped reading it."""
            while chunk := reader.read(self.chunk_size):
                digest.update(chunk)
                read["size"] += len(chunk)

        started = time.monotonic()

        def result(status, **facts):
            if read["started"]:
                facts.update(sha256=digest.hexdigest(), size=read["size"])
            return ScanResult(status, seconds=time.monotonic() - started, **facts)

        try:
            reply = self._client()._instream(chunks())
        except _ReadFailed as failed:
            raise failed.__cause__ from None
        except _TooLarge:
            drained()
            return result(
                TOO_LARGE, reason=f"more than {self.max_size} bytes (max_size)"
            )
        except (ClamdError, OSError) as error:
            return result(UNAVAILABLE, reason=f"{self.address}: {error}")
        if reply.startswith(SIZE_LIMIT_REPLY):
            drained()
            return result(TOO_LARGE, reason=f"{self.address}: {reply}")
        if reply == "stream: OK":
            return result(CLEAN)
        if reply.startswith("stream: ") and reply.endswith(" FOUND"):
            signature = reply[len("stream: ") : -len(" FOUND")]
            return result(INFECTED, signature=signature)
        return result(UNAVAILABLE, reason=f"{self.address}: {reply or 'no answer'}")

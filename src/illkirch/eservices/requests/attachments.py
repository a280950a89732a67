"""Checks of the supporting documents citizens attach to an online request.

Only PDF, JPEG and PNG files are accepted. The type is read from the content
(magic bytes plus a light structural check), never from the file name or the
Content-Type declared by the browser. Sizes are limited per file and per
request; the limits are parameters so that they can come from the registry.

File names are sanitised before they are stored or sent back in a
``Content-Disposition`` header.
"""

from illkirch.eservices import _
from urllib.parse import quote

import re
import unicodedata


MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 30 * 1024 * 1024
ALLOWED = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

MAX_FILENAME_LENGTH = 120
DEFAULT_STEM = "document"

_MEGABYTE = 1024 * 1024
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_IHDR = b"\x00\x00\x00\x0dIHDR"  # length 13, then the chunk type
_JPEG_START = b"\xff\xd8\xff"
_JPEG_END = b"\xff\xd9"
_PDF_START = b"%PDF-"
_PDF_END = b"%%EOF"
_PDF_TAIL = 1024

# A final ".xyz" is taken for an extension (and replaced) when it is short
# and holds at least one letter: "photo.pdf" -> "photo", "v1.2" is kept.
_EXTENSION = re.compile(r"\.(?=[^.]*[^\W\d_])[^\W_]{1,5}$")
_DASHES = re.compile(r"-{2,}")


class AttachmentError(ValueError):
    """An uploaded file is refused.

    ``code`` is one of "empty", "too_large", "total_too_large", "type";
    ``message`` is an i18n message naming the file, for the citizen.
    """

    def __init__(self, code, message):
        super().__init__(f"{code}: {message.default}")
        self.code = code
        self.message = message


def sniff(data: bytes) -> str | None:
    """The real MIME type of ``data`` among ALLOWED, or None."""
    if not isinstance(data, bytes):
        data = bytes(data)
    if data.startswith(_PDF_START):
        return "application/pdf" if _PDF_END in data[-_PDF_TAIL:] else None
    if data.startswith(_PNG_SIGNATURE):
        return "image/png" if data[8:16] == _PNG_IHDR else None
    if data.startswith(_JPEG_START):
        # Some devices pad the file with zeros after the End Of Image marker.
        end = data.rstrip(b"\x00")
        return "image/jpeg" if len(end) > 4 and end.endswith(_JPEG_END) else None
    return None


def check_attachment(
    filename: str,
    data: bytes,
    already: int = 0,
    max_file=MAX_FILE_BYTES,
    max_total=MAX_TOTAL_BYTES,
) -> tuple[str, str]:
    """Check one uploaded file; return (safe_filename, content_type).

    ``already`` is the number of bytes already attached to the request.
    Raise AttachmentError when the file is refused.
    """
    shown = _display_name(filename)
    size = len(data)
    if size == 0:
        raise AttachmentError(
            "empty",
            _(
                "attachment_error_empty",
                default="The file “${filename}” is empty.",
                mapping={"filename": shown},
            ),
        )
    if size > max_file:
        raise AttachmentError(
            "too_large",
            _(
                "attachment_error_too_large",
                default="The file “${filename}” is too large: "
                "${limit} MB at most per file.",
                mapping={"filename": shown, "limit": _megabytes(max_file)},
            ),
        )
    if already + size > max_total:
        raise AttachmentError(
            "total_too_large",
            _(
                "attachment_error_total_too_large",
                default="The file “${filename}” cannot be added: the files "
                "attached to a request may not exceed ${limit} MB in total.",
                mapping={"filename": shown, "limit": _megabytes(max_total)},
            ),
        )
    content_type = sniff(data)
    if content_type is None:
        raise AttachmentError(
            "type",
            _(
                "attachment_error_type",
                default="The file “${filename}” is neither a PDF "
                "nor a JPEG or PNG image.",
                mapping={"filename": shown},
            ),
        )
    return safe_filename(filename, content_type), content_type


def safe_filename(filename: str, content_type: str) -> str:
    """A file name safe to store and to send, with the real type's extension.

    Letters (accented included), digits, "-", "_" and "." are kept, spaces
    become "-", any other character is replaced by "-"; directories are
    dropped, the name never starts with a dot and is at most 120 characters
    long, extension included.
    """
    extension = ALLOWED[content_type]  # KeyError: not an accepted type
    name = _basename(filename)
    name = "".join(_keep(char) for char in name)
    stem = _EXTENSION.sub("", _DASHES.sub("-", name))
    stem = stem[: MAX_FILENAME_LENGTH - len(extension)]
    stem = stem.strip(".-") or DEFAULT_STEM
    return stem + extension


def content_disposition(filename: str) -> str:
    """A Content-Disposition header value for a download (RFC 6266, 5987).

    The plain ``filename`` parameter is an ASCII fallback for old clients;
    ``filename*`` holds the real name, UTF-8 and percent-encoded.
    """
    name = unicodedata.normalize("NFC", filename or "")
    fallback = _ascii_fallback(name)
    encoded = quote(name or fallback, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def _basename(filename):
    """The last path segment of the name, without surrounding spaces."""
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return name.strip()


def _keep(char):
    if char.isalpha() or char in "0123456789-_.":
        return char
    # Spaces, control and format characters (such as the right-to-left
    # override), quotes, colons, and the rest.
    return "-"


def _display_name(filename):
    """The name shown to the citizen in messages: no path, not too long."""
    name = " ".join(_basename(filename).split())
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    if len(name) > MAX_FILENAME_LENGTH:
        name = name[: MAX_FILENAME_LENGTH - 1] + "…"
    return name


def _ascii_fallback(name):
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_name = decomposed.encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(
        char if char.isalnum() or char in "-_." else "-" for char in ascii_name
    )
    ascii_name = _DASHES.sub("-", ascii_name)
    match = _EXTENSION.search(ascii_name)
    extension = match.group(0) if match else ""
    stem = ascii_name[: len(ascii_name) - len(extension)].strip(".-")
    return (stem or DEFAULT_STEM) + extension


def _megabytes(size):
    """A size in bytes as megabytes for messages: "10", or "2.5"."""
    if size % _MEGABYTE == 0:
        return str(size // _MEGABYTE)
    return f"{size / _MEGABYTE:.1f}"

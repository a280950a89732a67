"""Verifying an official document: by its code, and by its file.

Anyone holding a paper (a school, an employer) types its verification code
or scans its QR code (``/@@verifier/<code>``, ``GET /@verify/<code>``): the
answer says whether the town issued it and shows only what the document
states in its heading (``store.IssuedDocument.heading``: kind, title,
number, date, town), never the answers, the requester or an address. A
PDF sent with the code is compared byte for byte with the one issued (its
SHA-256).

The rules, for the page and the REST API alike:

- **Same answer, same time** for a code that is unknown, malformed or of a
  deleted document: « Document inconnu » with the same structure, and the
  same work in both cases (the digest of the code, the index lookup, a
  catalog search, the digest comparison, the same rate-limit write).
- **Rate limit per client address**: ``PER_ADDRESS`` verifications an hour
  from one address (known and unknown codes alike: counting only the
  unknown ones would make them slower), then ``VerificationRefused``
  (French message, 429).
- An uploaded file must be a PDF (its content: ``requests.attachments``) of
  at most the portal's size per file (``requests.documents.limits``).
"""

from illkirch.eservices import _
from illkirch.eservices.limits import RateLimit
from illkirch.eservices.official_documents import store
from illkirch.eservices.requests import attachments as checks
from illkirch.eservices.requests import documents as request_documents
from plone import api
from zope.i18nmessageid import Message

import hmac


HOUR = 60 * 60
# Verifications an hour from one client address, known or unknown codes.
# A school's secretary checks a few papers a day; 80-bit codes leave
# nothing to guess: the limit keeps programs from hammering the index.
PER_ADDRESS = 100
LIMIT_NAME = "verify"
PUBLIC_FIELDS = ("kind", "title", "number", "date", "town")
# Compared with the file sent when no document matches the code, and
# searched in the catalog: an unknown code costs the work of a known one.
_NO_DIGEST = "0" * 64
_NO_UID = "0" * 32

TOO_MANY = _(
    "error_verify_too_many",
    default="Too many verifications from your connection: try again in an hour.",
)
NOT_A_PDF = _(
    "error_verify_not_pdf",
    default="The file sent is not a PDF document.",
)
TOO_LARGE = _(
    "error_verify_too_large",
    default="The file sent is too large: ${limit} MB at most.",
)
NO_FILE = _("error_verify_no_file", default="Choose the PDF file to compare.")


class VerificationRefused(ValueError):
    """``message`` (French through the catalog) says why; ``status`` is
    the HTTP status (429: rate limit, 400: the file); ``field`` the form
    field at fault (or "")."""

    def __init__(self, message, status, field=""):
        super().__init__(message.default)
        self.message = message
        self.status = status
        self.field = field


def _limit():
    return RateLimit(LIMIT_NAME, PER_ADDRESS, HOUR)


def _take(client_address):
    if not _limit().take(client_address or ""):
        raise VerificationRefused(TOO_MANY, 429)


def _find(code):
    """``(obj, document)`` of ``code`` or None, with the same work for an
    unknown or malformed code (see the module's docstring)."""
    normalized = store.normalize_code(code)
    # A malformed code is looked up as a well-formed one that was never
    # issued (the index keeps digests: the digest and lookup are done).
    found = store.lookup(normalized or store.ALPHABET[0] * store.CODE_LENGTH)
    if found is None or not normalized:
        catalog = api.portal.get_tool("portal_catalog")
        for brain in catalog.unrestrictedSearchResults(UID=_NO_UID):
            brain._unrestrictedGetObject()
        return None
    return found


def public(document):
    """What the public may see of a document: its heading's fields."""
    if document is None:
        return {"authentic": False}
    heading = document.heading
    return {"authentic": True, **{k: heading.get(k, "") for k in PUBLIC_FIELDS}}


def verify(code, client_address):
    """The public answer about ``code``: ``{"authentic": True, "kind",
    "title", "number", "date", "town"}`` or ``{"authentic": False}``;
    raise ``VerificationRefused`` past the rate limit."""
    _take(client_address)
    found = _find(code)
    return public(found[1] if found else None)


def max_upload_bytes():
    """The largest file compared: the portal's size per file of requests'
    documents (registry ``max_attachment_mb``)."""
    return request_documents.limits()[0]


def check_pdf(data):
    """Raise ``VerificationRefused`` (400) unless ``data`` is a PDF within
    the portal's size per file."""
    if not data:
        raise VerificationRefused(NO_FILE, 400, "file")
    max_file = max_upload_bytes()
    if len(data) > max_file:
        raise VerificationRefused(
            Message(
                TOO_LARGE, mapping={"limit": max_file // request_documents.MEGABYTE}
            ),
            400,
            "file",
        )
    if checks.sniff(data) != "application/pdf":
        raise VerificationRefused(NOT_A_PDF, 400, "file")


def compare(code, data, client_address):
    """The public answer about ``code`` and whether ``data`` is byte for
    byte the PDF issued: ``{..., "identical": bool}``. Raise
    ``VerificationRefused`` past the rate limit or for a file that is not
    a PDF or too large."""
    _take(client_address)
    check_pdf(data)
    found = _find(code)
    document = found[1] if found else None
    expected = document.sha256 if document is not None else _NO_DIGEST
    same = hmac.compare_digest(expected, store.digest(data))
    return dict(public(document), identical=bool(document is not None and same))


def forget_codes(obj, event):
    """A request or payment deleted (retention purge, account closure, a
    deletion): its documents' codes leave the index."""
    try:
        api.portal.get()
    except api.exc.CannotGetPortalError:  # the site itself is being deleted
        return
    store.forget(obj)

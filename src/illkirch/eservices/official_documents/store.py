"""Issued documents: stored with their request or payment (an annotation),
never regenerated, and the site's index of their verification codes.

An ``IssuedDocument`` keeps the PDF's bytes (a blob), their SHA-256, and the
``heading``: what the document states in its heading and what the public
verification page may show (kind, number, date, town), never the answers
or the requester's address. Its verification ``code`` is shown on the
document and in its QR code; the site keeps only the code's SHA-256, mapped
to where the document is, so that a leaked database does not give the codes.

This module holds no rule of when a document is issued; ``receipts``,
``decisions`` and ``certificates`` do.
"""

from BTrees.OOBTree import OOBTree
from datetime import UTC
from datetime import datetime
from persistent import Persistent
from persistent.list import PersistentList
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations

import hashlib
import secrets


KEY = "illkirch.eservices.issued_documents"
CODES_KEY = "illkirch.eservices.issued_document_codes"

RECEIPT = "receipt"  # récépissé de dépôt (a request)
DECISION = "decision"  # décision (a request accepted or refused)
PAYMENT_CERTIFICATE = "payment_certificate"  # attestation de paiement
KINDS = (RECEIPT, DECISION, PAYMENT_CERTIFICATE)

# Codes: 16 characters of an alphabet without look-alikes (0/O, 1/I/L),
# about 80 bits: unguessable, and easy to type from a paper.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16


def now():
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code):
    """A code as typed (spaces, dashes, lower case) in its stored form; ""
    for anything that cannot be one."""
    if not isinstance(code, str):
        return ""
    code = code.upper().replace(" ", "").replace("-", "")
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return ""
    return code


def display_code(code):
    """« ABCD-EFGH-JKMN-PQRS »: the code as printed."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def digest(data):
    return hashlib.sha256(data).hexdigest()


class IssuedDocument(Persistent):
    """One issued PDF."""

    def __init__(self, kind, filename, data, heading, code):
        self.id = secrets.token_hex(8)
        self.kind = kind
        self.issued = now()
        self.filename = filename
        self.file = NamedBlobFile(
            data=data, contentType="application/pdf", filename=filename
        )
        self.size = len(data)
        self.sha256 = digest(data)
        self.heading = dict(heading)  # kind, number, date, town: public
        self.code_digest = digest(code.encode("ascii"))

    def data(self):
        return self.file.data


def documents(obj):
    """The documents issued for ``obj`` (a Request or a Payment), oldest
    first."""
    return list(IAnnotations(obj).get(KEY, ()))


def find(obj, document_id):
    for document in documents(obj):
        if document.id == document_id:
            return document
    return None


def of_kind(obj, kind):
    return [d for d in documents(obj) if d.kind == kind]


def _codes():
    annotations = IAnnotations(api.portal.get())
    if CODES_KEY not in annotations:
        annotations[CODES_KEY] = OOBTree()
    return annotations[CODES_KEY]


def add(obj, document, code):
    """Store an issued document with ``obj`` and index its ``code``."""
    annotations = IAnnotations(obj)
    if KEY not in annotations:
        annotations[KEY] = PersistentList()
    annotations[KEY].append(document)
    _codes()[document.code_digest] = (api.content.get_uuid(obj), document.id)
    # the catalog's metadata column issued_documents (access.summary): the
    # column only, with the cheapest index
    obj.reindexObject(idxs=["getId"])
    return document


def lookup(code):
    """``(obj, document)`` of a verification code, or None. Unrestricted:
    the verification page shows only the document's ``heading``."""
    code = normalize_code(code)
    if not code:
        return None
    where = _codes().get(digest(code.encode("ascii")))
    if where is None:
        return None
    uid, document_id = where
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(UID=uid):
        obj = brain._unrestrictedGetObject()
        document = find(obj, document_id)
        if document is not None:
            return obj, document
    return None


def forget(obj):
    """Remove the codes of ``obj``'s documents from the index (the object is
    being deleted: retention, account closure)."""
    codes = _codes()
    for document in documents(obj):
        codes.pop(document.code_digest, None)

"""Test helpers of the payment certificate and the verification of
official documents (#18): a PDF's text (pypdf), the verification code
printed on it, a paid payment made through eopayment's own code, and the
rate limit's counts forgotten between timed rounds."""

from illkirch.eservices.limits import RATE_LIMITS_KEY
from illkirch.eservices.official_documents import store
from illkirch.eservices.official_documents import verification
from zope.annotation.interfaces import IAnnotations

import io
import re


CODE = re.compile(r"\b([2-9A-HJKMNP-Z]{4}(?:-[2-9A-HJKMNP-Z]{4}){3})\b")


def pdf_text(data):
    """The text of a PDF, pages joined, whitespace runs made single
    spaces."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"[ \t\u00a0\u202f]+", " ", text)


def verification_code(text):
    """The verification code printed in a document's text (normalized)."""
    match = CODE.search(text)
    assert match, f"no verification code in {text!r}"
    return store.normalize_code(match.group(1))


def forget_verifications(portal):
    """Forget the verifications counted per client address (call in a
    transaction)."""
    limits = IAnnotations(portal).get(RATE_LIMITS_KEY)
    if limits is None:
        return
    prefix = f"{verification.LIMIT_NAME}:"
    for key in list(limits.keys(prefix, prefix + "\uffff")):
        del limits[key]

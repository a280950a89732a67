"""Test helpers of the payment certificate and the verification of
official documents (#18): a PDF's text (pypdf), the verification code
printed on it, a paid payment made through eopayment's own code, and the
rate limit's counts forgotten between timed rounds."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.billing import basket
from illkirch.eservices.limits import RATE_LIMITS_KEY
from illkirch.eservices.official_documents import store
from illkirch.eservices.official_documents import verification
from illkirch.eservices.payments import checkout
from illkirch.eservices.payments import records
from illkirch.eservices.testing.payments import bank_fields
from illkirch.eservices.testing.payments import invoice_by_number
from illkirch.eservices.testing.payments import use_systempay
from plone.app.testing import login
from plone.app.testing import logout
from pypdf import PdfReader
from zope.annotation.interfaces import IAnnotations

import io
import re
import requests
import transaction


CODE = re.compile(r"\b([2-9A-HJKMNP-Z]{4}(?:-[2-9A-HJKMNP-Z]{4}){3})\b")


def pdf_text(data):
    """The text of a PDF, pages joined, whitespace runs made single
    spaces."""
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


def paid_certificate(portal, number="V-2026-0412"):
    """Pay the demo invoice ``number`` of « amelie.lire » as the bank does,
    over HTTP (its signed notification to ``/@payment-notify``, eopayment's
    own code): the test server issues the certificate. Return ``(payment,
    the PDF's bytes, its code)``; for the functional layers."""
    household = household_of("amelie.lire")
    use_systempay("ville")
    login(portal, "amélie.lire")
    try:
        basket.add(
            household,
            invoice_by_number(household, number).UID(),
            in_payment=records.pending_invoice_uids(household),
        )
        payment, _url = checkout.start(
            household, checkout.return_url(), checkout.notify_url_base()
        )
    finally:
        logout()
    transaction.commit()
    response = requests.post(
        f"{portal.absolute_url()}/@payment-notify/{payment.getId()}",
        data=bank_fields(payment),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "*/*",
        },
        timeout=60,
    )
    response.raise_for_status()
    transaction.begin()
    portal._p_jar.sync()
    document = store.of_kind(payment, store.PAYMENT_CERTIFICATE)[0]
    data = document.data()
    return payment, data, verification_code(pdf_text(data))

"""Test helpers of the official documents' downloads (#18): real PDFs
(WeasyPrint) issued directly with ``official_documents.store``, a request
of Amélie's household filed over REST and a paid payment of her household,
both read back in the test's own connection."""

from functools import lru_cache
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.billing import basket
from illkirch.eservices.official_documents import pdf
from illkirch.eservices.official_documents import store
from illkirch.eservices.payments import checkout
from illkirch.eservices.payments import notification
from illkirch.eservices.payments import records
from illkirch.eservices.testing.payments import invoice_by_number
from illkirch.eservices.testing.payments import use_systempay
from plone import api
from plone.app.testing import login
from plone.app.testing import logout

import transaction


CITIZEN_ID = "amelie.lire"
CITIZEN_LOGIN = "amélie.lire"
HEADINGS = {
    store.RECEIPT: "Récépissé de dépôt",
    store.DECISION: "Décision",
    store.PAYMENT_CERTIFICATE: "Attestation de paiement",
}


@lru_cache
def pdf_bytes(text="Récépissé"):
    """A real, tagged PDF (rendered once per text, as the issuing jobs
    render them)."""
    with pdf.issuing():
        return pdf.render(
            "<html lang='fr'><head><title>T</title></head>"
            f"<body><p>{text}</p></body></html>"
        )


def issue(obj, kind=store.RECEIPT, number="2026-000001", filename=None):
    """Issue a document of ``kind`` for ``obj`` as the others' code will:
    ``(document, code)``."""
    code = store.new_code()
    data = pdf_bytes(HEADINGS[kind])
    document = store.IssuedDocument(
        kind,
        filename or f"{kind}-{number}.pdf",
        data,
        {
            "kind": HEADINGS[kind],
            "number": number,
            "date": "06/12/2026",
            "town": "Illkirch-Graffenstaden",
        },
        code,
    )
    return store.add(obj, document, code), code


def sync(portal):
    """See what the server's transactions committed."""
    transaction.begin()
    portal._p_jar.sync()


def by_url(portal, url):
    """The object at ``url`` (unrestricted)."""
    path = url.replace(portal.absolute_url(), "", 1).lstrip("/")
    return portal.unrestrictedTraverse(path)


def paid_payment(portal, invoice_number="V-2026-0412"):
    """Amélie's household pays one of its demo invoices (SystemPay's test
    keys; the bank's answer is taken as verified): the paid Payment."""
    household = household_of(CITIZEN_ID)
    use_systempay("ville")
    login(portal, CITIZEN_LOGIN)
    try:
        basket.add(
            household,
            invoice_by_number(household, invoice_number).UID(),
            in_payment=records.pending_invoice_uids(household),
        )
        payment, _url = checkout.start(
            household, checkout.return_url(), checkout.notify_url_base()
        )
        notification.mark_paid(payment, reference="TEST-REF-0412")
    finally:
        logout()
    return payment


def catalog_record(obj):
    """The catalog's record of ``obj``: ``(index data, metadata)``."""
    catalog = api.portal.get_tool("portal_catalog")
    rid = catalog.getrid("/".join(obj.getPhysicalPath()))
    return catalog.getIndexDataForRID(rid), catalog.getMetadataForRID(rid)

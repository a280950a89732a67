"""The payment certificate (« Attestation de paiement », #18 document 3).

When a payment is paid (``payments.events.PaymentPaid``, notified once by
``payments.notification.mark_paid``), ``on_payment_paid`` queues ``issue``
with the payment's UID. The job renders the certificate (the régie, the
invoices paid with their numbers and amounts, the total, the date of the
payment, the bank's reference, the verification code and its QR code),
stores it with the payment (``store.add``) and emails the payment's receipt
(``payments.receipts.send``) with the certificate attached: the receipt
email is sent by this job, so that it carries its proof.

Idempotent: a payment that already has its certificate gets nothing more
(a retried or duplicated job issues nothing and sends nothing); the
certificate and the email are written in the job's one transaction, so a
failed try leaves neither and the retry does both.
"""

from illkirch.eservices import _
from illkirch.eservices import business_days
from illkirch.eservices import dates
from illkirch.eservices import jobs
from illkirch.eservices import town
from illkirch.eservices import urls
from illkirch.eservices.billing.regies import get_regie
from illkirch.eservices.money import euros
from illkirch.eservices.official_documents import layout
from illkirch.eservices.official_documents import pdf
from illkirch.eservices.official_documents import store
from illkirch.eservices.payments import receipts
from illkirch.eservices.payments import records
from plone import api
from zope.i18n import translate
from zope.i18nmessageid import Message

import logging
import re


logger = logging.getLogger(__name__)

TITLE = _("doc_payment_certificate_title", default="Payment certificate")
INTRO = _(
    "doc_payment_certificate_intro",
    default="${town} certifies that it has received the payment described below.",
)
REGIE = _("doc_label_regie", default="Régie")
NUMBER = _("doc_label_payment_number", default="Payment number")
PAID_ON = _("doc_label_paid_on", default="Paid on")
REFERENCE = _("doc_label_bank_reference", default="Bank reference")
INVOICES = _("doc_caption_invoices_paid", default="Invoices paid")
COLUMN_INVOICE = _("doc_column_invoice", default="Invoice")
COLUMN_DOMAIN = _("doc_column_domain", default="Domain")
COLUMN_AMOUNT = _("doc_column_amount", default="Amount")
TOTAL = _("doc_label_total_paid", default="Total paid")


def _t(message, mapping=None):
    """A document's text in the site's language (also in the worker)."""
    if mapping is not None:
        message = Message(message, mapping=mapping)
    return translate(message, target_language=api.portal.get_default_language())


def verify_url(code):
    return urls.public_url(suffix=f"/@@verifier/{code}")


def filename(payment):
    safe = re.sub(r"[^A-Za-z0-9-]+", "-", payment.transaction_id or payment.getId())
    return f"attestation-paiement-{safe.strip('-')}.pdf"


def facts(payment):
    """What the certificate states: a dict of texts (also its tests')."""
    regie = get_regie(payment.regie)
    paid_at = payment.updated_at or payment.created_at
    return {
        "regie": regie.Title() if regie is not None else payment.regie,
        "number": payment.transaction_id,
        "paid_on": dates.format_datetime(paid_at, business_days.TIMEZONE),
        "date": paid_at.astimezone(business_days.TIMEZONE).date().isoformat()
        if paid_at
        else "",
        "reference": payment.reference or payment.transaction_id,
        "invoices": [
            {
                "number": invoice.number,
                "domain": invoice.domain or invoice.regie,
                "amount": euros(invoice.total_cents),
            }
            for invoice in records.invoices_of(payment)
        ],
        "total": euros(payment.amount_cents),
    }


def heading(payment, stated):
    """What the public verification page may show: kind, title, number,
    date, town (never the household, the invoices or the amounts)."""
    return {
        "kind": store.PAYMENT_CERTIFICATE,
        "title": _t(TITLE),
        "number": stated["number"],
        "date": stated["date"],
        "town": town.name(),
    }


def _page(stated, heading, code):
    """The certificate's HTML in the shared layout (``layout.py``): the
    payment's facts in the heading block, the invoices paid in a table with
    their total."""
    return layout.document_html(
        heading["title"],
        number=stated["number"],
        date=stated["paid_on"],
        details=[(REGIE, stated["regie"]), (REFERENCE, stated["reference"])],
        sections=[
            layout.Section(
                None, [layout.Paragraph(_t(INTRO, {"town": heading["town"]}))]
            ),
            layout.Section(
                INVOICES,
                [
                    layout.Table(
                        [COLUMN_INVOICE, COLUMN_DOMAIN, COLUMN_AMOUNT],
                        [
                            [i["number"], i["domain"], i["amount"]]
                            for i in stated["invoices"]
                        ],
                        footer=[TOTAL, "", stated["total"]],
                        numeric=(2,),
                    )
                ],
            ),
        ],
        code=code,
        verify_url=verify_url(code),
    )


def render(payment, code):
    """``(pdf bytes, heading)`` of the payment's certificate."""
    stated = facts(payment)
    public = heading(payment, stated)
    return pdf.render(_page(stated, public, code)), public


def certificate(payment):
    """The payment's certificate (an ``IssuedDocument``) or None."""
    issued = store.of_kind(payment, store.PAYMENT_CERTIFICATE)
    return issued[0] if issued else None


def _payment(uid):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(UID=uid, portal_type="Payment"):
        return brain._unrestrictedGetObject()
    return None


@pdf.issuing_task(retries=5, retry_delay=60)
def issue(payment_uid):
    """Issue the certificate of the paid payment ``payment_uid`` and email
    the receipt with it; nothing when it was issued already (idempotent)."""
    payment = _payment(payment_uid)
    if payment is None:
        logger.warning("No payment %s: no certificate issued", payment_uid)
        return None
    if payment.status != records.PAID:
        logger.warning(
            "Payment %s is %s: no certificate issued",
            payment.transaction_id,
            payment.status,
        )
        return None
    if certificate(payment) is not None:
        logger.info("Payment %s: certificate already issued", payment.transaction_id)
        return None
    code = store.new_code()
    data, public = render(payment, code)
    name = filename(payment)
    document = store.add(
        payment,
        store.IssuedDocument(store.PAYMENT_CERTIFICATE, name, data, public, code),
        code,
    )
    receipts.send(payment, attachments=[(name, "application/pdf", data)])
    logger.info("Payment %s: certificate issued", payment.transaction_id)
    return document


def on_payment_paid(payment, event):
    """``PaymentPaid``: the certificate in the background (never in the web
    request of the bank's answer or of the citizen's return)."""
    jobs.enqueue(issue, api.content.get_uuid(payment))

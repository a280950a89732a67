"""The receipt emailed to the household's holder once a payment is paid
(French, sent when the transaction commits: never for a rolled-back one).

It is sent by the background job that issues the payment certificate
(``official_documents/certificates.py``, on ``events.PaymentPaid``), with the
certificate attached: one email announces the payment and carries its proof.
"""

from illkirch.eservices import _
from illkirch.eservices import business_days
from illkirch.eservices import dates
from illkirch.eservices import mail
from illkirch.eservices import urls
from illkirch.eservices.money import euros
from illkirch.eservices.payments import records
from zope.i18nmessageid import Message

import logging


logger = logging.getLogger(__name__)

SUBJECT = _(
    "mail_payment_receipt_subject", default="Receipt of your payment of ${amount}"
)
BODY = _(
    "mail_payment_receipt_body",
    default="Hello,\n\nWe have received your card payment of ${amount} on "
    "${date}.\n\nInvoices paid:\n${invoices}\n\nPayment reference: "
    "${reference}\n\nKeep this message: it is your receipt.",
)
ACCOUNTS_LINK = _(
    "mail_payment_receipt_link", default="Your invoices and payments: ${url}"
)
ATTACHED = _(
    "mail_payment_receipt_attached",
    default="Your payment certificate is attached to this message (PDF).",
)
INVOICE_LINE = _(
    "mail_payment_receipt_invoice",
    default="- Invoice no. ${number} (${domain}): ${amount}",
)


def household_of(payment):
    return payment.aq_parent


def recipient(payment):
    household = household_of(payment)
    return mail.user_email(getattr(household, "holder_id", None))


def email_text(payment, attached=False):
    """(subject, paragraphs) messages of the receipt (``attached``: it
    carries the payment certificate)."""
    lines = []
    for invoice in records.invoices_of(payment):
        lines.append(
            mail._text(
                Message(
                    INVOICE_LINE,
                    mapping={
                        "number": invoice.number,
                        "domain": invoice.domain or invoice.regie,
                        "amount": euros(invoice.total_cents),
                    },
                ),
                None,
            )
        )
    when = payment.updated_at or payment.created_at
    mapping = {
        "amount": euros(payment.amount_cents),
        "date": dates.format_datetime(when, business_days.TIMEZONE),
        "invoices": "\n".join(lines),
        "reference": payment.reference or payment.transaction_id,
    }
    link = Message(
        ACCOUNTS_LINK, mapping={"url": urls.public_url(suffix="/@@mon-espace-factures")}
    )
    paragraphs = [Message(BODY, mapping=mapping)]
    if attached:
        paragraphs.append(ATTACHED)
    return Message(SUBJECT, mapping=mapping), [*paragraphs, link]


def send(payment, attachments=()):
    """Email the receipt to the household's holder (once, by the caller),
    with ``attachments`` (``(filename, content type, bytes)`` each: the
    payment certificate)."""
    address = recipient(payment)
    if not address:
        logger.warning(
            "No email for payment %s: no receipt sent", payment.transaction_id
        )
        return False
    subject, body = email_text(payment, attached=bool(attachments))
    try:
        mail.send(address, subject, body, attachments=attachments)
    except ValueError as error:  # plone.api: "MailHost is not configured."
        logger.warning(
            "Receipt of payment %s not sent: %s", payment.transaction_id, error
        )
        return False
    return True

"""The bank's answer about a payment (notification or return).

Only an answer that eopayment verified (``signed``), saying PAID, naming
this very payment by the portal's own reference, from the bank's platform
of the régie's mode (test or production), and for exactly its amount (each
backend's own field, ``payments/backends.py``) pays the payment and its
invoices, once: a second identical answer finds the payment paid and changes
nothing. Concurrent identical answers all write the payment, so ZODB
conflicts make the losers retry, and they then find it paid. A signed
refusal or cancellation closes the payment (never the invoices). Anything
else is logged and changes nothing.
"""

from datetime import UTC
from datetime import datetime
from eopayment.common import PaymentCommon
from illkirch.eservices.billing import basket
from illkirch.eservices.billing.regies import get_regie
from illkirch.eservices.offered_backends import PROVEN
from illkirch.eservices.payments import backends
from illkirch.eservices.payments import checkout
from illkirch.eservices.payments import records
from illkirch.eservices.payments.events import PaymentClosed
from illkirch.eservices.payments.events import PaymentPaid
from plone import api
from zope.event import notify

import eopayment
import logging


logger = logging.getLogger(__name__)

CLOSING = {
    eopayment.DENIED: records.FAILED,
    eopayment.ERROR: records.FAILED,
    eopayment.CANCELLED: records.CANCELLED,
    eopayment.EXPIRED: records.EXPIRED,
}


class NotificationError(ValueError):
    """An unusable notification (logged, nothing changed)."""


_first = backends._first


def response_amount_cents(kind, response):
    """The amount the bank answered, in cents, or None when unknown (each
    backend's own field: ``backends.AMOUNT_FIELDS``)."""
    return backends.amount_cents(kind, response)


def _bank_data(response):
    """The bank's data as JSON-safe strings (kept for audit)."""
    data = {}
    for key, value in (response.bank_data or {}).items():
        value = _first(value)
        data[str(key)] = "" if value is None else str(value)
    return data


def parse(payment, query_string):
    """eopayment's ``PaymentResponse`` for the payment's backend, or raise
    ``NotificationError``."""
    regie = get_regie(payment.regie)
    if regie is None:
        raise NotificationError(f"no régie {payment.regie!r}")
    try:
        bank = checkout.backend(regie)
    except checkout.CheckoutRefused as error:
        raise NotificationError(f"backend {regie.backend!r} refused") from error
    if isinstance(query_string, bytes):
        query_string = query_string.decode("utf-8", "replace")
    try:
        return regie.backend, bank.response(query_string or "")
    except eopayment.ResponseError as error:
        raise NotificationError(f"unreadable answer: {error}") from error
    except Exception as error:  # noqa: BLE001 - a backend's parse error
        raise NotificationError(f"unreadable answer: {error!r}") from error


def check(kind, regie, payment, response):
    """Refuse (``NotificationError``, logged) an answer that is not signed,
    that is about another payment than ``payment`` (the portal's own
    reference, ``backends.reference``), or whose mode (test or production)
    is not the régie's: a notification of the bank's test platform never
    touches a production payment, which stays pending for the real one."""
    if not response.signed:
        logger.warning("Payment %s: unsigned answer ignored", payment.transaction_id)
        raise NotificationError("unsigned answer")
    answered = backends.reference(kind, response)
    if answered != backends.expected_reference(kind, payment):
        logger.warning(
            "Payment %s: answer about another payment %r ignored",
            payment.transaction_id,
            answered,
        )
        raise NotificationError("other payment")
    answer_test = backends.response_is_test(kind, response)
    regie_test = backends.regie_is_test(kind, regie.backend_options)
    if answer_test != regie_test:
        logger.warning(
            "Payment %s: %s-mode answer refused: régie %s is in %s mode "
            "(the payment stays pending)",
            payment.transaction_id,
            "test" if answer_test else "production",
            regie.getId(),
            "test" if regie_test else "production",
        )
        raise NotificationError("wrong mode")


def guess_reference(query_string):
    """The portal's reference named in an answer sent to the bare
    ``/@payment-notify`` (banks whose notification URL is set once in their
    back office, like Ogone), or ""."""
    if isinstance(query_string, bytes):
        query_string = query_string.decode("utf-8", "replace")
    try:
        _kind, reference = eopayment.Payment.guess(
            method="POST", query_string=query_string or "", body=None, backends=PROVEN
        )
    except Exception:  # noqa: BLE001 - no offered backend recognises it
        return ""
    return str(reference or "")


def handle(transaction_id, query_string):
    """Apply the bank's answer: ``(payment, changed)``.

    ``transaction_id`` is the segment of the notification URL (the
    payment's reference), or empty when the bank calls the bare URL.
    ``changed`` tells whether this answer changed the payment. Raises
    ``NotificationError`` for an unusable answer (the caller answers 400).
    """
    if not transaction_id:
        transaction_id = guess_reference(query_string)
    payment = records.find(transaction_id)
    if payment is None:
        logger.warning(
            "Payment notification for unknown transaction %r", transaction_id
        )
        raise NotificationError(f"unknown transaction {transaction_id!r}")
    try:
        kind, response = parse(payment, query_string)
        check(kind, get_regie(payment.regie), payment, response)
    except NotificationError as error:
        logger.warning(
            "Payment %s: notification refused: %s", payment.transaction_id, error
        )
        raise
    late = payment.status == records.EXPIRED and response.result == eopayment.PAID
    if late:
        # The bank took the money after the portal gave up waiting: the
        # payment stands (an invoice paid meanwhile is logged for a refund).
        logger.warning("Payment %s: PAID after it expired", payment.transaction_id)
    if payment.status != records.PENDING and not late:
        logger.info(
            "Payment %s: answer again (%s), already %s",
            payment.transaction_id,
            eopayment.STATUS_NAME.get(response.result),
            payment.status,
        )
        return payment, False
    if response.result == eopayment.PAID:
        amount = backends.amount_cents(kind, response)
        if amount != payment.amount_cents:
            logger.error(
                "Payment %s: PAID for %r cents instead of %s: ignored",
                payment.transaction_id,
                amount,
                payment.amount_cents,
            )
            raise NotificationError("wrong amount")
        mark_paid(payment, response)
        return payment, True
    status = CLOSING.get(response.result)
    if status is None:  # still running at the bank
        logger.info(
            "Payment %s: bank says %s",
            payment.transaction_id,
            eopayment.STATUS_NAME.get(response.result, response.result),
        )
        return payment, False
    close(payment, status, _bank_data(response))
    return payment, True


def _reference(response):
    data = response.bank_data or {}
    reference = (
        _first(data.get(PaymentCommon.BANK_ID))
        or backends.bank_value(response, "numauto")  # PayFiP
        or backends.bank_value(response, "numero_transaction")  # Paybox
        or response.transaction_id
    )
    return str(reference or "")


def mark_paid(payment, response=None, reference=None, bank_data=None):
    """Mark the payment and each of its invoices paid; notify
    ``PaymentPaid``: its subscriber (``official_documents/certificates.py``)
    queues the payment certificate, which is emailed with the receipt
    (``receipts.send``) once issued."""
    now = datetime.now(UTC)
    payment.status = records.PAID
    payment.updated_at = now
    if response is not None:
        payment.bank_data = _bank_data(response)
        payment.reference = _reference(response)
    else:
        payment.bank_data = dict(bank_data or {})
        payment.reference = reference or payment.transaction_id
    with api.env.adopt_roles(["Manager"]):
        for invoice in records.invoices_of(payment):
            if api.content.get_state(invoice) != basket.PAYABLE_STATE:
                logger.error(
                    "Payment %s: invoice %s is %s, not marked paid again",
                    payment.transaction_id,
                    invoice.number,
                    api.content.get_state(invoice),
                )
                continue
            invoice.paid_cents = int(invoice.paid_cents or 0) + basket.due_cents(
                invoice
            )
            invoice.paid_on = now
            invoice.payment_reference = payment.reference or payment.transaction_id
            api.content.transition(obj=invoice, transition="pay")
            invoice.reindexObject()
    payment.reindexObject()
    logger.info(
        "Payment %s paid: %s cents", payment.transaction_id, payment.amount_cents
    )
    notify(PaymentPaid(payment))


def close(payment, status, bank_data=None):
    """End a pending payment without paying (refused, cancelled, expired):
    its invoices may go into the basket again."""
    payment.status = status
    payment.updated_at = datetime.now(UTC)
    if bank_data is not None:
        payment.bank_data = bank_data
    payment.reindexObject()
    logger.info("Payment %s %s", payment.transaction_id, status)
    notify(PaymentClosed(payment))

"""The bank's answer about a payment (notification or return).

Only an answer that eopayment verified (``signed``), saying PAID, for this
very transaction and for exactly its amount pays the payment and its
invoices, once: a second identical answer finds the payment paid and changes
nothing. Concurrent identical answers all write the payment, so ZODB
conflicts make the losers retry, and they then find it paid. A signed
refusal or cancellation closes the payment (never the invoices). Anything
else is logged and changes nothing.
"""

from datetime import datetime
from datetime import timezone
from decimal import Decimal
from decimal import InvalidOperation
from eopayment.common import PaymentCommon
from illkirch.eservices.billing import basket
from illkirch.eservices.payments import checkout
from illkirch.eservices.payments import receipts
from illkirch.eservices.payments import records
from plone import api

import eopayment
import logging


logger = logging.getLogger(__name__)

CLOSING = {
    eopayment.DENIED: records.FAILED,
    eopayment.ERROR: records.FAILED,
    eopayment.CANCELLED: records.CANCELLED,
    eopayment.EXPIRED: records.EXPIRED,
}
# Where each backend puts the amount in its answer, and its unit.
AMOUNT_FIELDS = {
    "dummy": ("amount", "euros"),
    "systempayv2": ("vads_amount", "cents"),
    "payzen": ("vads_amount", "cents"),
    "sips2": ("amount", "cents"),
    "paybox": ("montant", "cents"),
    "ogone": ("amount", "euros"),
}


class NotificationError(ValueError):
    """An unusable notification (logged, nothing changed)."""


def _first(value):
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value


def response_amount_cents(kind, response):
    """The amount the bank answered, in cents, or None when unknown."""
    value = getattr(response, "amount", None)
    unit = "euros"
    if value is None:
        field, unit = AMOUNT_FIELDS.get(kind, (None, None))
        value = _first((response.bank_data or {}).get(field)) if field else None
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    cents = amount * 100 if unit == "euros" else amount
    if cents != cents.to_integral_value():
        return None
    return int(cents)


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
    regie = checkout.get_regie(payment.regie)
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


def handle(transaction_id, query_string):
    """Apply the bank's answer: ``(payment, changed)``.

    ``payment`` is None for an unknown transaction; ``changed`` tells
    whether this answer changed the payment. Raises ``NotificationError``
    for an unusable answer (the caller answers 400).
    """
    payment = records.find(transaction_id)
    if payment is None:
        logger.warning("Payment notification for unknown transaction %r", transaction_id)
        raise NotificationError(f"unknown transaction {transaction_id!r}")
    try:
        kind, response = parse(payment, query_string)
    except NotificationError as error:
        logger.warning("Payment %s: notification refused: %s",
                       payment.transaction_id, error)
        raise
    if not response.signed:
        logger.warning("Payment %s: unsigned answer ignored", payment.transaction_id)
        raise NotificationError("unsigned answer")
    if str(response.transaction_id) != payment.transaction_id:
        logger.warning("Payment %s: answer about another transaction %r ignored",
                       payment.transaction_id, response.transaction_id)
        raise NotificationError("other transaction")
    late = payment.status == records.EXPIRED and response.result == eopayment.PAID
    if late:
        # The bank took the money after the portal gave up waiting: the
        # payment stands (an invoice paid meanwhile is logged for a refund).
        logger.warning("Payment %s: PAID after it expired", payment.transaction_id)
    if payment.status != records.PENDING and not late:
        logger.info("Payment %s: answer again (%s), already %s",
                    payment.transaction_id, eopayment.STATUS_NAME.get(response.result),
                    payment.status)
        return payment, False
    if response.result == eopayment.PAID:
        amount = response_amount_cents(kind, response)
        if amount != payment.amount_cents:
            logger.error("Payment %s: PAID for %r cents instead of %s: ignored",
                         payment.transaction_id, amount, payment.amount_cents)
            raise NotificationError("wrong amount")
        mark_paid(payment, response)
        return payment, True
    status = CLOSING.get(response.result)
    if status is None:  # still running at the bank
        logger.info("Payment %s: bank says %s", payment.transaction_id,
                    eopayment.STATUS_NAME.get(response.result, response.result))
        return payment, False
    close(payment, status, _bank_data(response))
    return payment, True


def _reference(response):
    data = response.bank_data or {}
    reference = _first(data.get(PaymentCommon.BANK_ID))
    return str(reference or response.transaction_id or "")


def mark_paid(payment, response=None, reference=None, bank_data=None):
    """Mark the payment and each of its invoices paid; email the receipt."""
    now = datetime.now(timezone.utc)
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
                logger.error("Payment %s: invoice %s is %s, not marked paid again",
                             payment.transaction_id, invoice.number,
                             api.content.get_state(invoice))
                continue
            invoice.paid_cents = int(invoice.paid_cents or 0) + basket.due_cents(invoice)
            invoice.paid_on = now
            invoice.payment_reference = payment.reference or payment.transaction_id
            api.content.transition(obj=invoice, transition="pay")
            invoice.reindexObject()
    payment.reindexObject()
    logger.info("Payment %s paid: %s cents", payment.transaction_id,
                payment.amount_cents)
    receipts.send(payment)


def close(payment, status, bank_data=None):
    """End a pending payment without paying (refused, cancelled, expired):
    its invoices may go into the basket again."""
    payment.status = status
    payment.updated_at = datetime.now(timezone.utc)
    if bank_data is not None:
        payment.bank_data = bank_data
    payment.reindexObject()
    logger.info("Payment %s %s", payment.transaction_id, status)

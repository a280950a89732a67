"""Payments the bank never told us about.

Run every 15 minutes by the background worker (the periodic task
``payments.check``, ``check_payments``), or by hand with
``eservices-check-payments``: a payment
still pending ``ASK_AFTER`` after it started is asked to the bank when its
eopayment backend can tell (``payment_status``: PayFiP); a payment
still pending ``EXPIRE_AFTER`` after it started becomes « Expiré », and its
invoices may go into the basket again.
"""

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from illkirch.eservices import jobs
from illkirch.eservices.billing.regies import get_regie
from illkirch.eservices.payments import checkout
from illkirch.eservices.payments import notification
from illkirch.eservices.payments import records

import eopayment
import logging


logger = logging.getLogger(__name__)

ASK_AFTER = timedelta(minutes=20)
# The bank's payment page does not wait longer: a payment still pending then
# (not confirmed by the bank when asked, or a bank that cannot be asked)
# expires and its invoices may be paid again; a PAID notification arriving
# later still pays it (payments/notification.py).
EXPIRE_AFTER = timedelta(minutes=20)


def _aware(when):
    if when is None:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def ask_bank(payment):
    """Ask the backend about the payment; return the new status or None."""
    regie = get_regie(payment.regie)
    if regie is None:
        return None
    try:
        bank = checkout.backend(regie)
    except checkout.CheckoutRefused:
        return None
    if not bank.has_payment_status:
        return None
    try:
        response = bank.payment_status(
            payment.transaction_id, transaction_date=_aware(payment.created_at)
        )
    except Exception:  # noqa: BLE001 - the bank is unreachable: next run
        logger.exception(
            "Payment %s: the bank could not be asked", payment.transaction_id
        )
        return None
    try:
        # the same checks as a notification: signed, this payment, the
        # régie's mode
        notification.check(regie.backend, regie, payment, response)
    except notification.NotificationError:
        logger.warning(
            "Payment %s: unusable status answer %r", payment.transaction_id, response
        )
        return None
    if response.result == eopayment.PAID:
        amount = notification.response_amount_cents(regie.backend, response)
        if amount != payment.amount_cents:
            logger.error(
                "Payment %s: bank says PAID for %r cents instead of %s",
                payment.transaction_id,
                amount,
                payment.amount_cents,
            )
            return None
        notification.mark_paid(payment, response)
        return records.PAID
    status = notification.CLOSING.get(response.result)
    if status is not None:
        notification.close(payment, status, notification._bank_data(response))
    return status


def run(now=None):
    """Check the pending payments; return counts
    ``{"pending", "asked", "paid", "closed", "expired"}``."""
    now = _aware(now) or datetime.now(UTC)
    summary = {"pending": 0, "asked": 0, "paid": 0, "closed": 0, "expired": 0}
    for payment in records.pending_payments():
        summary["pending"] += 1
        created = _aware(payment.created_at) or now
        age = now - created
        if age >= ASK_AFTER:
            summary["asked"] += 1
            status = ask_bank(payment)
            if status == records.PAID:
                summary["paid"] += 1
                continue
            if status is not None:
                summary["closed"] += 1
                continue
        if age >= EXPIRE_AFTER and payment.status == records.PENDING:
            notification.close(payment, records.EXPIRED)
            summary["expired"] += 1
    return summary


@jobs.periodic("payments.check", minute="*/15")
def check_payments():
    """Every 15 minutes: ask the bank about the pending payments, expire the
    forgotten ones (``run``); return its counts.

    Idempotent: it only acts on payments still pending, and each action
    takes them out of that state (paid once by ``notification.mark_paid``,
    closed or expired), so a second run at once, or a run of a second
    worker, finds nothing more to do; asking the bank again is a read.
    """
    summary = run()
    if summary["pending"]:
        logger.info(
            "Pending payments: %(pending)s, asked %(asked)s, paid %(paid)s, "
            "closed %(closed)s, expired %(expired)s",
            summary,
        )
    return summary

"""Payment records: a ``Payment`` item inside the household it pays for."""

from illkirch.eservices import _
from illkirch.eservices.accounts import households
from illkirch.eservices.money import euros
from plone import api


PENDING = "pending"
PAID = "paid"
FAILED = "failed"
CANCELLED = "cancelled"
EXPIRED = "expired"

STATUS_TITLES = {
    PENDING: _("payment_status_pending", default="Pending"),
    PAID: _("payment_status_paid", default="Paid"),
    FAILED: _("payment_status_failed", default="Refused"),
    CANCELLED: _("payment_status_cancelled", default="Cancelled"),
    EXPIRED: _("payment_status_expired", default="Expired"),
}


def _catalog():
    return api.portal.get_tool("portal_catalog")


def find(transaction_id):
    """The payment of that transaction, or None.

    ``transaction_id`` is the one eopayment gave (indexed), or the payment's
    own id (the segment of its notification URL: some backends, like
    ``dummy``, choose their transaction id themselves).
    """
    if not transaction_id or not isinstance(transaction_id, str):
        return None
    for query in ({"payment_transaction": transaction_id}, {"id": transaction_id}):
        for brain in _catalog().unrestrictedSearchResults(
            portal_type="Payment", **query
        ):
            return brain._unrestrictedGetObject()
    return None


def household_payments(household):
    """The household's payments, newest first (its own catalog entries)."""
    payments = [
        households.own_object(household, brain)
        for brain in households.own_brains(household, "Payment")
    ]
    return sorted(
        payments,
        key=lambda p: (p.created_at is not None, p.created_at or 0),
        reverse=True,
    )


def pending_payments(household=None):
    """Payments still pending (of one household, or of the whole site)."""
    if household is not None:
        payments = (
            households.own_object(household, brain)
            for brain in households.own_brains(household, "Payment")
        )
    else:
        payments = (
            brain._unrestrictedGetObject()
            for brain in _catalog().unrestrictedSearchResults(portal_type="Payment")
        )
    return [payment for payment in payments if payment.status == PENDING]


def pending_invoice_uids(household):
    """UIDs of the household's invoices in a payment in progress."""
    uids = set()
    for payment in pending_payments(household):
        uids.update(payment.invoice_uids or ())
    return uids


def payment_info(payment, request=None, known=None):
    """What the pages and ``GET /@payments`` show of a payment (``known``:
    the ``HouseholdInvoices`` of its household, for a listing; an invoice
    not found there is looked up by its UID, as without it)."""
    from zope.i18n import translate

    invoices = []
    for uid in payment.invoice_uids or ():
        invoice = known.get(uid) if known else None
        if invoice is None:
            invoice = _invoice(uid)
        invoices.append(
            {"uid": uid, "number": invoice.number if invoice is not None else ""}
        )
    return {
        "transaction_id": payment.transaction_id,
        "status": payment.status,
        "status_title": translate(
            STATUS_TITLES.get(payment.status, payment.status), context=request
        ),
        "regie": payment.regie,
        "amount_cents": payment.amount_cents,
        "amount": euros(payment.amount_cents),
        "invoices": invoices,
        "reference": payment.reference or "",
        "created_at": payment.created_at,
        "updated_at": payment.updated_at,
    }


class HouseholdInvoices:
    """The household's invoices by UID, from its own catalog entries: one
    search for a listing of payments, not one per invoice (#22); an invoice
    is taken from the household when asked for (``get``)."""

    def __init__(self, household):
        self.household = household
        self.brains = {
            brain.UID: brain for brain in households.own_brains(household, "Invoice")
        }

    def get(self, uid):
        brain = self.brains.get(uid)
        if brain is None:
            return None
        return households.own_object(self.household, brain)


def _invoice(uid):
    # UID alone: one entry in one index (with portal_type the catalog
    # intersected it with the town's invoices, #22); the type checked here
    for brain in _catalog().unrestrictedSearchResults(UID=uid):
        if brain.portal_type == "Invoice":
            return brain._unrestrictedGetObject()
    return None


def invoices_of(payment):
    """The payment's invoices (those still existing), in its order."""
    return [
        invoice
        for invoice in map(_invoice, payment.invoice_uids or ())
        if invoice is not None
    ]

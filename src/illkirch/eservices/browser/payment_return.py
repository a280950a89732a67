"""The citizen's return from the bank (« Paiement accepté », refused or
still waiting). It only reads the payment: only the bank's verified
notification (``payments/notification.py``) marks anything paid."""

from illkirch.eservices import _
from illkirch.eservices import business_days
from illkirch.eservices import dates
from illkirch.eservices import money
from illkirch.eservices.accounts import households
from illkirch.eservices.browser.invoices import InvoicesTab
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


TITLES = {
    "paid": _("payment_return_paid", default="Payment accepted"),
    "pending": _(
        "payment_return_pending", default="Your payment is being confirmed by the bank"
    ),
    "failed": _("payment_return_failed", default="Payment refused"),
    "cancelled": _("payment_return_cancelled", default="Payment cancelled"),
    "expired": _("payment_return_expired", default="Payment expired"),
}


class PaymentReturn(InvoicesTab):
    index = ViewPageTemplateFile("templates/payment_return.pt")
    aria_current = "true"
    page_title = _("heading_payment_return", default="Your payment")

    def __call__(self):
        from illkirch.eservices.payments import records

        self.household = households.current_household()
        self.payment = None
        if self.household is not None:
            transaction_id = self.request.form.get("transaction_id") or ""
            payment = records.find(transaction_id) if transaction_id else None
            mine = records.household_payments(self.household)
            if payment is None or payment.UID() not in {p.UID() for p in mine}:
                payment = mine[0] if mine else None
            self.payment = payment
        return self.index()

    def status(self):
        return self.payment.status if self.payment is not None else None

    def heading(self):
        return TITLES.get(self.status(), TITLES["pending"])

    def amount(self):
        return money.euros(self.payment.amount_cents)

    def paid_on(self):
        """When the bank's notification marked the payment paid, in the
        town's time (« 06/12/2026 14:05 »), as the emailed receipt says."""
        when = self.payment.updated_at or self.payment.created_at
        return dates.format_datetime(when, business_days.TIMEZONE)

    def bank_reference(self):
        """The bank's reference of the payment (its authorisation or
        transaction number), the portal's own number when the bank gave
        none: the one the emailed receipt gives."""
        return self.payment.reference or self.payment.transaction_id

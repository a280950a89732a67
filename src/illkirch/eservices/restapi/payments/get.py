"""``GET /@payments``: the logged-in citizen's household's card payments,
newest first (transaction, status, amount, invoices, dates)."""

from illkirch.eservices.accounts.households import current_household
from illkirch.eservices.payments import records
from illkirch.eservices.restapi.plain_json import plain
from plone.restapi.services import Service


class PaymentsGet(Service):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        household = current_household()
        if household is None:
            return {"items": [], "items_total": 0}
        known = records.HouseholdInvoices(household)
        items = [
            records.payment_info(payment, self.request, known)
            for payment in records.household_payments(household)
        ]
        return plain({"items": items, "items_total": len(items)})

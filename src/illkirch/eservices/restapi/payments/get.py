"""``GET /@payments``: the logged-in citizen's household's card payments,
newest first (transaction, status, amount, invoices, dates)."""

from illkirch.eservices.accounts.households import current_household
from illkirch.eservices.payments import records
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service


class PaymentsGet(Service):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        household = current_household()
        if household is None:
            return {"items": [], "items_total": 0}
        items = [
            records.payment_info(payment, self.request)
            for payment in records.household_payments(household)
        ]
        return json_compatible({"items": items, "items_total": len(items)})

"""``GET /@invoices?state=unpaid|paid``: the logged-in citizen's invoices of
the window of « Mes comptes » (``billing/invoices.py``); an account not yet
validated gets none, with the reason."""

from illkirch.eservices import _
from illkirch.eservices.accounts.households import current_household
from illkirch.eservices.billing import invoices
from illkirch.eservices.restapi.errors import error_answer
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service
from zope.i18n import translate


BAD_STATE = _("error_invoice_state", default="Give state=unpaid or state=paid.")


class InvoicesGet(Service):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        state = self.request.form.get("state") or "unpaid"
        if state not in ("unpaid", "paid"):
            return error_answer(self.request, 400, BAD_STATE)
        household = current_household()
        if not invoices.may_see_invoices(household):
            return {
                "items": [],
                "items_total": 0,
                "message": translate(invoices.NOT_VALIDATED, context=self.request),
            }
        titles = invoices.regie_titles()
        items = []
        for invoice in invoices.household_invoices(household, state):
            info = invoices.invoice_info(invoice, titles)
            info["@id"] = info.pop("url")
            info["state_title"] = translate(
                invoices.STATE_TITLES[info["state"]], context=self.request
            )
            items.append(info)
        return json_compatible(
            {
                "items": items,
                "items_total": len(items),
                "since": invoices.window_start(),
            }
        )

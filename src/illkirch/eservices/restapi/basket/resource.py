"""``/@cart``: the logged-in citizen's basket (``billing/basket.py``).

    GET    /@cart                   the basket: invoices, régie, total
    POST   /@cart                   {"uid": <invoice UID>} adds an invoice
    DELETE /@cart/<uid>             removes it
    POST   /@cart/checkout          creates the payment → {"redirect": …}

The total is the server's; nothing the client sends about amounts is read.
"""

from illkirch.eservices import money
from illkirch.eservices.accounts.households import current_household
from illkirch.eservices.billing import basket
from illkirch.eservices.billing import invoices
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.traversal import TraversingService
from plone import api
from plone.restapi.serializer.converters import json_compatible

import transaction


def basket_json(household):
    titles = invoices.regie_titles()
    items = []
    for invoice in basket.items(household):
        info = invoices.invoice_info(invoice, titles)
        info["@id"] = info.pop("url")
        info["due_cents"] = basket.due_cents(invoice)
        items.append(info)
    portal_url = api.portal.get().absolute_url()
    return json_compatible(
        {
            "@id": f"{portal_url}/@cart",
            "items": items,
            "regie": basket.regie(household),
            "total_cents": basket.total_cents(household),
            "total": money.euros(basket.total_cents(household)),
        }
    )


class BasketResource(TraversingService):
    """What the methods of ``@cart`` share: the household, the refusals."""

    def household(self):
        household = current_household()
        if not invoices.may_see_invoices(household):
            return None
        return household

    def refused(self, status, message, **extra):
        transaction.doom()
        return error_answer(self.request, status, message, **extra)

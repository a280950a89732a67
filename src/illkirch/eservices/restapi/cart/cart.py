"""``/@cart``: the logged-in citizen's basket (``billing/basket.py``).

    GET    /@cart                   the basket: invoices, régie, total
    POST   /@cart                   {"uid": <invoice UID>} adds an invoice
    DELETE /@cart/<uid>             removes it
    POST   /@cart/checkout          creates the payment → {"redirect": …}

The total is the server's; nothing the client sends about amounts is read.
"""

from illkirch.eservices.accounts.households import current_household
from illkirch.eservices.billing import basket
from illkirch.eservices.billing import invoices
from illkirch.eservices.restapi.base import TraversingService
from illkirch.eservices.restapi.errors import error_answer
from plone import api
from plone.restapi.deserializer import json_body
from plone.restapi.serializer.converters import json_compatible
from zope.i18n import translate

import transaction


def cart_json(household):
    titles = invoices.regie_titles()
    items = []
    for invoice in basket.items(household):
        info = invoices.invoice_info(invoice, titles)
        info["@id"] = info.pop("url")
        info["due_cents"] = basket.due_cents(invoice)
        items.append(info)
    portal_url = api.portal.get().absolute_url()
    return json_compatible({
        "@id": f"{portal_url}/@cart",
        "items": items,
        "regie": basket.regie(household),
        "total_cents": basket.total_cents(household),
        "total": invoices.euros(basket.total_cents(household)),
    })


class CartService(TraversingService):
    def household(self):
        household = current_household()
        if not invoices.may_see_invoices(household):
            return None
        return household

    def refused(self, status, message, **extra):
        transaction.doom()
        return error_answer(self.request, status, message, **extra)


class CartGet(CartService):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        household = self.household()
        if household is None or self.params:
            return self.refused(404, basket.NOT_FOUND)
        return cart_json(household)


class CartPost(CartService):
    def reply(self):
        data = json_body(self.request)
        household = self.household()
        if household is None:
            return self.refused(404, basket.NOT_FOUND)
        if self.params == ["checkout"]:
            return self.checkout(household)
        if self.params:
            return self.refused(404, basket.NOT_FOUND)
        from illkirch.eservices.payments import records

        try:
            basket.add(household, data.get("uid"),
                       in_payment=records.pending_invoice_uids(household))
        except basket.BasketRefused as refused:
            portal_url = api.portal.get().absolute_url()
            extra = {"basket_url": f"{portal_url}/@@panier",
                     "basket_link": translate(basket.TO_BASKET, context=self.request)
                     } if refused.to_basket else {}
            status = 404 if refused.message is basket.NOT_FOUND else 400
            return self.refused(status, refused.message, **extra)
        self.request.response.setStatus(201)
        return cart_json(household)

    def checkout(self, household):
        from illkirch.eservices.payments import checkout

        try:
            payment, url = checkout.start(household, checkout.return_url(),
                                          checkout.notify_url_base())
        except checkout.CheckoutRefused as refused:
            return self.refused(400, refused.message)
        return {"redirect": url,
                "transaction_id": payment.transaction_id,
                "amount_cents": payment.amount_cents}


class CartDelete(CartService):
    def reply(self):
        household = self.household()
        if household is None or len(self.params) != 1:
            return self.refused(404, basket.NOT_FOUND)
        basket.remove(household, self.params[0])
        return cart_json(household)

"""``POST /@cart`` ``{"uid": <invoice UID>}`` adds an invoice to the basket;
``POST /@cart/checkout`` creates the payment → ``{"redirect": …}``."""

from illkirch.eservices.billing import basket
from illkirch.eservices.restapi.basket.resource import BasketResource
from illkirch.eservices.restapi.basket.resource import basket_json
from plone import api
from plone.restapi.deserializer import json_body
from zope.i18n import translate


class CartPost(BasketResource):
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
            basket.add(
                household,
                data.get("uid"),
                in_payment=records.pending_invoice_uids(household),
            )
        except basket.BasketRefused as refused:
            portal_url = api.portal.get().absolute_url()
            extra = (
                {
                    "basket_url": f"{portal_url}/@@panier",
                    "basket_link": translate(basket.TO_BASKET, context=self.request),
                }
                if refused.to_basket
                else {}
            )
            status = 404 if refused.message is basket.NOT_FOUND else 400
            return self.refused(status, refused.message, **extra)
        self.request.response.setStatus(201)
        return basket_json(household)

    def checkout(self, household):
        from illkirch.eservices.payments import checkout

        try:
            payment, url = checkout.start(
                household, checkout.return_url(), checkout.notify_url_base()
            )
        except checkout.CheckoutRefused as refused:
            return self.refused(400, refused.message)
        return {
            "redirect": url,
            "transaction_id": payment.transaction_id,
            "amount_cents": payment.amount_cents,
        }

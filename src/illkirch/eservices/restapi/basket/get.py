"""``GET /@cart``: the logged-in citizen's basket."""

from illkirch.eservices.billing import basket
from illkirch.eservices.restapi.basket.resource import BasketResource
from illkirch.eservices.restapi.basket.resource import basket_json


class CartGet(BasketResource):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        household = self.household()
        if household is None or self.params:
            return self.refused(404, basket.NOT_FOUND)
        return basket_json(household)

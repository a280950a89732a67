"""``DELETE /@cart/<uid>``: removes an invoice from the basket."""

from illkirch.eservices.billing import basket
from illkirch.eservices.restapi.basket.resource import BasketResource
from illkirch.eservices.restapi.basket.resource import basket_json


class CartDelete(BasketResource):
    def reply(self):
        household = self.household()
        if household is None or len(self.params) != 1:
            return self.refused(404, basket.NOT_FOUND)
        basket.remove(household, self.params[0])
        return basket_json(household)

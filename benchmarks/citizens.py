"""A manifest citizen logged in, with an invoice its basket accepts."""

from errors import BenchError
from pages import BASKET_ADDED
from pages import BASKET_REMOVED
from pages import basket_form
from pages import forget_status_messages
from pages import shows
from pages import status_messages
from sessions import page_session
from sessions import rest_session
from timing import timed


def empty_basket(rest, url):
    """Take every invoice out of the citizen's basket (``/@cart``)."""
    basket = rest.get(f"{url}/@cart", timeout=120)
    if basket.status_code != 200:
        raise BenchError(f"GET /@cart answered {basket.status_code}")
    for item in basket.json().get("items", []):
        answer = rest.delete(f"{url}/@cart/{item['uid']}", timeout=120)
        if answer.status_code >= 300:
            raise BenchError(f"DELETE /@cart/… answered {answer.status_code}")


class Citizen:
    """A manifest citizen: a page session (cookie), a REST session (JWT),
    the CSRF token of « Mes comptes » and a « ville » invoice that the basket
    accepts (tried once: an invoice in a payment in progress is refused)."""

    def __init__(self, url, login, password):
        self.url = url
        self.login = login
        self.page = page_session(url, login, password)
        self.rest = rest_session(url, login, password)
        empty_basket(self.rest, url)
        html = self.page.get(f"{url}/@@mon-espace-factures", timeout=120).text
        self.token, uids = basket_form(html)
        self.uid = next((uid for uid in uids if self.add(uid)[0]), None)
        if not (self.token and self.uid):
            raise BenchError(
                f"{login}: no « Régie Ville » invoice that the basket "
                "accepts in « Mes comptes » (or no form token)"
            )
        self.remove()

    def add(self, uid=None):
        """POST the form « Ajouter au panier »; ``(accepted, response, client
        ms, server ms)``."""
        response, client, server = timed(
            self.page,
            "POST",
            f"{self.url}/@@panier-ajouter",
            "basket add",
            status=302,
            data={"_authenticator": self.token, "uid": uid or self.uid},
        )
        accepted = BASKET_ADDED in status_messages(response)
        forget_status_messages(self.page)
        return accepted, response, client, server

    def remove(self):
        timed(
            self.page,
            "POST",
            f"{self.url}/@@panier-retirer",
            "basket remove",
            status=302,
            data={"_authenticator": self.token, "uid": self.uid},
            check=shows(BASKET_REMOVED),
        )
        forget_status_messages(self.page)

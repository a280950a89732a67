"""The basket (« Panier ») and the card payment pages: add and remove
invoices from « Mes comptes », the basket with its total, the checkout that
sends the citizen to the régie's bank, the return page. The rules are in
``billing/basket.py`` and ``payments/``: these views read the form and show
the outcome (POST/redirect/GET)."""

from illkirch.eservices import _
from illkirch.eservices import money
from illkirch.eservices.accounts import households
from illkirch.eservices.billing import basket
from illkirch.eservices.billing import invoices
from illkirch.eservices.browser.invoices import InvoicesTab
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import NotFound
from zope.i18n import translate

import transaction


def root_url(context):
    return api.portal.get_navigation_root(context).absolute_url()


class BasketPage(InvoicesTab):
    """« Panier »: a page below « Mes comptes »."""

    index = ViewPageTemplateFile("templates/basket.pt")
    aria_current = "true"
    page_title = _("heading_basket", default="Your basket")

    def basket_rows(self):
        titles = invoices.regie_titles()
        return [
            dict(
                invoices.invoice_info(invoice, titles),
                due=money.euros(basket.due_cents(invoice)),
            )
            for invoice in basket.items(self.household)
        ]

    def total(self):
        return money.euros(basket.total_cents(self.household))


class BasketAction(BrowserView):
    """Base of the POST forms of the basket."""

    def __call__(self):
        if self.request.method != "POST":
            raise NotFound(self.__name__)
        CheckAuthenticator(self.request)
        self.household = households.current_household()
        if not invoices.may_see_invoices(self.household):
            raise NotFound(self.__name__)
        return self.act()

    def back(self, view="mon-espace-factures", query=""):
        self.request.response.redirect(f"{root_url(self.context)}/@@{view}{query}")
        return ""

    def message(self, message, kind="info"):
        api.portal.show_message(
            translate(message, context=self.request), request=self.request, type=kind
        )


class AddToBasket(BasketAction):
    def act(self):
        from illkirch.eservices.payments import records

        try:
            basket.add(
                self.household,
                self.request.form.get("uid", ""),
                in_payment=records.pending_invoice_uids(self.household),
            )
        except basket.BasketRefused as refused:
            transaction.doom()
            if refused.to_basket:
                return self.back(query="?panier=refus#panier-refus")
            self.message(refused.message, "error")
            return self.back()
        self.message(
            _("message_basket_added", default="The invoice is in your basket.")
        )
        return self.back()


class RemoveFromBasket(BasketAction):
    def act(self):
        basket.remove(self.household, self.request.form.get("uid", ""))
        self.message(
            _(
                "message_basket_removed",
                default="The invoice is no longer in your basket.",
            )
        )
        return self.back("panier")


class Checkout(BasketAction):
    """Create the payment and send the citizen to the bank."""

    def act(self):
        from illkirch.eservices.payments import checkout

        try:
            _payment, url = checkout.start(
                self.household, checkout.return_url(), checkout.notify_url_base()
            )
        except checkout.CheckoutRefused as refused:
            transaction.doom()
            self.message(refused.message, "error")
            return self.back("panier")
        self.request.response.redirect(url)
        return ""

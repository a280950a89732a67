"""« Banque de démonstration »: a local stand-in for a bank, for the demo
and test sites only (registry record ``illkirch.eservices.demo_bank``).

eopayment's ``dummy`` backend sends the citizen to a remote test bank with a
query string; the portal serves that query string here instead (see
``payments.checkout.demo_bank_url``), offline. « Payer » or « Refuser » posts the
notification to the portal's own ``/@payment-notify/<transaction>`` like a
bank's server would, then sends the citizen back to the return page. The
``dummy`` backend trusts any notification, so ``payments.checkout`` refuses
it whenever the demo bank is off.
"""

from illkirch.eservices import _
from illkirch.eservices import offered_backends
from illkirch.eservices import urls
from illkirch.eservices.money import euros
from illkirch.eservices.money import parse_cents
from illkirch.eservices.payments import checkout
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode
from zExceptions import NotFound

import logging
import urllib.request


logger = logging.getLogger(__name__)


class DemoBank(BrowserView):
    index = ViewPageTemplateFile("templates/demo_bank.pt")
    page_title = _("heading_demo_bank", default="Demonstration bank")

    def __call__(self):
        if not offered_backends.dummy_allowed():
            raise NotFound(checkout.DEMO_BANK_PATH)
        form = self.request.form
        self.transaction_id = str(form.get("transaction_id") or "")
        self.amount_text = str(form.get("amount") or "")
        self.origin = str(form.get("origin") or "")
        self.notify_url = str(form.get("direct_notification_url") or "")
        self.return_url = str(form.get("return_url") or "")
        # Only the portal's own addresses (its public URL, which the checkout
        # gives the bank, or the one it is served at): never elsewhere.
        bases = {api.portal.get().absolute_url(), urls.public_base()}
        if (
            not self.transaction_id
            or not any(
                self.notify_url.startswith(f"{base}/@payment-notify/") for base in bases
            )
            or not any(self.return_url.startswith(f"{base}/") for base in bases)
        ):
            raise NotFound(checkout.DEMO_BANK_PATH)
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            return self.answer(self.request.form.get("decision") == "pay")
        return self.index()

    def amount(self):
        try:
            return euros(parse_cents(self.amount_text))
        except ValueError:
            return self.amount_text

    def answer(self, paid):
        """Notify the portal as the bank's server, then send the citizen back."""
        query = {
            "transaction_id": self.transaction_id,
            "signed": "1",
            "amount": self.amount_text,
        }
        if paid:
            query["ok"] = "1"
        data = urlencode(query).encode("ascii")
        try:
            with urllib.request.urlopen(
                self.notify_url, data=data, timeout=30
            ) as reply:
                reply.read()
        except OSError as error:
            logger.warning(
                "Demo bank: notification of %s failed: %s", self.transaction_id, error
            )
        separator = "&" if "?" in self.return_url else "?"
        self.request.response.redirect(
            f"{self.return_url}{separator}"
            f"{urlencode({'transaction_id': self.transaction_id})}"
        )
        return ""

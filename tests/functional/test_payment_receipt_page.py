"""The return page from the bank (``@@paiement-retour``) is a receipt once
the payment is paid: over HTTP, it gives the date of the payment and the
bank's reference, those of the emailed receipt; a refused payment shows
neither."""

from illkirch.eservices import business_days
from illkirch.eservices import dates
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.billing import basket
from illkirch.eservices.payments import checkout
from illkirch.eservices.payments import records
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.payments import bank_fields
from illkirch.eservices.testing.payments import invoice_by_number
from illkirch.eservices.testing.payments import use_systempay
from illkirch.eservices.testing.sessions import cookie_session
from plone.app.testing import login
from plone.app.testing import logout

import html
import lxml.html
import re
import requests
import transaction
import unittest


FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}


def text(element):
    return re.sub(r"\s+", " ", element.text_content()).strip()


class TestReceiptPage(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.household = household_of("amelie.lire")
        use_systempay("ville")
        login(self.portal, "amélie.lire")
        self.addCleanup(logout)

    def pay(self, number, result):
        basket.add(
            self.household,
            invoice_by_number(self.household, number).UID(),
            in_payment=records.pending_invoice_uids(self.household),
        )
        payment, _url = checkout.start(
            self.household, checkout.return_url(), checkout.notify_url_base()
        )
        transaction.commit()
        response = requests.post(
            f"{self.url}/@payment-notify/{payment.getId()}",
            data=bank_fields(payment, result),
            headers=FORM,
            timeout=60,
        )
        self.assertEqual(response.status_code, 200, response.text)
        transaction.begin()
        self.portal._p_jar.sync()
        return records.find(payment.transaction_id)

    def receipt(self, payment):
        session = cookie_session(self.url, *AMELIE)
        self.addCleanup(session.close)
        response = session.get(
            f"{self.url}/@@paiement-retour",
            params={"transaction_id": payment.transaction_id},
        )
        self.assertEqual(response.status_code, 200)
        return lxml.html.fromstring(response.text)

    def test_paid_payment_shows_its_date_and_bank_reference(self):
        payment = self.pay("V-2026-0412", "00")
        self.assertEqual(payment.status, records.PAID)
        page = self.receipt(payment)
        self.assertEqual(
            text(page.get_element_by_id("payment-status")), "Paiement accepté"
        )
        paid_on = dates.format_datetime(payment.updated_at, business_days.TIMEZONE)
        self.assertRegex(paid_on, r"^\d\d/\d\d/\d{4} \d\d:\d\d$")
        self.assertEqual(
            text(page.get_element_by_id("payment-date")),
            f"Date du paiement : {paid_on}",
        )
        self.assertTrue(payment.reference)
        self.assertEqual(
            text(page.get_element_by_id("payment-reference")),
            f"Référence bancaire : {payment.reference}",
        )
        # the emailed receipt gives the same reference
        receipt = self.layer["mailsink"].messages()[-1]
        receipt = receipt.get_body(("plain",)).get_content()
        self.assertIn(payment.reference, html.unescape(receipt))

    def test_refused_payment_shows_neither(self):
        payment = self.pay("V-2026-0412", "05")
        self.assertNotEqual(payment.status, records.PAID)
        page = self.receipt(payment)
        self.assertEqual(
            text(page.get_element_by_id("payment-status")), "Paiement refusé"
        )
        self.assertEqual(
            page.xpath("//*[@id='payment-date' or @id='payment-reference']"), []
        )

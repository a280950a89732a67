"""The bank's notifications over HTTP (``/@payment-notify/<transaction>``),
against the running test server with a real SMTP sink.

The régie « ville » uses eopayment's ``systempayv2`` backend with test keys;
the test plays the bank and signs with eopayment's own code. A valid
notification pays once and sends one receipt, also when sent ten times at
once; forged, wrong-amount, unknown and replayed notifications pay nothing
and get 400, never 500.
"""

from concurrent.futures import ThreadPoolExecutor
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.billing import basket
from illkirch.eservices.payments import checkout
from illkirch.eservices.payments import records
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.payments import bank_fields
from illkirch.eservices.testing.payments import invoice_by_number
from illkirch.eservices.testing.payments import use_systempay
from illkirch.eservices.testing.sessions import ACCEPT_JSON
from illkirch.eservices.testing.sessions import rest_session
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from urllib.parse import parse_qsl
from ZODB.POSException import ConflictError
from zope.component import getGlobalSiteManager
from ZPublisher.interfaces import IPubBeforeAbort

import requests
import time
import transaction
import unittest


FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}


def signed_answer(payment, result="00", amount_cents=None, secret=None):
    """The form SystemPay would post about ``payment``."""
    return bank_fields(payment, result, amount_cents, secret)


class TestPaymentNotification(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.sink = self.layer["mailsink"]
        self.household = household_of("amelie.lire")
        use_systempay("ville")
        login(self.portal, "amélie.lire")
        self.addCleanup(logout)

    def invoice(self, number):
        return invoice_by_number(self.household, number)

    def checkout(self, *numbers):
        for number in numbers:
            basket.add(
                self.household,
                self.invoice(number).UID(),
                in_payment=records.pending_invoice_uids(self.household),
            )
        payment, url = checkout.start(
            self.household, checkout.return_url(), checkout.notify_url_base()
        )
        transaction.commit()
        return payment, url

    def notify_url(self, payment_or_id):
        """The notification URL, on the test server."""
        name = getattr(payment_or_id, "getId", lambda: payment_or_id)()
        return f"{self.url}/@payment-notify/{name}"

    def post(self, payment, data, api=False):
        url = self.notify_url(payment)
        if api:  # the REST service itself
            url = url.replace("/@payment-notify/", "/++api++/@payment-notify/")
        return requests.post(url, data=data, headers=FORM, timeout=60)

    def sync(self):
        transaction.begin()
        self.portal._p_jar.sync()

    def state(self, number):
        self.sync()
        return api.content.get_state(self.invoice(number))

    def mails(self, expected, wait=5.0):
        """The sink's messages once it holds ``expected`` of them (or after
        ``wait`` seconds). A receipt is sent over SMTP when its notification's
        transaction commits, before the bank gets its answer: once every
        answer is in, no later mail can come, and the count is final."""
        deadline = time.monotonic() + wait
        while True:
            messages = self.sink.messages()
            if len(messages) >= expected or time.monotonic() > deadline:
                return messages
            time.sleep(0.1)

    def pay_history(self, number):
        self.sync()
        history = self.invoice(number).workflow_history.get("invoice_workflow", ())
        return [entry for entry in history if entry.get("action") == "pay"]

    def test_the_notification_url_is_what_the_bank_is_given(self):
        # built from the portal's public address, never from the request
        api.portal.set_registry_record(
            "illkirch.eservices.public_url",
            "https://eservices.illkirch.example/portail/",
        )
        payment, url = self.checkout("V-2026-0412")
        fields = dict(parse_qsl(url.split("?", 1)[1]))
        self.assertEqual(
            fields["vads_url_check"],
            "https://eservices.illkirch.example/portail/@payment-notify/"
            f"{payment.getId()}",
        )
        self.assertEqual(
            fields["vads_url_return"],
            "https://eservices.illkirch.example/portail/@@paiement-retour",
        )

    def test_valid_notification_twice_pays_once(self):
        payment, _ = self.checkout("V-2026-0412")
        answer = signed_answer(payment)
        first = self.post(payment, answer)
        self.assertEqual((first.status_code, first.text), (200, "OK"))
        self.assertEqual(self.state("V-2026-0412"), "paid")
        second = self.post(payment, answer, api=True)
        self.assertEqual((second.status_code, second.text), (200, "OK"))
        # banks also call with GET
        third = requests.get(self.notify_url(payment), params=answer, timeout=60)
        self.assertEqual(third.status_code, 200)
        self.assertEqual(len(self.pay_history("V-2026-0412")), 1)
        mails = self.mails(expected=1)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails[0]["To"], "amelie.lire@example.org")
        self.assertIn("V-2026-0412", mails[0].get_body(("plain",)).get_content())
        # the citizen's list of payments
        session = rest_session(self.url, *AMELIE)
        items = session.get(f"{self.url}/@payments").json()["items"]
        self.assertEqual(
            [(i["transaction_id"], i["status"], i["amount_cents"]) for i in items],
            [(payment.transaction_id, "paid", payment.amount_cents)],
        )
        self.assertEqual([i["number"] for i in items[0]["invoices"]], ["V-2026-0412"])
        self.assertEqual(
            requests.get(
                f"{self.url}/@payments", headers=ACCEPT_JSON, timeout=60
            ).status_code,
            401,
        )

    def test_ten_identical_notifications_at_once_pay_once(self):
        payment, _ = self.checkout("V-2026-0412", "V-2026-0388")
        answer = signed_answer(payment)
        aborts = []
        gsm = getGlobalSiteManager()
        handler = lambda event: aborts.append(event.exc_info[0])  # noqa: E731
        gsm.registerHandler(handler, (IPubBeforeAbort,))
        self.addCleanup(gsm.unregisterHandler, handler, (IPubBeforeAbort,))
        with ThreadPoolExecutor(max_workers=10) as pool:
            responses = list(
                pool.map(lambda i: self.post(payment, answer, api=i % 2), range(10))
            )
        self.assertEqual([r.status_code for r in responses], [200] * 10)
        # the only attempts undone were conflicts, retried by the publisher
        self.assertEqual(
            [exc for exc in aborts if not issubclass(exc, ConflictError)], []
        )
        self.assertEqual(len(self.pay_history("V-2026-0412")), 1)
        self.assertEqual(len(self.pay_history("V-2026-0388")), 1)
        self.sync()
        self.assertEqual(records.find(payment.transaction_id).status, "paid")
        self.assertEqual(len(self.mails(expected=1)), 1)

    def test_unusable_notifications_pay_nothing(self):
        payment, _ = self.checkout("V-2026-0412")
        other, _ = self.checkout("V-2026-0388")
        for target, data in (
            (payment, signed_answer(payment, secret="Guessed")),  # forged
            (payment, signed_answer(payment, amount_cents=1)),  # wrong amount
            (payment, dict(signed_answer(payment), vads_amount="1")),  # tampered
            (payment, signed_answer(other)),  # another's
            ("inconnue", signed_answer(payment)),  # unknown
            (payment, {}),
            (payment, {"vads_result": "00"}),
        ):
            for api_ in (False, True):
                response = self.post(target, data, api=api_)
                self.assertEqual(response.status_code, 400, data)
        response = requests.get(
            self.notify_url(payment),
            params=signed_answer(payment, secret="Guessed"),
            timeout=60,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.state("V-2026-0412"), "unpaid")
        self.assertEqual(self.state("V-2026-0388"), "unpaid")
        self.assertEqual(records.find(payment.transaction_id).status, "pending")
        self.assertEqual(self.sink.messages(), [])

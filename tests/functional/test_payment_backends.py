"""Every payment backend offered to the régies, proven end to end over HTTP.

For each backend the test plays the bank with eopayment's own code for that
backend (``illkirch.eservices.testing.payments``): the citizen checks out
through ``POST /@cart/checkout``; the bank reads the portal's request (and
checks its signature as the bank would); the bank's notification is signed
with the keys of the régie's test or production account and sent, as the
bank sends it, to the notification URL the portal gave (built from the
portal's public address, registry ``illkirch.eservices.public_url``, and
served here by the test server). Then:

- a genuine notification pays the invoices once, a replay changes nothing;
- a tampered notification (its amount changed, its signature kept), a
  wrongly signed one, one with a wrong amount and another payment's change
  nothing;
- a notification of the bank's test platform sent to a production régie
  changes nothing, and the genuine one still pays afterwards.

Two substitutions are made by the test, never by the portal: **Paybox**
signs with its private RSA key, so the test generates a key pair and puts
its public key in the place of Paybox's in eopayment
(``PayboxBank.use_key``); **PayFiP** is asked through its SOAP web service,
so the test runs a responder on 127.0.0.1 speaking the DGFiP's WSDL and
points eopayment's client at it (``PayFiPResponder``).
"""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.billing import regies
from illkirch.eservices.payments import backends
from illkirch.eservices.payments import checkout
from illkirch.eservices.payments import records
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.payments import OgoneBank
from illkirch.eservices.testing.payments import PayboxBank
from illkirch.eservices.testing.payments import PayFiPBank
from illkirch.eservices.testing.payments import PayFiPResponder
from illkirch.eservices.testing.payments import PayZenBank
from illkirch.eservices.testing.payments import Sips2Bank
from illkirch.eservices.testing.payments import SystemPayBank
from illkirch.eservices.testing.payments import invoice_by_number
from illkirch.eservices.testing.sessions import rest_session
from plone import api

import requests
import time
import transaction
import unittest


PUBLIC = "https://eservices.illkirch.example/portail"
HEADERS = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}


class BackendProof:
    """The proof every offered backend passes (mixed into one TestCase per
    backend below)."""

    layer = DEMO_FUNCTIONAL_TESTING
    production = True

    def make_bank(self):
        raise NotImplementedError

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.sink = self.layer["mailsink"]
        self.bank = self.make_bank()
        self.household = household_of("amelie.lire")
        api.portal.set_registry_record("illkirch.eservices.public_url", PUBLIC)
        self.regie = checkout.get_regie("ville")
        self.options = regies.set_backend(
            self.regie, self.bank.kind, self.bank.options(self.production)
        )
        transaction.commit()
        self.session = rest_session(self.url, *AMELIE)

    # --- the citizen and the bank --------------------------------------

    def sync(self):
        transaction.begin()
        self.portal._p_jar.sync()

    def invoice(self, number):
        return invoice_by_number(self.household, number)

    def checkout(self, *numbers):
        """Pay these invoices: ``(payment id, the bank's request)``."""
        for number in numbers:
            response = self.session.post(
                f"{self.url}/@cart", json={"uid": self.invoice(number).UID()}
            )
            self.assertEqual(response.status_code, 201, response.text)
        response = self.session.post(f"{self.url}/@cart/checkout", json={})
        self.assertEqual(response.status_code, 200, response.text)
        self.sync()
        payment = records.find(response.json()["transaction_id"])
        request = self.bank.request(
            payment.getId(), response.json()["redirect"], self.options
        )
        return payment.getId(), request

    def notify(self, request, data):
        """Send the notification where the bank sends it: the URL the portal
        gave, on the test server (Ogone's is set in its back office)."""
        url = request["notify_url"] or f"{PUBLIC}/@payment-notify"
        self.assertTrue(url.startswith(PUBLIC), url)
        url = self.url + url[len(PUBLIC) :]
        if self.bank.method == "GET":
            return requests.get(url, params=data, timeout=60)
        return requests.post(url, data=data, headers=HEADERS, timeout=60)

    def payment(self, payment_id):
        self.sync()
        return records.find(payment_id)

    def state(self, number):
        self.sync()
        return api.content.get_state(self.invoice(number))

    def pay_history(self, number):
        self.sync()
        history = self.invoice(number).workflow_history.get("invoice_workflow", ())
        return [entry for entry in history if entry.get("action") == "pay"]

    def assert_unchanged(self, payment_id, *numbers):
        self.assertEqual(self.payment(payment_id).status, "pending")
        for number in numbers:
            self.assertEqual(self.state(number), "unpaid")
        self.assertEqual(self.sink.messages(), [])

    def assert_paid_once(self, payment_id, *numbers):
        self.assertEqual(self.payment(payment_id).status, "paid")
        for number in numbers:
            self.assertEqual(self.state(number), "paid")
            self.assertEqual(len(self.pay_history(number)), 1)

    # --- the proof -----------------------------------------------------

    def test_the_bank_is_asked_the_servers_amount_for_the_portals_reference(self):
        self.assertIn(self.bank.kind, [kind for kind, _title in regies.backends()])
        payment_id, request = self.checkout("V-2026-0412", "V-2026-0388")
        payment = self.payment(payment_id)
        self.assertEqual(request["reference"], payment_id)
        self.assertEqual(request["amount_cents"], payment.amount_cents)
        if request["notify_url"] is not None:
            self.assertEqual(
                request["notify_url"], f"{PUBLIC}/@payment-notify/{payment_id}"
            )

    def test_genuine_notification_pays_once_and_a_replay_changes_nothing(self):
        payment_id, request = self.checkout("V-2026-0412", "V-2026-0388")
        genuine = self.bank.notification(request)
        response = self.notify(request, genuine)
        self.assertEqual((response.status_code, response.text), (200, "OK"))
        self.assert_paid_once(payment_id, "V-2026-0412", "V-2026-0388")
        for _ in range(2):
            self.assertEqual(self.notify(request, genuine).status_code, 200)
        self.assert_paid_once(payment_id, "V-2026-0412", "V-2026-0388")
        self.assertEqual(self.payment(payment_id).amount_cents, request["amount_cents"])
        deadline = time.monotonic() + 5
        while not self.sink.messages() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        self.assertEqual(len(self.sink.messages()), 1)

    def test_tampered_wrongly_signed_or_wrong_amount_changes_nothing(self):
        payment_id, request = self.checkout("V-2026-0412")
        other_id, other_request = self.checkout("V-2026-0388")
        genuine = self.bank.notification(request)
        for data in (
            self.bank.tamper(genuine),
            self.bank.notification(request, forged=True),
            self.bank.notification(request, amount_cents=1),
            self.bank.notification(request, amount_cents=request["amount_cents"] * 2),
        ):
            response = self.notify(request, data)
            self.assertEqual(response.status_code, 400, data)
        # another payment's genuine notification, sent to this one's URL
        if request["notify_url"] is not None:
            response = self.notify(request, self.bank.notification(other_request))
            self.assertEqual(response.status_code, 400)
            self.assertEqual(self.payment(other_id).status, "pending")
        self.assert_unchanged(payment_id, "V-2026-0412", "V-2026-0388")
        # the genuine one still pays, once
        response = self.notify(request, self.bank.notification(request))
        self.assertEqual(response.status_code, 200)
        self.assert_paid_once(payment_id, "V-2026-0412")
        self.assertEqual(self.state("V-2026-0388"), "unpaid")

    def test_test_mode_notification_on_a_production_regie_changes_nothing(self):
        self.assertFalse(
            backends.regie_is_test(self.bank.kind, self.regie.backend_options)
        )
        payment_id, request = self.checkout("V-2026-0412")
        test_mode = self.bank.notification(request, test_mode=True)
        for _ in range(2):
            response = self.notify(request, test_mode)
            self.assertEqual(response.status_code, 400)
        self.assert_unchanged(payment_id, "V-2026-0412")
        # the payment stays pending: the genuine notification still pays it
        response = self.notify(request, self.bank.notification(request))
        self.assertEqual(response.status_code, 200)
        self.assert_paid_once(payment_id, "V-2026-0412")


class TestSystemPay(BackendProof, unittest.TestCase):
    def make_bank(self):
        return SystemPayBank()


class TestPayZen(BackendProof, unittest.TestCase):
    def make_bank(self):
        return PayZenBank()


class TestSips2(BackendProof, unittest.TestCase):
    def make_bank(self):
        return Sips2Bank()


class TestOgone(BackendProof, unittest.TestCase):
    def make_bank(self):
        return OgoneBank()


class TestPaybox(BackendProof, unittest.TestCase):
    def make_bank(self):
        bank = PayboxBank()
        self.addCleanup(bank.use_key())
        return bank


class TestPayFiP(BackendProof, unittest.TestCase):
    def make_bank(self):
        responder = PayFiPResponder().start()
        self.addCleanup(responder.stop)
        return PayFiPBank(responder)


class TestTestRegie(unittest.TestCase):
    """A régie in test mode pays with its test platform's notifications and
    refuses the production platform's (SystemPay, signed with the secret of
    the mode the notification names)."""

    layer = DEMO_FUNCTIONAL_TESTING

    def test_a_test_regie_refuses_a_production_notification(self):
        proof = TestSystemPay(
            "test_genuine_notification_pays_once_and_a_replay_changes_nothing"
        )
        proof.production = False
        proof.setUp()
        payment_id, request = proof.checkout("V-2026-0412")
        production = proof.bank.notification(request)
        production["vads_ctx_mode"] = "PRODUCTION"
        production["signature"] = proof.bank.backend(
            proof.bank.options(production=True)
        ).signature(production)
        self.assertEqual(proof.notify(request, production).status_code, 400)
        proof.assert_unchanged(payment_id, "V-2026-0412")
        response = proof.notify(request, proof.bank.notification(request))
        self.assertEqual(response.status_code, 200)
        proof.assert_paid_once(payment_id, "V-2026-0412")

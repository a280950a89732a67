"""Card payments (payments/): checkout from the basket, the bank's verified
answer paying the invoices once, refusals, expiry and the recheck.

The régie « ville » is switched to eopayment's ``systempayv2`` backend with
test keys, and the test plays the bank: it signs its answers with
eopayment's own code and the régie's test secret.
"""

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from illkirch.eservices import offered_backends
from illkirch.eservices.billing import basket
from illkirch.eservices.payments import checkout
from illkirch.eservices.payments import notification
from illkirch.eservices.payments import recheck
from illkirch.eservices.payments import records
from illkirch.eservices.testing.payments import NOTIFY_BASE
from illkirch.eservices.testing.payments import RETURN_URL
from illkirch.eservices.testing.payments import PaymentsTestCase
from illkirch.eservices.testing.payments import bank_fields
from plone import api
from plone.app.testing import logout
from unittest import mock
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit

import eopayment


def bank_answer(
    payment, result="00", amount_cents=None, secret=None, transaction_id=None
):
    """The query string SystemPay would send about ``payment``, signed."""
    return urlencode(bank_fields(payment, result, amount_cents, secret, transaction_id))


class TestCheckout(PaymentsTestCase):
    def test_checkout_records_the_basket_and_empties_it(self):
        first, second = self.invoice("V-2026-0412"), self.invoice("V-2026-0388")
        payment, url = self.checkout("V-2026-0412", "V-2026-0388")
        self.assertEqual(payment.status, "pending")
        self.assertEqual(payment.regie, "ville")
        self.assertEqual(
            payment.amount_cents, basket.due_cents(first) + basket.due_cents(second)
        )
        self.assertEqual(payment.invoice_uids, [first.UID(), second.UID()])
        self.assertIsNotNone(payment.created_at)
        self.assertEqual(payment.aq_parent, self.household)
        self.assertEqual(records.find(payment.transaction_id), payment)
        self.assertEqual(records.find(payment.getId()), payment)
        self.assertEqual(basket.items(self.household), [])
        self.assertEqual(
            records.pending_invoice_uids(self.household), {first.UID(), second.UID()}
        )
        self.assertEqual(records.household_payments(self.household), [payment])
        # the bank is told the amount of the basket and our notification URL
        fields = dict(parse_qsl(urlsplit(url).query))
        self.assertTrue(url.startswith("https://paiement.systempay.fr/"))
        self.assertEqual(fields["vads_amount"], str(payment.amount_cents))
        self.assertEqual(fields["vads_url_check"], f"{NOTIFY_BASE}/{payment.getId()}")
        self.assertEqual(fields["vads_url_return"], RETURN_URL)
        self.assertEqual(fields["vads_cust_email"], "amelie.lire@example.org")
        self.assertNotIn("TestSecret2026", url)
        # an invoice in a payment in progress cannot go into the basket
        with self.assertRaises(basket.BasketRefused):
            self.add("V-2026-0412")

    def test_empty_basket_is_refused(self):
        with self.assertRaises(checkout.CheckoutRefused) as refused:
            checkout.start(self.household, RETURN_URL, NOTIFY_BASE)
        self.assertEqual(refused.exception.message, checkout.EMPTY_BASKET)
        self.assertEqual(records.household_payments(self.household), [])

    def test_start_takes_no_amount_nor_invoices_from_the_browser(self):
        import inspect

        self.assertEqual(
            list(inspect.signature(checkout.start).parameters),
            ["household", "return_url", "notify_url_base"],
        )

    def test_misconfigured_backend_is_refused_and_nothing_recorded(self):
        checkout.get_regie("ville").backend_options = {}  # no site id, no secret
        with self.assertRaises(checkout.CheckoutRefused) as refused:
            self.checkout("V-2026-0412")
        self.assertEqual(refused.exception.message, checkout.UNAVAILABLE)
        self.assertEqual(records.household_payments(self.household), [])
        self.assertEqual(len(basket.items(self.household)), 1)

    def test_dummy_backend_only_on_demo_sites(self):
        with mock.patch.object(offered_backends, "dummy_allowed", return_value=False):
            with self.assertRaises(checkout.CheckoutRefused):
                self.checkout("C-2026-0093")
        self.assertEqual(records.household_payments(self.household), [])

    def test_dummy_backend_on_demo_sites(self):
        invoice = self.invoice("C-2026-0093")
        with mock.patch.object(offered_backends, "dummy_allowed", return_value=True):
            payment, url = self.checkout("C-2026-0093")
            fields = dict(parse_qsl(urlsplit(url).query))
            self.assertEqual(fields["transaction_id"], payment.transaction_id)
            self.assertEqual(
                fields["direct_notification_url"], f"{NOTIFY_BASE}/{payment.getId()}"
            )
            amount = fields["amount"]
            # unsigned: nothing
            with self.assertRaises(notification.NotificationError):
                notification.handle(
                    payment.getId(),
                    urlencode(
                        {
                            "transaction_id": payment.transaction_id,
                            "ok": "1",
                            "amount": amount,
                        }
                    ),
                )
            self.assertEqual(payment.status, "pending")
            _, changed = notification.handle(
                payment.getId(),
                urlencode(
                    {
                        "transaction_id": payment.transaction_id,
                        "signed": "1",
                        "ok": "1",
                        "amount": amount,
                    }
                ),
            )
        self.assertTrue(changed)
        self.assertEqual(payment.status, "paid")
        self.assertEqual(api.content.get_state(invoice), "paid")
        # the demo bank is refused once the site is not a demo any more
        payment.status = "pending"
        with mock.patch.object(offered_backends, "dummy_allowed", return_value=False):
            with self.assertRaises(notification.NotificationError):
                notification.handle(
                    payment.getId(),
                    urlencode(
                        {
                            "transaction_id": payment.transaction_id,
                            "signed": "1",
                            "ok": "1",
                            "amount": amount,
                        }
                    ),
                )


class TestNotification(PaymentsTestCase):
    def test_valid_notification_pays_once_and_sends_one_receipt(self):
        invoice = self.invoice("V-2026-0412")
        total = invoice.total_cents
        payment, _ = self.checkout("V-2026-0412")
        answer = bank_answer(payment)
        logout()  # the bank is anonymous
        same, changed = notification.handle(payment.getId(), answer)
        self.assertEqual(same, payment)
        self.assertTrue(changed)
        self.assertEqual(payment.status, "paid")
        self.assertEqual(payment.reference, "A1B2C3")
        self.assertEqual(payment.bank_data["vads_amount"], str(total))
        self.assertEqual(api.content.get_state(invoice), "paid")
        self.assertEqual(invoice.paid_cents, total)
        self.assertEqual(invoice.payment_reference, "A1B2C3")
        self.assertIsNotNone(invoice.paid_on)
        self.assertEqual(records.pending_invoice_uids(self.household), set())
        for _ in range(3):
            self.assertEqual(
                notification.handle(payment.getId(), answer), (payment, False)
            )
            self.assertEqual(
                notification.handle(payment.transaction_id, answer), (payment, False)
            )
        self.assertEqual(invoice.paid_cents, total)
        mails = self.mails()
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails[0]["To"], "amelie.lire@example.org")
        body = mails[0].get_body(("plain",)).get_content()
        self.assertIn("V-2026-0412", body)
        self.assertIn("A1B2C3", body)
        self.assertIn("76,00", body)

    def assert_nothing_paid(self, payment, *numbers):
        self.assertEqual(payment.status, "pending")
        for number in numbers:
            self.assertEqual(self.state(number), "unpaid")
        self.assertEqual(self.mails(), [])

    def test_forged_signature_pays_nothing(self):
        payment, _ = self.checkout("V-2026-0412")
        with self.assertRaises(notification.NotificationError):
            notification.handle(payment.getId(), bank_answer(payment, secret="Guess"))
        tampered = bank_answer(payment).replace("vads_amount=", "vads_amount=1")
        with self.assertRaises(notification.NotificationError):
            notification.handle(payment.getId(), tampered)
        with self.assertRaises(notification.NotificationError):
            notification.handle(payment.getId(), "vads_result=00")
        with self.assertRaises(notification.NotificationError):
            notification.handle(payment.getId(), "")
        self.assert_nothing_paid(payment, "V-2026-0412")

    def test_wrong_amount_pays_nothing(self):
        payment, _ = self.checkout("V-2026-0412")
        for amount in (payment.amount_cents - 1, 1, payment.amount_cents * 2):
            with self.assertRaises(notification.NotificationError):
                notification.handle(
                    payment.getId(), bank_answer(payment, amount_cents=amount)
                )
        self.assert_nothing_paid(payment, "V-2026-0412")

    def test_unknown_transaction_pays_nothing(self):
        payment, _ = self.checkout("V-2026-0412")
        for transaction_id in ("nope", "../x", payment.getId()[:-1]):
            with self.assertRaises(notification.NotificationError):
                notification.handle(transaction_id, bank_answer(payment))
        # the bare URL: the payment is the one the answer names, or none
        for answer in (
            "",
            "vads_result=00",
            bank_answer(payment).replace(payment.getId(), payment.getId()[:-1]),
        ):
            with self.assertRaises(notification.NotificationError):
                notification.handle("", answer)
        self.assert_nothing_paid(payment, "V-2026-0412")

    def test_replay_of_another_payment_pays_nothing(self):
        first, _ = self.checkout("V-2026-0412")
        second, _ = self.checkout("V-2026-0388")
        # the second's valid answer sent to the first's URL
        with self.assertRaises(notification.NotificationError):
            notification.handle(first.getId(), bank_answer(second))
        # the first's answer rewritten to name the second: bad signature
        with self.assertRaises(notification.NotificationError):
            notification.handle(
                second.getId(),
                bank_answer(first).replace(first.transaction_id, second.transaction_id),
            )
        self.assert_nothing_paid(first, "V-2026-0412", "V-2026-0388")
        self.assertEqual(second.status, "pending")
        # the real answers still work, each for its own payment
        self.assertTrue(notification.handle(second.getId(), bank_answer(second))[1])
        self.assertEqual(self.state("V-2026-0388"), "paid")
        self.assertEqual(self.state("V-2026-0412"), "unpaid")

    def test_refusal_and_cancellation_never_pay_the_invoices(self):
        payment, _ = self.checkout("V-2026-0412")
        self.assertEqual(
            notification.handle(payment.getId(), bank_answer(payment, result="05")),
            (payment, True),
        )
        self.assertEqual(payment.status, "failed")
        self.assertEqual(self.state("V-2026-0412"), "unpaid")
        # a later PAID answer of a closed payment changes nothing
        self.assertFalse(notification.handle(payment.getId(), bank_answer(payment))[1])
        self.assertEqual(self.state("V-2026-0412"), "unpaid")
        # the invoice may be paid again
        again, _ = self.checkout("V-2026-0412")
        notification.handle(again.getId(), bank_answer(again, result="17"))
        self.assertEqual(again.status, "cancelled")
        self.assertEqual(self.state("V-2026-0412"), "unpaid")
        self.assertEqual(self.mails(), [])
        self.add("V-2026-0412")


class TestRecheck(PaymentsTestCase):
    def test_old_pending_payment_expires_and_invoices_are_payable_again(self):
        payment, _ = self.checkout("V-2026-0412", "V-2026-0388")
        other, _ = self.checkout("C-2026-0093")
        payment.created_at = (
            datetime.now(UTC) - recheck.EXPIRE_AFTER - timedelta(minutes=1)
        )
        summary = recheck.run()
        self.assertEqual(summary["expired"], 1)
        self.assertEqual(payment.status, "expired")
        self.assertEqual(other.status, "pending")
        self.assertEqual(self.state("V-2026-0412"), "unpaid")
        self.add("V-2026-0412")
        self.assertEqual(len(basket.items(self.household)), 1)
        # the bank's PAID arriving after the expiry still pays: the money
        # was taken
        self.assertTrue(notification.handle(payment.getId(), bank_answer(payment))[1])
        self.assertEqual(payment.status, "paid")
        self.assertEqual(self.state("V-2026-0412"), "paid")
        self.assertEqual(basket.items(self.household), [])

    def test_recent_pending_payment_is_kept(self):
        payment, _ = self.checkout("V-2026-0412")
        self.assertEqual(recheck.run()["expired"], 0)
        self.assertEqual(
            recheck.run(now=datetime.now(UTC) + timedelta(minutes=15))["expired"],
            0,
        )
        self.assertEqual(payment.status, "pending")
        self.assertEqual(
            recheck.run(now=datetime.now(UTC) + timedelta(minutes=21))["expired"],
            1,
        )

    def test_backend_with_payment_status_is_asked(self):
        payment, _ = self.checkout("V-2026-0412")
        answer = eopayment.common.PaymentResponse(
            result=eopayment.PAID,
            signed=True,
            transaction_id="BANK-42",
            order_id=payment.getId(),
            test=True,
            bank_data={
                "vads_amount": str(payment.amount_cents),
                "__bank_id": "STATUS-1",
            },
        )
        bank = mock.Mock(has_payment_status=True)
        bank.payment_status.return_value = answer
        later = datetime.now(UTC) + timedelta(minutes=21)
        with mock.patch.object(checkout, "backend", return_value=bank):
            self.assertEqual(recheck.run(now=later - timedelta(minutes=5))["asked"], 0)
            summary = recheck.run(now=later)
        self.assertEqual(summary["paid"], 1)
        self.assertEqual(payment.status, "paid")
        self.assertEqual(self.state("V-2026-0412"), "paid")
        self.assertEqual(len(self.mails()), 1)

    def test_backend_without_payment_status_is_not_asked(self):
        payment, _ = self.checkout("V-2026-0412")
        later = datetime.now(UTC) + timedelta(minutes=30)
        summary = recheck.run(now=later)
        # not confirmed by the bank 20 minutes on: expired, payable again
        self.assertEqual(
            (summary["asked"], summary["paid"], summary["expired"]), (1, 0, 1)
        )
        self.assertEqual(payment.status, "expired")


class TestModeAndReference(PaymentsTestCase):
    """Items 12 and 13 of issue 13, on the domain layer: the mode of the
    notification must be the régie's; the payment is matched by the portal's
    own reference and the backend's own amount field."""

    def use(self, bank, production=True, regie_id="ville"):
        from illkirch.eservices.billing import regies

        regie = checkout.get_regie(regie_id)
        regies.set_backend(regie, bank.kind, bank.options(production))
        return regie

    def pay(self, bank, *numbers):
        payment, url = self.checkout(*numbers)
        return payment, bank.request(
            payment.getId(), url, checkout.get_regie(payment.regie).backend_options
        )

    def test_test_mode_systempay_notification_on_a_production_regie(self):
        from illkirch.eservices.testing.payments import SystemPayBank

        bank = SystemPayBank()
        self.use(bank, production=True)
        payment, request = self.pay(bank, "V-2026-0412")
        test_mode = urlencode(bank.notification(request, test_mode=True))
        logout()
        logger = "illkirch.eservices.payments.notification"
        with self.assertLogs(logger, "WARNING") as logs:
            with self.assertRaises(notification.NotificationError):
                notification.handle(payment.getId(), test_mode)
        self.assertIn("mode", "\n".join(logs.output))
        self.assert_nothing_paid(payment, "V-2026-0412")
        self.assertTrue(
            notification.handle(payment.getId(), urlencode(bank.notification(request)))[
                1
            ]
        )
        self.assertEqual(self.state("V-2026-0412"), "paid")

    def assert_nothing_paid(self, payment, *numbers):
        self.assertEqual(payment.status, "pending")
        for number in numbers:
            self.assertEqual(self.state(number), "unpaid")

    def test_sips2_ogone_paybox_are_matched_by_the_portals_reference(self):
        from illkirch.eservices.testing.payments import OgoneBank
        from illkirch.eservices.testing.payments import PayboxBank
        from illkirch.eservices.testing.payments import Sips2Bank

        paybox = PayboxBank()
        self.addCleanup(paybox.use_key())
        for bank, regie_id, number in (
            (Sips2Bank(), "ville", "V-2026-0412"),
            (OgoneBank(), "ville", "V-2026-0388"),
            (paybox, "ccas", "C-2026-0093"),
        ):
            with self.subTest(bank.kind):
                self.use(bank, regie_id=regie_id)
                payment, request = self.pay(bank, number)
                answer = urlencode(bank.notification(request))
                self.assertEqual(
                    notification.handle(payment.getId(), answer), (payment, True)
                )
                self.assertEqual(payment.status, "paid")
                self.assertEqual(payment.amount_cents, request["amount_cents"])
                self.assertEqual(self.state(number), "paid")

"""The payment certificate (#18 document 3): issued in the background job
when a payment is paid through eopayment's own code (the test plays the
bank, ``testing/payments.py``), stored with the payment once, emailed with
the receipt; its code verifies until the payment is deleted."""

from illkirch.eservices.money import euros
from illkirch.eservices.official_documents import certificates
from illkirch.eservices.official_documents import store
from illkirch.eservices.official_documents import verification
from illkirch.eservices.payments import notification
from illkirch.eservices.testing.payments import PaymentsTestCase
from illkirch.eservices.testing.payments import bank_fields
from illkirch.eservices.testing.verification import pdf_text
from illkirch.eservices.testing.verification import verification_code
from plone import api
from plone.app.testing import logout
from urllib.parse import urlencode
from zope.annotation.interfaces import IAnnotations


def amount(cents):
    """« 76,00 € » as ``pdf_text`` gives it (its spaces made plain)."""
    return euros(cents).replace("\u00a0", " ").replace("\u202f", " ")


class TestPaymentCertificate(PaymentsTestCase):
    def pay(self, *numbers):
        payment, _ = self.checkout(*numbers)
        answer = urlencode(bank_fields(payment))
        logout()  # the bank is anonymous
        notification.handle(payment.getId(), answer)
        return payment, answer

    def test_certificate_states_the_payment(self):
        first, second = self.invoice("V-2026-0412"), self.invoice("V-2026-0388")
        payment, _ = self.pay("V-2026-0412", "V-2026-0388")
        issued = store.of_kind(payment, store.PAYMENT_CERTIFICATE)
        self.assertEqual(len(issued), 1)
        document = issued[0]
        self.assertEqual(document.sha256, store.digest(document.data()))
        text = pdf_text(document.data())
        self.assertIn("Attestation de paiement", text)
        self.assertIn("Régie Ville", text)
        for invoice in (first, second):
            self.assertIn(invoice.number, text)
            self.assertIn(amount(invoice.total_cents), text)
        self.assertIn(f"Total payé {amount(payment.amount_cents)}", text)
        self.assertEqual(payment.amount_cents, first.total_cents + second.total_cents)
        self.assertIn("A1B2C3", text)  # the bank's reference
        stated = certificates.facts(payment)
        self.assertIn(stated["paid_on"], text)
        self.assertIn(payment.transaction_id, text)
        # the heading: what the public sees
        self.assertEqual(
            sorted(document.heading), ["date", "kind", "number", "title", "town"]
        )
        self.assertEqual(document.heading["title"], "Attestation de paiement")
        self.assertEqual(document.heading["number"], payment.transaction_id)
        # the code printed on it verifies it
        code = verification_code(text)
        answer = verification.verify(code, "192.0.2.1")
        self.assertEqual(answer["authentic"], True)
        self.assertEqual(answer["number"], payment.transaction_id)

    def test_receipt_email_carries_the_certificate_once(self):
        payment, answer = self.pay("V-2026-0412")
        for _ in range(2):  # the bank answers again: nothing more
            self.assertEqual(
                notification.handle(payment.getId(), answer), (payment, False)
            )
        self.assertIsNone(certificates.issue(api.content.get_uuid(payment)))
        self.assertEqual(len(store.of_kind(payment, store.PAYMENT_CERTIFICATE)), 1)
        mails = self.mails()
        self.assertEqual(len(mails), 1)
        body = mails[0].get_body(("plain",)).get_content()
        self.assertIn("V-2026-0412", body)
        self.assertIn("attestation de paiement", body.lower())
        attachments = list(mails[0].iter_attachments())
        self.assertEqual(len(attachments), 1)
        self.assertEqual(attachments[0].get_content_type(), "application/pdf")
        self.assertEqual(
            attachments[0].get_content(),
            store.of_kind(payment, store.PAYMENT_CERTIFICATE)[0].data(),
        )

    def test_refused_payment_has_no_certificate(self):
        payment, _ = self.checkout("V-2026-0412")
        answer = urlencode(bank_fields(payment, result="05"))
        logout()
        notification.handle(payment.getId(), answer)
        self.assertEqual(payment.status, "failed")
        self.assertEqual(store.documents(payment), [])
        self.assertIsNone(certificates.issue(api.content.get_uuid(payment)))
        self.assertEqual(store.documents(payment), [])
        self.assertEqual(self.mails(), [])

    def test_deleted_payment_code_is_unknown(self):
        payment, _ = self.pay("V-2026-0412")
        code = verification_code(
            pdf_text(store.of_kind(payment, store.PAYMENT_CERTIFICATE)[0].data())
        )
        self.assertTrue(verification.verify(code, "192.0.2.2")["authentic"])
        with api.env.adopt_roles(["Manager"]):
            api.content.delete(payment, check_linkintegrity=False)
        index = IAnnotations(self.portal)[store.CODES_KEY]
        self.assertNotIn(store.digest(code.encode("ascii")), index)
        self.assertIsNone(store.lookup(code))
        self.assertEqual(verification.verify(code, "192.0.2.2"), {"authentic": False})

"""Property test of the basket and the checkout on Amélie's household:
whatever the sequence of additions, removals, checkouts and bank answers,

- the basket's total is the sum of the due amounts of its unpaid invoices
  (those the citizen put in and that are still payable);
- the basket never holds invoices of two régies;
- no invoice is ever in two pending payments, nor in the basket while in one.

Each example is aborted afterwards (nothing is committed).
"""

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from illkirch.eservices import offered_backends
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.billing import basket
from illkirch.eservices.payments import checkout
from illkirch.eservices.payments import notification
from illkirch.eservices.payments import records
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from plone.app.testing import login
from plone.app.testing import logout
from unittest import mock
from urllib.parse import urlencode

import collections
import transaction
import unittest


NOTIFY = "http://nohost/plone/@payment-notify"

operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 20)),
        st.tuples(st.just("remove"), st.integers(0, 20)),
        st.tuples(st.just("checkout"), st.just(0)),
        st.tuples(st.sampled_from(["paid", "refused"]), st.integers(0, 5)),
    ),
    max_size=12,
)


class TestBasketProperties(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.household = household_of("amelie.lire")
        self.invoices = sorted(
            (
                obj
                for obj in self.household.objectValues()
                if getattr(obj, "portal_type", "") == "Invoice"
            ),
            key=lambda invoice: invoice.number,
        )
        patcher = mock.patch.object(
            offered_backends, "dummy_allowed", return_value=True
        )
        patcher.start()
        self.addCleanup(patcher.stop)
        login(self.portal, "amélie.lire")
        self.addCleanup(logout)

    def check(self, wanted):
        """The invariants, ``wanted`` being the UIDs the citizen put in."""
        items = basket.items(self.household)
        uids = [invoice.UID() for invoice in items]
        payable = [
            invoice
            for invoice in self.invoices
            if invoice.UID() in wanted and basket.is_payable(invoice)
        ]
        self.assertEqual(set(uids), {invoice.UID() for invoice in payable})
        self.assertEqual(
            basket.total_cents(self.household),
            sum(basket.due_cents(invoice) for invoice in payable),
        )
        self.assertLessEqual(len({invoice.regie for invoice in items}), 1)
        counts = collections.Counter(
            uid
            for payment in records.pending_payments(self.household)
            for uid in payment.invoice_uids
        )
        self.assertEqual([uid for uid, n in counts.items() if n > 1], [])
        self.assertEqual(set(uids) & set(counts), set())

    def run_operations(self, ops):
        wanted = set()
        started = []
        for op, index in ops:
            if op == "add":
                invoice = self.invoices[index % len(self.invoices)]
                try:
                    basket.add(
                        self.household,
                        invoice.UID(),
                        in_payment=records.pending_invoice_uids(self.household),
                    )
                except basket.BasketRefused:
                    pass
                else:
                    wanted.add(invoice.UID())
            elif op == "remove":
                invoice = self.invoices[index % len(self.invoices)]
                basket.remove(self.household, invoice.UID())
                wanted.discard(invoice.UID())
            elif op == "checkout":
                total = basket.total_cents(self.household)
                try:
                    payment, url = checkout.start(self.household, "http://r", NOTIFY)
                except checkout.CheckoutRefused:
                    self.assertEqual(total, 0)
                else:
                    self.assertEqual(payment.amount_cents, total)
                    started.append(payment)
                    wanted.clear()
            elif started:
                payment = started[index % len(started)]
                answer = {
                    "transaction_id": payment.transaction_id,
                    "signed": "1",
                    "amount": f"{payment.amount_cents / 100:.2f}",
                }
                if op == "paid":
                    answer["ok"] = "1"
                notification.handle(payment.getId(), urlencode(answer))
            self.check(wanted)

    @settings(max_examples=30, deadline=None)
    @given(ops=operations)
    def test_basket_invariants(self, ops):
        try:
            self.run_operations(ops)
        finally:
            # Undo the example (nothing was committed in the layer's test).
            # The catalog caches index results on the request, keyed by
            # counters that the abort sets back: forget that cache too.
            transaction.abort()
            self.layer["request"].other.pop("__catalog_cache__", None)


class TestHouseholdInvoice(unittest.TestCase):
    """``basket.household_invoice``: the household's own invoices only."""

    layer = DEMO_INTEGRATION_TESTING

    def test_only_an_invoice_of_the_household(self):
        household = household_of("amelie.lire")
        children = household.objectValues()
        invoice = next(obj for obj in children if obj.portal_type == "Invoice")
        person = next(obj for obj in children if obj.portal_type == "Person")
        self.assertIs(
            basket.household_invoice(household, invoice.UID()).aq_base, invoice.aq_base
        )
        self.assertIsNone(basket.household_invoice(household, person.UID()))
        self.assertIsNone(
            basket.household_invoice(household_of("jerome.attente"), invoice.UID())
        )
        self.assertIsNone(basket.household_invoice(household, "no-such-uid"))
        self.assertIsNone(basket.household_invoice(household, ["a", "list"]))


class TestEmptyBasket(unittest.TestCase):
    """An emptied basket leaves nothing on the household."""

    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.household = household_of("amelie.lire")
        self.invoices = [
            obj
            for obj in self.household.objectValues()
            if getattr(obj, "portal_type", "") == "Invoice"
        ]
        self.addCleanup(transaction.abort)

    def test_an_empty_basket_keeps_no_list(self):
        """Emptied by a removal or a checkout, the basket leaves no persistent
        list on the household (one needless ZODB object per household)."""
        from zope.annotation.interfaces import IAnnotations

        annotations = IAnnotations(self.household)
        payable = [i for i in self.invoices if basket.is_payable(i)]
        basket.add(self.household, payable[0].UID())
        self.assertEqual(len(annotations[basket.BASKET_KEY]), 1)
        self.assertTrue(basket.remove(self.household, payable[0].UID()))
        self.assertNotIn(basket.BASKET_KEY, annotations)
        basket.add(self.household, payable[0].UID())
        self.assertEqual(basket.empty(self.household), [payable[0]])
        self.assertNotIn(basket.BASKET_KEY, annotations)
        self.assertEqual(basket.items(self.household), [])
        self.assertFalse(basket.remove(self.household, payable[0].UID()))
        self.assertNotIn(basket.BASKET_KEY, annotations)

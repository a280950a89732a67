"""The pending payments checked every 15 minutes by the worker (#16, item 4).

The periodic task ``payments.check`` (``recheck.check_payments``) is called
as the worker calls it, with a frozen clock (time-machine): a payment pending
past its delay is expired (its invoices payable again), a recent one is kept;
a second run changes nothing.
"""

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from illkirch.eservices.billing import basket
from illkirch.eservices.jobs import registry
from illkirch.eservices.payments import recheck
from illkirch.eservices.payments import records
from illkirch.eservices.testing.payments import PaymentsTestCase

import time_machine


# a Monday morning
START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


class TestPaymentsCheck(PaymentsTestCase):
    def checkout(self, *numbers):
        payment, _url = super().checkout(*numbers)
        return payment

    def test_registered_every_15_minutes(self):
        task = registry.PERIODIC["payments.check"]
        self.assertIs(task, recheck.check_payments)
        self.assertEqual(task.job_schedule, {"minute": "*/15"})
        self.assertIn("Idempotent", task.__doc__)

    def test_old_payment_expired_recent_one_kept_second_run_idle(self):
        with time_machine.travel(START, tick=False) as clock:
            old = self.checkout("V-2026-0412")
            clock.move_to(START + timedelta(minutes=10))
            recent = self.checkout("C-2026-0093")
            # 9:15: both younger than the delay
            clock.move_to(START + timedelta(minutes=15))
            summary = recheck.check_payments()
            self.assertEqual((summary["pending"], summary["expired"]), (2, 0))
            self.assertEqual((old.status, recent.status), ("pending", "pending"))
            # 9:30: the first is 30 minutes old, the second 20 minutes
            # minus one second
            clock.move_to(
                START
                + timedelta(minutes=10)
                + recheck.EXPIRE_AFTER
                - timedelta(seconds=1)
            )
            summary = recheck.check_payments()
            self.assertEqual(summary["expired"], 1)
            self.assertEqual(old.status, records.EXPIRED)
            self.assertEqual(recent.status, records.PENDING)
            self.assertEqual(self.state("V-2026-0412"), "unpaid")
            self.assertEqual(
                records.pending_invoice_uids(self.household),
                {self.invoice("C-2026-0093").UID()},
            )
            # run again at once (a retry, a second worker): nothing changes
            again = recheck.check_payments()
            self.assertEqual((again["pending"], again["expired"]), (1, 0))
            self.assertEqual(old.status, records.EXPIRED)
            self.assertEqual(recent.status, records.PENDING)
            # the expired payment's invoice may be paid again
            self.add("V-2026-0412")
            self.assertEqual(len(basket.items(self.household)), 1)
        self.assertEqual(self.mailhost.messages, [])

"""The rule every upload follows (``antivirus/files.py``, #21), against the
real ``clamd`` of the antivirus layer, through a kind of holder of the
test's own: pending until scanned, served only when clean, refused files
handed to their kind, no verdict → still pending and tried again later by
the sweep, nothing scanned while the antivirus is off."""

from illkirch.eservices.antivirus import files
from illkirch.eservices.interfaces import ANTIVIRUS_PREFIX
from illkirch.eservices.testing import ANTIVIRUS_FUNCTIONAL_TESTING
from illkirch.eservices.testing.clamd import private_clamd
from illkirch.eservices.testing.files import infected_pdf
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.scanned_files import register_memory_files
from plone import api

import unittest


class TestScanRule(unittest.TestCase):
    layer = ANTIVIRUS_FUNCTIONAL_TESTING

    def setUp(self):
        self.kind = register_memory_files(self, "test-files")

    def receive(self, ref, data):
        return self.kind.receive("test-files", ref, data)

    def test_clean_file_is_served_once_scanned(self):
        holder = self.receive("a", pdf())
        # the tests' queue runs the scan at once (eager)
        self.assertEqual(files.state(holder), files.CLEAN)
        self.assertTrue(files.is_available(holder))
        self.assertEqual(len(holder.scan["sha256"]), 64)
        self.assertEqual(files.waiting_count(), 0)
        self.assertEqual(self.kind.refusals, [])

    def test_infected_file_is_refused_and_handed_to_its_kind(self):
        holder = self.receive("b", infected_pdf())
        self.assertEqual(files.state(holder), files.REFUSED)
        self.assertFalse(files.is_available(holder))
        self.assertIsNone(holder.data)
        ((ref, record),) = self.kind.refusals
        self.assertEqual(ref, "b")
        self.assertIn("Eicar-Test-Signature-Local", record["signature"])
        self.assertEqual(record["reason"], "infected")
        self.assertEqual(files.waiting_count(), 0)

    def test_no_verdict_stays_pending_until_the_daemon_is_back(self):
        address = api.portal.get_registry_record(f"{ANTIVIRUS_PREFIX}.address")
        api.portal.set_registry_record(
            f"{ANTIVIRUS_PREFIX}.address", "unix:///nonexistent/clamd.sock"
        )
        holder = self.receive("c", pdf())
        self.assertEqual(files.state(holder), files.PENDING)
        self.assertFalse(files.is_available(holder))
        ((kind, ref, entry),) = list(files.waiting())
        self.assertEqual((kind, ref, entry["tries"]), ("test-files", "c", 1))
        # not yet time to try again
        self.assertEqual(files.sweep(), 0)
        self.assertEqual(files.sweep(now="9999"), 1)
        self.assertEqual(next(files.waiting())[2]["tries"], 2)
        self.assertFalse(files.is_available(holder))
        api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.address", address)
        self.assertEqual(files.sweep(now="9999"), 1)
        self.assertEqual(files.state(holder), files.CLEAN)
        self.assertTrue(files.is_available(holder))
        self.assertEqual(files.waiting_count(), 0)

    def test_off_nothing_is_scanned_and_unscanned_files_wait_when_on(self):
        api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.enabled", False)
        holder = self.receive("d", infected_pdf())
        self.assertIsNone(files.state(holder))
        self.assertTrue(files.is_available(holder))
        self.assertEqual(files.waiting_count(), 0)
        api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.enabled", True)
        # received unscanned: not served while the antivirus is on
        self.assertFalse(files.is_available(holder))

    def test_guichet_probe_of_the_daemon_kept_for_a_while(self):
        with private_clamd() as daemon:
            api.portal.set_registry_record(
                f"{ANTIVIRUS_PREFIX}.address", f"unix://{daemon.socket}"
            )
            self.assertTrue(files.daemon_answers(now=1000.0))
            daemon.stop()
            # the same address within PROBE_KEPT seconds: not asked again
            self.assertTrue(files.daemon_answers(now=1000.0 + files.PROBE_KEPT - 1))
            self.assertFalse(files.daemon_answers(now=1000.0 + files.PROBE_KEPT))

    def test_on_by_default_where_a_daemon_answers(self):
        api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.address", "")
        with private_clamd() as daemon:
            here = f"unix://{daemon.socket}"
            missing = "unix:///nonexistent/clamd.ctl"
            self.assertEqual(files.use_local_daemon((missing, here)), here)
            self.assertEqual(
                api.portal.get_registry_record(f"{ANTIVIRUS_PREFIX}.address"), here
            )
            # an address already set is never replaced
            api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.address", missing)
            self.assertIsNone(files.use_local_daemon((here,)))
            self.assertEqual(
                api.portal.get_registry_record(f"{ANTIVIRUS_PREFIX}.address"), missing
            )
        api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.address", "")
        self.assertIsNone(files.use_local_daemon(("unix:///nonexistent/clamd.ctl",)))
        self.assertEqual(
            api.portal.get_registry_record(f"{ANTIVIRUS_PREFIX}.address"), ""
        )

    def test_daemon_stopped_then_back(self):
        with private_clamd() as daemon:
            api.portal.set_registry_record(
                f"{ANTIVIRUS_PREFIX}.address", f"unix://{daemon.socket}"
            )
            daemon.stop()
            holder = self.receive("e", infected_pdf())
            self.assertEqual(files.state(holder), files.PENDING)
            self.assertFalse(files.is_available(holder))
            self.assertEqual(files.sweep(now="9999"), 1)
            self.assertEqual(files.state(holder), files.PENDING)
            daemon.start()
            self.assertEqual(files.sweep(now="9999"), 1)
            self.assertEqual(files.state(holder), files.REFUSED)
            self.assertEqual(len(self.kind.refusals), 1)
            self.assertEqual(files.waiting_count(), 0)

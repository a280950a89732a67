"""The antivirus' operations side (#21), over HTTP against the served demo
site and a real ``clamd``: the « Antivirus » control panel (the daemon's
state asked live, the files waiting, the settings checked in French, the
button scanning the files received unscanned), the files waiting shown to
the agents in the Guichet and in ``GET /@requests`` (whether the daemon
answers to the settings' managers only)."""

from illkirch.eservices.antivirus import files
from illkirch.eservices.interfaces import ANTIVIRUS_PREFIX
from illkirch.eservices.testing import ANTIVIRUS_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.files import infected_pdf
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.scanned_files import register_memory_files
from illkirch.eservices.testing.sessions import rest_session
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import re
import requests
import transaction
import unittest


KIND = "operations-test-files"
SILENT = "unix:///nonexistent/clamd.sock"


def set_setting(name, value):
    transaction.begin()  # after what the server committed
    api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.{name}", value)
    transaction.commit()


class OperationsTestCase(unittest.TestCase):
    layer = ANTIVIRUS_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.kind = register_memory_files(self, KIND)

    def admin(self):
        session = requests.Session()
        session.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        self.addCleanup(session.close)
        return session

    def pages(self, account):
        """A session of pages (no JSON headers), logged in."""
        rest = rest_session(self.url, *account)
        self.addCleanup(rest.close)
        session = requests.Session()
        session.headers["Authorization"] = rest.headers["Authorization"]
        self.addCleanup(session.close)
        return session

    def panel(self, session):
        response = session.get(f"{self.url}/@@antivirus-settings")
        self.assertEqual(response.status_code, 200, response.text[:500])
        return response.text

    @staticmethod
    def token(html):
        return re.search(r'name="_authenticator" value="([^"]+)"', html).group(1)

    def save(self, session, address, max_stream_mb=25, enabled=True):
        html = self.panel(session)
        data = {
            "_authenticator": self.token(html),
            "form.widgets.address": address,
            "form.widgets.max_stream_mb": str(max_stream_mb),
            "form.widgets.timeout": "30",
            "form.widgets.enabled-empty-marker": "1",
            "form.buttons.save": "Enregistrer",
        }
        if enabled:
            data["form.widgets.enabled:list"] = "selected"
        return session.post(f"{self.url}/@@antivirus-settings", data=data)

    def registry(self, name):
        """The setting as the site has it (``GET /@registry``)."""
        response = self.admin().get(
            f"{self.url}/@registry/{ANTIVIRUS_PREFIX}.{name}",
            headers={"Accept": "application/json"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def receive(self, ref, data):
        """A file stored in the test's thread, committed."""
        transaction.begin()  # after what the server committed
        holder = self.kind.receive(KIND, ref, data)
        transaction.commit()
        return holder


class TestControlPanel(OperationsTestCase):
    def test_the_daemons_state_and_the_files_waiting(self):
        admin = self.admin()
        html = self.panel(admin)
        self.assertIn("Antivirus", html)
        self.assertRegex(html, r"Le démon répond : ClamAV \d+\.\d+")
        self.assertRegex(
            html, r"Fichiers en attente de leur analyse : <strong>0</strong>"
        )
        self.assertIn("Analyser les fichiers reçus sans analyse", html)
        # in Site Setup
        overview = admin.get(f"{self.url}/@@overview-controlpanel").text
        self.assertIn("@@antivirus-settings", overview)

        set_setting("address", SILENT)
        self.receive("waiting", pdf())
        html = self.panel(admin)
        self.assertIn(
            "Le démon ne répond pas : les fichiers reçus restent en cours d'analyse.",
            html,
        )
        self.assertRegex(
            html, r"Fichiers en attente de leur analyse : <strong>1</strong>"
        )

    def test_the_settings_are_checked_in_french(self):
        admin = self.admin()
        address = self.registry("address")
        response = self.save(admin, "clamd sans port")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Ce n'est pas une adresse du démon ClamAV", response.text)
        self.assertEqual(self.registry("address"), address)

        largest = api.portal.get_registry_record("illkirch.eservices.max_attachment_mb")
        response = self.save(admin, address, max_stream_mb=largest - 1)
        self.assertIn(
            f"Au moins {largest} Mo : le plus gros fichier qu'un usager peut envoyer",
            response.text,
        )
        self.assertEqual(self.registry("max_stream_mb"), 25)

        port = self.layer["clamd"].scanner("tcp").port
        response = self.save(admin, f" tcp://127.0.0.1:{port} ", max_stream_mb=largest)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Ce n'est pas une adresse", response.text)
        self.assertEqual(self.registry("address"), f"tcp://127.0.0.1:{port}")
        self.assertEqual(self.registry("max_stream_mb"), largest)
        self.assertRegex(self.panel(admin), r"Le démon répond : ClamAV \d")

        response = self.save(admin, SILENT)
        self.assertIn("Le démon ne répond pas", response.text)

    def test_only_the_settings_managers(self):
        transaction.begin()
        with api.env.adopt_roles(["Manager"]):
            api.user.create(
                email="admin.site@example.org",
                username="admin.site",
                password="Admin-Site-2026-x",
            )
            api.user.grant_roles(username="admin.site", roles=["Site Administrator"])
        transaction.commit()
        site_admin = requests.Session()
        site_admin.auth = ("admin.site", "Admin-Site-2026-x")
        self.addCleanup(site_admin.close)
        self.assertRegex(self.panel(site_admin), r"Le démon répond : ClamAV \d")
        agent = self.pages(AGENT)
        response = agent.get(f"{self.url}/@@antivirus-settings", allow_redirects=False)
        self.assertIn(response.status_code, (302, 401, 403))
        self.assertNotIn("Le démon répond", response.text)

    def test_the_button_scans_the_files_received_unscanned(self):
        set_setting("enabled", False)
        clean = self.receive("clean", pdf())
        infected = self.receive("infected", infected_pdf())
        set_setting("enabled", True)
        scanned = self.receive("scanned", pdf())
        self.assertEqual(files.state(scanned), files.CLEAN)
        record = dict(scanned.scan)
        transaction.commit()
        self.assertIsNone(files.state(clean))
        self.assertFalse(files.is_available(clean))  # held while on

        admin = self.admin()
        token = self.token(self.panel(admin))
        # plone.protect's token needed
        response = admin.post(
            f"{self.url}/@@antivirus-settings",
            data={"antivirus-scan-unscanned": "1"},
        )
        self.assertIn(response.status_code, (403, 500))
        self.assertIsNone(files.state(clean))
        response = admin.post(
            f"{self.url}/@@antivirus-settings",
            data={"_authenticator": token, "antivirus-scan-unscanned": "1"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "L'analyse des fichiers reçus sans analyse a été mise en file d'attente",
            response.text,
        )
        # the tests' queue runs the job (and the scans it queues) at once
        self.assertEqual(files.state(clean), files.CLEAN)
        self.assertTrue(files.is_available(clean))
        self.assertEqual(files.state(infected), files.REFUSED)
        self.assertEqual([ref for ref, _record in self.kind.refusals], ["infected"])
        self.assertEqual(dict(scanned.scan), record)  # left alone
        transaction.begin()
        self.assertEqual(files.waiting_count(), 0)

    def test_switching_on_scans_the_files_received_meanwhile(self):
        address = self.registry("address")
        set_setting("address", "")
        held = self.receive("held", pdf())
        self.assertIsNone(files.state(held))
        admin = self.admin()
        response = self.save(admin, address)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.registry("address"), address)
        # saved with a daemon: the job queued (run at once by the tests' queue)
        self.assertEqual(files.state(held), files.CLEAN)
        self.assertTrue(files.is_available(held))

    def test_start_unscanned_is_a_job_doing_nothing_while_off(self):
        self.assertIn("start_unscanned", files.start_unscanned.job_name)
        set_setting("enabled", False)
        holder = self.receive("off", pdf())
        self.assertEqual(files.start_unscanned(), 0)
        self.assertIsNone(files.state(holder))
        set_setting("enabled", True)
        self.assertEqual(files.start_unscanned(), 1)
        self.assertEqual(files.state(holder), files.CLEAN)
        self.assertEqual(files.start_unscanned(), 0)


class TestAgentsSeeTheFilesWaiting(OperationsTestCase):
    def test_guichet_and_rest(self):
        agent, admin = self.pages(AGENT), self.admin()
        rest = rest_session(self.url, *AGENT)
        self.addCleanup(rest.close)
        html = agent.get(f"{self.url}/@@guichet").text
        self.assertNotIn("en cours d'analyse antivirus", html)
        self.assertEqual(
            rest.get(f"{self.url}/@requests").json()["antivirus"],
            {"active": True, "waiting": 0},
        )

        set_setting("address", SILENT)
        self.receive("a", pdf())
        self.receive("b", pdf())
        html = agent.get(f"{self.url}/@@guichet").text
        self.assertIn("2 fichier(s) en cours d'analyse antivirus", html)
        # whether the daemon answers: told to the settings' managers only
        self.assertNotIn("Le démon ClamAV ne répond pas", html)
        self.assertEqual(
            rest.get(f"{self.url}/@requests").json()["antivirus"],
            {"active": True, "waiting": 2},
        )
        html = admin.get(f"{self.url}/@@guichet").text
        self.assertIn("2 fichier(s) en cours d'analyse antivirus", html)
        self.assertIn("Le démon ClamAV ne répond pas", html)
        answer = admin.get(
            f"{self.url}/@requests", headers={"Accept": "application/json"}
        ).json()
        self.assertEqual(
            answer["antivirus"], {"active": True, "waiting": 2, "daemon_answers": False}
        )

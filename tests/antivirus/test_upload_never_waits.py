"""« A citizen's upload request never waits for the scan » (#21, asserted):
the real queue (SQLite, out of the tests' eager mode) and a frozen
``clamd`` (it accepts the connection and answers nothing, as a hung daemon
does): a request with a document sent through the REST API returns 201 at
once, its document « en cours d'analyse », its scan queued and not run;
the daemon thawed, the queued job (run as the worker runs it) finds it
clean and it can be opened. And a document received while the antivirus
was off is scanned by the control panel's button once it is on.

Needs a request's documents wired to the antivirus (the kind
``request-documents``, requests/scanning.py); skipped without it."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.antivirus import files
from illkirch.eservices.interfaces import ANTIVIRUS_PREFIX
from illkirch.eservices.testing import ANTIVIRUS_FUNCTIONAL_TESTING
from illkirch.eservices.testing.clamd import private_clamd
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.jobs import use_sqlite_queue
from illkirch.eservices.testing.requests import PERISCOLAIRE_REQUIRED_ANSWERS
from illkirch.eservices.testing.sessions import rest_session
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from zope.component import queryUtility

import base64
import re
import requests
import time
import transaction
import unittest


KIND = "request-documents"
# the daemon's timeout: a request waiting for the scan would last as long
TIMEOUT = 20


class TestUploadNeverWaits(unittest.TestCase):
    layer = ANTIVIRUS_FUNCTIONAL_TESTING

    def setUp(self):
        if queryUtility(files.IScannedFiles, name=KIND) is None:
            self.skipTest(f"no {KIND!r} kind of scanned files on this branch")
        self.url = self.layer["portal"].absolute_url()

    def set_setting(self, name, value):
        transaction.begin()
        api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.{name}", value)
        transaction.commit()

    def send_request(self):
        session = rest_session(self.url, *AMELIE)
        self.addCleanup(session.close)
        child = next(
            p for p in household_of("amelie.lire").persons() if p.member_type == "child"
        )
        started = time.monotonic()
        response = session.post(
            f"{self.url}/@requests",
            json={
                "service": "inscription-periscolaire",
                "member": child.getId(),
                "answers": PERISCOLAIRE_REQUIRED_ANSWERS,
                "by_post": True,
                "documents": [
                    {
                        "document": "attestation-dassurance-scolaire",
                        "filename": "assurance.pdf",
                        "data": base64.b64encode(pdf()).decode("ascii"),
                    }
                ],
            },
        )
        return response, time.monotonic() - started

    def test_the_upload_returns_before_the_scan(self):
        queue = use_sqlite_queue(self)
        with private_clamd() as clamd:
            self.set_setting("address", f"unix://{clamd.socket}")
            self.set_setting("timeout", TIMEOUT)
            clamd.freeze()
            self.assertFalse(clamd.scanner(timeout=1).ping())  # hung

            response, seconds = self.send_request()
            self.assertEqual(response.status_code, 201, response.text)
            self.assertLess(seconds, TIMEOUT / 2, "the request waited for the daemon")

            transaction.begin()  # what the server committed
            with api.env.adopt_roles(["Manager"]):
                request_obj = api.content.get(UID=response.json()["UID"])
            (attachment,) = request_obj.attachments
            self.assertEqual(files.state(attachment), files.PENDING)
            self.assertFalse(files.is_available(attachment))
            self.assertEqual(files.waiting_count(), 1)
            # its scan queued, not run
            scans = [
                t for t in queue.pending() if t.args[0] == files.scan_file.job_name
            ]
            self.assertEqual(len(scans), 1)
            self.assertEqual(scans[0].args[1][0], KIND)

            # the daemon back, the queued jobs run as the worker runs them
            clamd.thaw()
            transaction.begin()
            while (task := queue.dequeue()) is not None:
                queue.execute(task)
            transaction.commit()
            self.assertEqual(files.state(attachment), files.CLEAN)
            self.assertTrue(files.is_available(attachment))
            self.assertEqual(files.waiting_count(), 0)

    def test_the_button_scans_a_document_received_while_off(self):
        self.set_setting("enabled", False)
        response, _seconds = self.send_request()
        self.assertEqual(response.status_code, 201, response.text)
        uid = response.json()["UID"]

        def attachment():
            transaction.begin()  # what the server committed
            with api.env.adopt_roles(["Manager"]):
                return api.content.get(UID=uid).attachments[0]

        self.assertIsNone(files.state(attachment()))
        self.set_setting("enabled", True)
        self.assertFalse(files.is_available(attachment()))  # held once on
        admin = requests.Session()
        admin.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        self.addCleanup(admin.close)
        page = admin.get(f"{self.url}/@@antivirus-settings").text
        token = re.search(r'name="_authenticator" value="([^"]+)"', page).group(1)
        response = admin.post(
            f"{self.url}/@@antivirus-settings",
            data={"_authenticator": token, "antivirus-scan-unscanned": "1"},
        )
        self.assertEqual(response.status_code, 200)
        # the tests' queue runs the job and the scans it queues at once
        self.assertEqual(files.state(attachment()), files.CLEAN)
        self.assertTrue(files.is_available(attachment()))

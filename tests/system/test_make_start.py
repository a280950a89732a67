"""``make start`` on a fresh instance: the site is created with its demo,
served in French, its mail kept as .eml files; a second ``make start`` keeps
what was created in between.

Runs the real Makefile target (the same commands as the README) on a
temporary instance and data folder, on free ports.
"""

from email import message_from_bytes
from email import policy
from illkirch.eservices.testing.cluster import child_env
from illkirch.eservices.testing.layers import free_port
from illkirch.eservices.testing.sessions import ACCEPT_JSON
from pathlib import Path

import os
import requests
import signal
import subprocess
import tempfile
import time
import unittest


ROOT = Path(__file__).resolve().parents[2]
ADMIN = ("admin", "Admin-Test-2026")


class MakeStart:
    def __init__(self, workdir, http_port, smtp_port):
        self.workdir = Path(workdir)
        self.http_port = http_port
        self.smtp_port = smtp_port
        self.url = f"http://localhost:{http_port}/Plone"
        self.log = self.workdir / "make-start.log"

    def start(self):
        self.process = subprocess.Popen(
            ["make", "start",
             f"INSTANCE={self.workdir / 'instance'}", f"VAR={self.workdir / 'var'}",
             f"HTTP_PORT={self.http_port}", f"SMTP_PORT={self.smtp_port}",
             f"ADMIN={ADMIN[0]}:{ADMIN[1]}"],
            cwd=ROOT, stdout=self.log.open("a"), stderr=subprocess.STDOUT,
            start_new_session=True, env=child_env(),
        )
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"make start exited:\n{self.log.read_text()}")
            try:
                if requests.get(self.url, timeout=30).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or the
                pass  # first page still compiling on a loaded machine
            time.sleep(1)
        raise AssertionError(f"no answer from {self.url}:\n{self.log.read_text()}")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class TestMakeStart(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="eservices-start-")
        self.addCleanup(self.tmp.cleanup)
        self.server = MakeStart(self.tmp.name, free_port(), free_port())

    def tearDown(self):
        if getattr(self.server, "process", None) and self.server.process.poll() is None:
            self.server.stop()

    def wait_for_mail(self, recipient, subject, timeout=30):
        mail_dir = Path(self.tmp.name) / "var" / "mail"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for eml in sorted(mail_dir.glob("*.eml")):
                message = message_from_bytes(eml.read_bytes(), policy=policy.default)
                if message["To"] == recipient and subject in message["Subject"]:
                    return message
            time.sleep(0.5)
        self.fail(f"no mail « {subject} » to {recipient} in {mail_dir}")

    def test_start_serves_keeps_data_and_mail(self):
        server = self.server
        server.start()
        url = server.url
        home = requests.get(url)
        self.assertIn('lang="fr"', home.text)
        faq = requests.get(f"{url}/faq")
        self.assertEqual(faq.status_code, 200)
        self.assertIn("Retour au sommaire", faq.text)
        self.assertIn("Questions fréquentes", faq.text)

        # content created while the site runs
        response = requests.post(
            url, auth=ADMIN, headers=ACCEPT_JSON,
            json={"@type": "Document", "id": "note-du-jour", "title": "Note du jour"},
        )
        self.assertEqual(response.status_code, 201, response.text)

        # the demo's own mail (the validation of the demo household, sent
        # while the site was created) and the site's mail reach var/mail/
        validated = self.wait_for_mail("amelie.lire@example.org", "Votre compte est validé")
        # sent by a command, outside any web request: French, the site's
        # public URL (make passes HTTP_PORT), the portal's headers (#13 item 16)
        self.assertIn(f"{url}/@@mon-espace", validated.get_content())
        self.assertEqual(validated["Auto-Submitted"], "auto-generated")
        self.assertTrue(validated["Message-ID"].endswith("@localhost>"))
        response = requests.post(
            f"{url}/@password-reset",
            headers=ACCEPT_JSON, json={"login": "amelie.lire"},
        )
        self.assertEqual(response.status_code, 202, response.text)
        mail = self.wait_for_mail("amelie.lire@example.org", "nouveau mot de passe")
        self.assertIn(f"{url}/@@nouveau-mot-de-passe?token=", mail.get_content())

        server.stop()
        server.start()
        response = requests.get(f"{url}/note-du-jour", auth=ADMIN,
                                headers=ACCEPT_JSON)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["title"], "Note du jour")
        log = server.log.read_text()
        self.assertEqual(log.count("Created the demo site"), 1, log)
        self.assertIn("kept as it is", log)

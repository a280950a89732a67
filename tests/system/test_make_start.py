"""``make start`` on a fresh instance: the site is created with its demo,
served in French, its mail kept as .eml files, a worker runs the background
jobs beside Zope (a ZEO server shares the FileStorage); a second ``make
start`` keeps what was created in between.

Runs the real Makefile target (the same commands as the README) on a
temporary instance and data folder, on free ports.
"""

from illkirch.eservices.antivirus.scanner import Scanner
from illkirch.eservices.cli.mailsink import read_messages
from illkirch.eservices.cli.processes import Process
from illkirch.eservices.cli.processes import answering
from illkirch.eservices.cli.processes import free_port
from illkirch.eservices.testing.files import infected_pdf
from illkirch.eservices.testing.sessions import ACCEPT_JSON
from pathlib import Path

import requests
import tempfile
import time
import unittest


ROOT = Path(__file__).resolve().parents[2]
ADMIN = ("admin", "Admin-Test-2026")


class MakeStart(Process):
    """``make start`` from the repository's root on a temporary instance and
    data folder; ``start()`` returns once the site answers."""

    def __init__(self, workdir, http_port, smtp_port, oidc_port, clamd_port):
        self.workdir = Path(workdir)
        self.url = f"http://localhost:{http_port}/Plone"
        self.oidc_port = oidc_port
        self.clamd_port = clamd_port
        super().__init__(
            [
                "make",
                "start",
                f"INSTANCE={self.workdir / 'instance'}",
                f"VAR={self.workdir / 'var'}",
                f"HTTP_PORT={http_port}",
                f"SMTP_PORT={smtp_port}",
                f"OIDC_PORT={oidc_port}",
                f"CLAMD_PORT={clamd_port}",
                f"ADMIN={ADMIN[0]}:{ADMIN[1]}",
            ],
            log=self.workdir / "make-start.log",
            cwd=ROOT,
        )

    def start(self):
        super().start()
        # 30 s per request: the first page may still be compiling on a
        # loaded machine
        self.wait_until(
            lambda: answering(self.url, timeout=30),
            240,
            f"make start on {self.url}",
            interval=1,
        )
        return self


class TestMakeStart(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="eservices-start-")
        self.addCleanup(self.tmp.cleanup)
        self.server = MakeStart(
            self.tmp.name, free_port(), free_port(), free_port(), free_port()
        )

    def tearDown(self):
        self.server.stop()

    def wait_for_mail(self, recipient, subject, timeout=30):
        mail_dir = Path(self.tmp.name) / "var" / "mail"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in read_messages(mail_dir):
                if message["To"] == recipient and subject in message["Subject"]:
                    return message
            time.sleep(0.5)
        self.fail(f"no mail « {subject} » to {recipient} in {mail_dir}")

    def wait_for_worker(self, url, timeout=120):
        """``GET /@jobs`` once a worker beats."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            jobs = requests.get(f"{url}/@jobs", auth=ADMIN, headers=ACCEPT_JSON).json()
            if jobs["workers"]:
                return jobs
            time.sleep(1)
        self.fail(f"no worker beside Zope after {timeout} s")

    @staticmethod
    def antivirus_address(url):
        response = requests.get(
            f"{url}/@registry/illkirch.eservices.antivirus.address",
            auth=ADMIN,
            headers=ACCEPT_JSON,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def test_start_serves_keeps_data_and_mail(self):
        server = self.server
        server.start()
        url = server.url
        clamd_address = f"tcp://127.0.0.1:{server.clamd_port}"
        home = requests.get(url)
        self.assertIn('lang="fr"', home.text)
        faq = requests.get(f"{url}/faq")
        self.assertEqual(faq.status_code, 200)
        self.assertIn("Retour au sommaire", faq.text)
        self.assertIn("Questions fréquentes", faq.text)
        # the local FranceConnect (#20) runs beside, the demo pointing at it
        self.assertIn('class="fr-connect"', requests.get(f"{url}/login").text)
        discovery = requests.get(
            f"http://localhost:{server.oidc_port}/api/v2/.well-known/openid-configuration"
        ).json()
        self.assertEqual(discovery["acr_values_supported"], ["eidas1"])
        # ClamAV's daemon (#21) beside, on the project's tiny database, on
        # its TCP port and its Unix socket in var/clamd/
        socket = Path(self.tmp.name) / "var" / "clamd" / "clamd.sock"
        for scanner in (
            Scanner(host="127.0.0.1", port=server.clamd_port),
            Scanner(socket=socket),
        ):
            result = scanner.scan(infected_pdf())
            self.assertEqual(result.status, "infected", result)
            self.assertTrue(result.signature.startswith("Eicar-Test-Signature-Local"))
        # the demo site's uploads are scanned by it (make start's address)
        self.assertEqual(self.antivirus_address(url), clamd_address)

        # content created while the site runs
        # the jobs' worker beside Zope, on the same database (ZEO)
        jobs = self.wait_for_worker(url)
        self.assertEqual(jobs["backend"], "sqlite")
        self.assertTrue((Path(self.tmp.name) / "var" / "zeo.sock").exists())

        response = requests.post(
            url,
            auth=ADMIN,
            headers=ACCEPT_JSON,
            json={"@type": "Document", "id": "note-du-jour", "title": "Note du jour"},
        )
        self.assertEqual(response.status_code, 201, response.text)

        # the demo's own mail (the validation of the demo household, sent
        # while the site was created) and the site's mail reach var/mail/
        validated = self.wait_for_mail(
            "amelie.lire@example.org", "Votre compte est validé"
        )
        # sent by a command, outside any web request: French, the site's
        # public URL (make passes HTTP_PORT), the portal's headers (#13 item 16)
        self.assertIn(
            f"{url}/@@mon-espace", validated.get_body(("plain",)).get_content()
        )
        self.assertEqual(validated["Auto-Submitted"], "auto-generated")
        self.assertTrue(validated["Message-ID"].endswith("@localhost>"))
        response = requests.post(
            f"{url}/@password-reset",
            headers=ACCEPT_JSON,
            json={"login": "amelie.lire"},
        )
        self.assertEqual(response.status_code, 202, response.text)
        mail = self.wait_for_mail("amelie.lire@example.org", "nouveau mot de passe")
        self.assertIn(
            f"{url}/@@nouveau-mot-de-passe?token=",
            mail.get_body(("plain",)).get_content(),
        )

        server.stop()
        server.start()
        response = requests.get(f"{url}/note-du-jour", auth=ADMIN, headers=ACCEPT_JSON)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["title"], "Note du jour")
        # an existing site keeps pointing at make start's clamd
        self.assertEqual(self.antivirus_address(url), clamd_address)
        log = server.log.read_text()
        self.assertEqual(log.count("Created the demo site"), 1, log)
        self.assertIn("kept as it is", log)

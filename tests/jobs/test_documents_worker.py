"""Receipts and decisions (#18) issued by a real worker, as ``make start``
runs it: a ZEO server, the demo site, one Zope instance, one
``eservices-worker`` and an SMTP sink, each in its own process.

A request filed over REST gets its « Récépissé de dépôt » from the worker
(never in the citizen's web request): the confirmation email arrives with
the PDF attached, the very bytes stored with the request; the agent's
refusal over REST brings the decision the same way.
"""

from illkirch.eservices.cli.processes import MailSinkProcess
from illkirch.eservices.testing.cluster import Instance
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.requests import STREETLIGHT_ANSWERS
from illkirch.eservices.testing.sessions import rest_session

import hashlib
import io
import pypdf
import tempfile
import time
import unittest
import ZEO


SITE = {}
AMELIE_EMAIL = "amelie.lire@example.org"


def setUpModule():
    workdir = tempfile.TemporaryDirectory(prefix="eservices-documents-")
    SITE["workdir"] = workdir
    try:
        sink = SITE["sink"] = MailSinkProcess(f"{workdir.name}/mail").start()
        instance = SITE["instance"] = Instance(
            "zope", workdir.name, "", zodb_backend="zeo"
        )
        SITE["zeo"] = instance.zeo().start()
        instance.create_site(sink.port)
        instance.start()
        SITE["worker"] = instance.worker().start()
        SITE["db"] = ZEO.DB(str(instance.var / "zeo.sock"))
    except BaseException:
        tearDownModule()
        raise


def tearDownModule():
    if "db" in SITE:
        SITE["db"].close()
    for name in ("worker", "instance", "zeo", "sink"):
        if name in SITE:
            SITE[name].stop()
    SITE["workdir"].cleanup()


def wait_for(condition, timeout=90, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"{what}: not after {timeout} s")


def stored(path):
    """``[(kind, sha256)]`` of the documents stored with the request at
    ``path`` (read through ZEO)."""
    connection = SITE["db"].open()
    try:
        obj = connection.root()["Application"]["Plone"]
        for name in path.strip("/").split("/"):
            obj = obj[name]
        annotations = getattr(obj, "__annotations__", {})
        documents = annotations.get("illkirch.eservices.issued_documents", ())
        return [(d.kind, d.sha256) for d in documents]
    finally:
        connection.close()


class TestDocumentsByTheWorker(unittest.TestCase):
    def setUp(self):
        self.url = SITE["instance"].url
        self.sink = SITE["sink"]

    def session(self, account):
        session = rest_session(self.url, *account)
        self.addCleanup(session.close)
        return session

    def emails(self, number, subject):
        return [
            message
            for message in self.sink.messages(AMELIE_EMAIL, subject)
            if number in str(message["Subject"])
        ]

    def attached_pdf(self, message):
        (part,) = list(message.iter_attachments())
        self.assertEqual(part.get_content_type(), "application/pdf")
        return part.get_content()

    def test_receipt_then_decision(self):
        response = self.session(AMELIE).post(
            f"{self.url}/@requests",
            json={
                "service": "signalement-voie-publique",
                "answers": STREETLIGHT_ANSWERS,
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        filed = response.json()
        number, request_url = filed["number"], filed["@id"]
        path = request_url[len(self.url) :]
        (confirmation,) = wait_for(
            lambda: self.emails(number, "a bien été reçue"), what="the receipt"
        )
        data = self.attached_pdf(confirmation)
        text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
        self.assertIn(number, text)
        self.assertIn("Éclairage public en panne", text)
        self.assertEqual(stored(path), [("receipt", hashlib.sha256(data).hexdigest())])
        # the agent refuses: the decision arrives with the status email
        agent = self.session(VOIRIE)
        for transition, comment in (
            ("mark_complete", ""),
            ("reject", "Le lampadaire relève de l'Eurométropole."),
        ):
            response = agent.post(
                f"{request_url}/@workflow/{transition}", json={"comment": comment}
            )
            self.assertEqual(response.status_code, 200, response.text)
        (refusal,) = wait_for(
            lambda: self.emails(number, "Refusée"), what="the decision"
        )
        data = self.attached_pdf(refusal)
        text = " ".join(
            pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().split()
        )
        self.assertIn("Le lampadaire relève de l'Eurométropole.", text)
        self.assertIn("est refusée", text)
        self.assertEqual(
            stored(path)[1], ("decision", hashlib.sha256(data).hexdigest())
        )
        time.sleep(2)  # nothing sent twice
        self.assertEqual(len(self.emails(number, "a bien été reçue")), 1)
        self.assertEqual(len(self.emails(number, "Refusée")), 1)

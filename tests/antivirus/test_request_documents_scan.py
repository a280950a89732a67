"""A request's documents scanned by the real ``clamd`` (#21, kind
``request-documents``), over HTTP: an infected PDF filed through the REST
API is quarantined (out of the attachments, the citizen emailed, the
request « Incomplète » when the document was required, the agents warned);
a clean one is downloaded once scanned; with the daemon unreachable a
document stays « en cours d'analyse » and nobody downloads it (page and
REST: 409) until the sweep scans it once the daemon is back."""

from illkirch.eservices import history
from illkirch.eservices.accounts import households
from illkirch.eservices.antivirus import files
from illkirch.eservices.interfaces import ANTIVIRUS_PREFIX
from illkirch.eservices.requests import scanning
from illkirch.eservices.testing import ANTIVIRUS_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import infected_pdf
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import PERISCOLAIRE_REQUIRED_ANSWERS
from illkirch.eservices.testing.requests import upload
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session
from plone import api
from zope.component import getUtility

import transaction
import unittest


ASSURANCE = "attestation-dassurance-scolaire"
VACCINS = "carnet-de-vaccination"
PENDING = (
    "Ce document est en cours d'analyse antivirus : il pourra être ouvert dès "
    "qu'elle sera terminée."
)
CITIZEN_EMAIL = "amelie.lire@example.org"


class TestRequestDocumentsScan(unittest.TestCase):
    layer = ANTIVIRUS_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.sink = self.layer["mailsink"]
        self.amelie = self.session(AMELIE)
        self.agent = self.session(AGENT)
        self.child = next(
            p
            for p in households.household_of("amelie.lire").persons()
            if p.member_type == "child"
        ).getId()
        service = self.portal["demarches"]["inscription-periscolaire"]
        self.optional = next(
            doc.getId() for doc in service.documents() if not doc.required
        )

    def session(self, account):
        session = rest_session(self.url, *account)
        self.addCleanup(session.close)
        return session

    def pages(self, account):
        session = cookie_session(self.url, *account)
        self.addCleanup(session.close)
        return session

    def file(self, *documents):
        response = self.amelie.post(
            f"{self.url}/@requests",
            json={
                "service": "inscription-periscolaire",
                "member": self.child,
                "answers": dict(PERISCOLAIRE_REQUIRED_ANSWERS),
                "documents": list(documents),
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()["@id"]

    def attachments(self, request_url, session=None):
        response = (session or self.agent).get(f"{request_url}/@attachments")
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def mails_naming(self, text):
        return [
            message
            for message in self.sink.messages()
            if message["To"] == CITIZEN_EMAIL
            and text in message.get_body(("plain",)).get_content()
        ]

    def set_address(self, address):
        transaction.begin()  # see what the server committed
        api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.address", address)
        transaction.commit()

    def test_infected_required_document_is_quarantined(self):
        request_url = self.file(
            upload(ASSURANCE, "assurance-eicar.pdf", infected_pdf()),
            upload(VACCINS, "vaccins.png", image("PNG")),
        )
        data = self.attachments(request_url)
        self.assertEqual(
            [(a["filename"], a["scan"]) for a in data["items"]],
            [("vaccins.png", "clean")],
        )
        ((refused,),) = [data["quarantined"]]
        self.assertEqual(refused["filename"], "assurance-eicar.pdf")
        self.assertEqual(refused["document"], ASSURANCE)
        self.assertEqual(refused["scan"], "refused")
        # « Incomplète »: the refused document was a required one
        request = self.amelie.get(request_url).json()
        self.assertEqual(request["review_state"], "incomplete")
        # the citizen is told which file, in French, with the public link
        (mail,) = self.mails_naming("assurance-eicar.pdf")
        body = mail.get_body(("plain",)).get_content()
        self.assertIn("antivirus", body)
        self.assertIn("Incomplète", mail["Subject"])
        self.assertIn("envoyer un autre fichier", body)
        self.assertIn(request_url, body)
        # the agents' marker: the summary in the queue and the citizen's list
        queue = self.agent.get(f"{self.url}/@requests").json()
        (item,) = [i for i in queue["items"] if i["@id"] == request_url]
        self.assertEqual(item["quarantined"], 1)
        mine = self.amelie.get(f"{self.url}/@requests").json()
        (item,) = [i for i in mine["items"] if i["@id"] == request_url]
        self.assertEqual(item["quarantined"], 1)
        # the agent's page and the Guichet warn; the citizen's page invites
        agent_page = self.pages(AGENT)
        page = agent_page.get(request_url).text
        self.assertIn("Fichier refusé par l'antivirus", page)
        self.assertIn("assurance-eicar.pdf", page)
        guichet = agent_page.get(f"{self.url}/@@guichet").text
        self.assertIn("eservices-quarantined-flag", guichet)
        page = self.pages(AMELIE).get(request_url).text
        self.assertIn("assurance-eicar.pdf", page)
        self.assertIn("Merci d'envoyer un autre fichier", page)
        # its record: signature, digest; its content deleted
        transaction.begin()
        request_obj = self.portal.unrestrictedTraverse(
            request_url.replace(self.url + "/", "")
        )
        (record,) = scanning.quarantined(request_obj)
        self.assertIn("Eicar-Test-Signature", record["signature"])
        self.assertEqual(len(record["sha256"]), 64)
        self.assertEqual(record["size"], len(infected_pdf()))
        self.assertEqual(files.waiting_count(), 0)
        actions = [e["action"] for e in history.entries(request_obj)]
        self.assertIn(scanning.QUARANTINED, actions)
        self.assertIn("transition_ask_documents", actions)

    def test_infected_optional_document_keeps_the_status(self):
        request_url = self.file(
            upload(ASSURANCE, "assurance.pdf", pdf()),
            upload(VACCINS, "vaccins.png", image("PNG")),
            upload(self.optional, "pai-eicar.pdf", infected_pdf()),
        )
        data = self.attachments(request_url)
        self.assertNotIn("pai-eicar.pdf", [a["filename"] for a in data["items"]])
        self.assertEqual(
            [r["filename"] for r in data["quarantined"]], ["pai-eicar.pdf"]
        )
        self.assertEqual(
            self.amelie.get(request_url).json()["review_state"], "submitted"
        )
        (mail,) = self.mails_naming("pai-eicar.pdf")
        self.assertIn("refusé", mail["Subject"])

    def test_clean_document_is_downloaded_once_scanned(self):
        request_url = self.file(
            upload(ASSURANCE, "assurance.pdf", pdf()),
            upload(VACCINS, "vaccins.png", image("PNG")),
        )
        data = self.attachments(request_url)
        self.assertEqual(
            {a["filename"]: a["scan"] for a in data["items"]},
            {"assurance.pdf": "clean", "vaccins.png": "clean"},
        )
        self.assertEqual(data["quarantined"], [])
        (item,) = [a for a in data["items"] if a["filename"] == "assurance.pdf"]
        response = self.agent.get(item["@id"])
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.content, pdf())
        self.assertEqual(
            self.amelie.get(request_url).json()["review_state"], "submitted"
        )

    def test_unreachable_daemon_keeps_documents_pending(self):
        address = api.portal.get_registry_record(f"{ANTIVIRUS_PREFIX}.address")
        self.set_address("unix:///nonexistent/clamd.sock")
        request_url = self.file(
            upload(ASSURANCE, "assurance.pdf", pdf()),
            upload(VACCINS, "vaccins.png", image("PNG")),
        )
        data = self.attachments(request_url)
        self.assertEqual(
            {a["filename"]: a["scan"] for a in data["items"]},
            {"assurance.pdf": "pending", "vaccins.png": "pending"},
        )
        (item,) = [a for a in data["items"] if a["filename"] == "assurance.pdf"]
        # nobody downloads it: REST (agent, citizen) and the page's link
        for session in (self.agent, self.amelie):
            response = session.get(item["@id"])
            self.assertEqual(response.status_code, 409, response.text)
            self.assertEqual(response.json()["error"]["message"], PENDING)
            self.assertEqual(response.json()["error"]["type"], "Conflict")
        download = f"{request_url}/@@piece-jointe/{item['id']}"
        for account in (AGENT, AMELIE):
            pages = self.pages(account)
            response = pages.get(download)
            self.assertEqual(response.status_code, 409)
            self.assertIn(PENDING, response.text)
            page = pages.get(request_url).text
            self.assertIn("en cours d'analyse antivirus", page)
            self.assertNotIn(download, page)
        self.assertEqual(
            self.amelie.get(request_url).json()["review_state"], "submitted"
        )
        # the daemon back, the sweep scans them
        self.set_address(address)
        transaction.begin()
        self.assertEqual(files.sweep(now="9999"), 2)
        transaction.commit()
        response = self.agent.get(item["@id"])
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.content, pdf())
        response = self.pages(AMELIE).get(download)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            {a["scan"] for a in self.attachments(request_url)["items"]}, {"clean"}
        )

    def test_unscanned_documents_of_the_time_it_was_off(self):
        transaction.begin()
        api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.enabled", False)
        transaction.commit()
        request_url = self.file(
            upload(ASSURANCE, "assurance.pdf", pdf()),
            upload(VACCINS, "vaccins.png", image("PNG")),
        )
        self.assertEqual(
            {a["scan"] for a in self.attachments(request_url)["items"]}, {None}
        )
        transaction.begin()
        kind = getUtility(files.IScannedFiles, name=scanning.KIND)
        found = {holder.filename for _ref, holder in kind.unscanned()}
        self.assertEqual(found, {"assurance.pdf", "vaccins.png"})
        api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.enabled", True)
        for ref, holder in list(kind.unscanned()):
            files.start(scanning.KIND, ref, holder)
        transaction.commit()
        self.assertEqual(list(kind.unscanned()), [])
        self.assertEqual(
            {a["scan"] for a in self.attachments(request_url)["items"]}, {"clean"}
        )

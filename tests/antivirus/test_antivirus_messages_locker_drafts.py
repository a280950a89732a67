"""The antivirus (#21) on the conversation's files, the document locker
and the drafts' files, over HTTP against the real ``clamd`` of the
antivirus layer: a file is served only once found clean; « en cours
d'analyse » (the daemon unreachable) or refused, it is listed so and every
download (REST and page, citizen and agent) and reuse is refused in
French; a refused file loses its content and the citizen is emailed which
file it was; once the daemon is back the sweep scans what waited."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.antivirus import files
from illkirch.eservices.conversation import store as conversation_store
from illkirch.eservices.drafts import store as drafts_store
from illkirch.eservices.interfaces import ANTIVIRUS_PREFIX
from illkirch.eservices.reuse import locker
from illkirch.eservices.testing import ANTIVIRUS_FUNCTIONAL_TESTING
from illkirch.eservices.testing.conversation import file_over_rest
from illkirch.eservices.testing.conversation import message_body
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.drafts import HALF_ANSWERS
from illkirch.eservices.testing.drafts import PERISCOLAIRE
from illkirch.eservices.testing.drafts import child_id
from illkirch.eservices.testing.files import infected_pdf
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import upload
from illkirch.eservices.testing.reuse import PROOF
from illkirch.eservices.testing.reuse import SERVICE_ID
from illkirch.eservices.testing.reuse import answers
from illkirch.eservices.testing.reuse import create_service
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session
from plone import api

import transaction
import unittest


PENDING_TEXT = "en cours d'analyse"
REFUSED_LABEL = "Fichier refusé par l'antivirus"
MISSING = "unix:///nonexistent/clamd.sock"
CLEAN_BYTES = pdf(padding=77)


class AntivirusHttpCase(unittest.TestCase):
    layer = ANTIVIRUS_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.address = api.portal.get_registry_record(f"{ANTIVIRUS_PREFIX}.address")
        self.amelie = self.session(AMELIE)
        self.agent = self.session(AGENT)

    def session(self, account=None):
        session = rest_session(self.url, *(account or ()))
        self.addCleanup(session.close)
        return session

    def page_session(self, account):
        session = cookie_session(self.url, *account)
        self.addCleanup(session.close)
        return session

    def daemon_down(self):
        api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.address", MISSING)
        transaction.commit()

    def daemon_back(self):
        """The daemon answers again: the sweep scans what waited."""
        transaction.begin()
        api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.address", self.address)
        self.assertGreaterEqual(files.sweep(now="9999"), 1)
        transaction.commit()

    def refused_mails(self, filename):
        found = []
        for message in self.layer["mailsink"].messages():
            if filename in message["Subject"]:
                body = message.get_body(preferencelist=("plain",)).get_content()
                found.append((message["To"], message["Subject"], body))
        return found

    def assert_not_served(self, response, refused=False):
        self.assertEqual(response.status_code, 409, response.text)
        self.assertNotIn(b"%PDF", response.content)
        if response.headers["Content-Type"].startswith("application/json"):
            text = response.json()["error"]["message"]
        else:
            text = response.text.replace("&#x27;", "'")
        if refused:
            self.assertIn("refusé par l'antivirus", text)
        else:
            self.assertIn(PENDING_TEXT, text)


class TestMessageFiles(AntivirusHttpCase):
    def setUp(self):
        super().setUp()
        self.request_url = file_over_rest(self.url, self.amelie)
        self.messages_url = f"{self.request_url}/@messages"

    def post(self, session, filename, data, text="Voici le document."):
        response = session.post(
            self.messages_url, json=message_body(text, [(filename, data)])
        )
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()

    def page_url(self, message, file):
        return f"{self.request_url}/@@piece-jointe-message/{message['id']}/{file['id']}"

    def stored(self, message, file):
        transaction.begin()
        request_obj = self.layer["portal"].unrestrictedTraverse(
            self.request_url[len(self.url) + 1 :]
        )
        return conversation_store.find(request_obj, message["id"]).attachment(
            file["id"]
        )

    def test_infected_file_refused_kept_as_such_and_the_citizen_told(self):
        message = self.post(self.amelie, "releve-caf.pdf", infected_pdf())
        [file] = message["attachments"]
        self.assertEqual(file["scan"], "refused")
        self.assertFalse(file["available"])
        self.assertEqual(file["scan_label"], REFUSED_LABEL)
        # nobody downloads it: REST and page, the citizen and the agent
        self.assert_not_served(self.amelie.get(file["@id"]), refused=True)
        self.assert_not_served(self.agent.get(file["@id"]), refused=True)
        for account in (AMELIE, AGENT):
            page = self.page_session(account)
            self.assert_not_served(page.get(self.page_url(message, file)), refused=True)
        # the agents of the service see the refusal in the thread
        thread = self.agent.get(self.messages_url).json()["items"]
        [item] = [i for i in thread if i["id"] == message["id"]]
        self.assertEqual(item["attachments"][0]["scan"], "refused")
        page = self.page_session(AGENT).get(self.request_url)
        self.assertIn(REFUSED_LABEL, page.text.replace("&#x27;", "'"))
        # its content deleted, what identifies it kept
        attachment = self.stored(message, file)
        self.assertIsNone(attachment.file)
        self.assertEqual(attachment.filename, "releve-caf.pdf")
        self.assertIn("Eicar-Test-Signature-Local", attachment.scan["signature"])
        self.assertEqual(len(attachment.scan["sha256"]), 64)
        self.assertEqual(attachment.scan["size"], len(infected_pdf()))
        # the citizen's email names the file, its link from the public URL
        [(to, subject, body)] = self.refused_mails("releve-caf.pdf")
        self.assertIn("amelie", to.lower())
        self.assertIn("refusé par l'antivirus", subject)
        self.assertIn("« releve-caf.pdf »", body)
        self.assertIn(self.request_url, body)

    def test_clean_file_downloadable_once_scanned(self):
        message = self.post(self.amelie, "avis.pdf", CLEAN_BYTES)
        [file] = message["attachments"]
        self.assertEqual(file["scan"], "clean")
        self.assertTrue(file["available"])
        for session in (self.amelie, self.agent):
            response = session.get(file["@id"])
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.content, CLEAN_BYTES)
        page = self.page_session(AMELIE).get(self.page_url(message, file))
        self.assertEqual(page.content, CLEAN_BYTES)
        self.assertEqual(self.refused_mails("avis.pdf"), [])

    def test_daemon_down_pending_never_served_then_scanned(self):
        self.daemon_down()
        message = self.post(self.agent, "courrier.pdf", CLEAN_BYTES)
        [file] = message["attachments"]
        self.assertEqual(file["scan"], "pending")
        self.assertIn(PENDING_TEXT, file["scan_label"])
        for session in (self.amelie, self.agent):
            self.assert_not_served(session.get(file["@id"]))
        for account in (AMELIE, AGENT):
            page = self.page_session(account)
            self.assert_not_served(page.get(self.page_url(message, file)))
            self.assertIn(
                PENDING_TEXT, page.get(self.request_url).text.replace("&#x27;", "'")
            )
        self.daemon_back()
        listed = self.amelie.get(self.messages_url).json()["items"]
        [item] = [i for i in listed if i["id"] == message["id"]]
        self.assertEqual(item["attachments"][0]["scan"], "clean")
        for session in (self.amelie, self.agent):
            response = session.get(file["@id"])
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.content, CLEAN_BYTES)


class TestLocker(AntivirusHttpCase):
    def setUp(self):
        super().setUp()
        create_service(self.layer["portal"], commit=True)
        self.leo = child_id(household_of("amelie.lire"))

    def file(self, documents):
        return self.amelie.post(
            f"{self.url}/@requests",
            json={
                "service": SERVICE_ID,
                "member": self.leo,
                "answers": answers(),
                "documents": documents,
            },
        )

    def entry(self):
        [entry] = self.amelie.get(f"{self.url}/@locker").json()["items"]
        return entry

    def assert_not_reused(self, entry, refused=False):
        response = self.file([{"document": PROOF, "locker": entry["id"]}])
        self.assertEqual(response.status_code, 400, response.text)
        [error] = response.json()["error"]["errors"]
        self.assertEqual(error["field"], f"document-{PROOF}")
        self.assertIn(
            "refusé par l'antivirus" if refused else PENDING_TEXT, error["message"]
        )

    def test_pending_entry_neither_reused_nor_downloaded_until_clean(self):
        self.daemon_down()
        response = self.file([upload(PROOF, "facture.pdf", CLEAN_BYTES)])
        self.assertEqual(response.status_code, 201, response.text)
        entry = self.entry()
        self.assertEqual(entry["scan"], "pending")
        self.assertFalse(entry["available"])
        self.assert_not_served(self.amelie.get(entry["@id"]))
        page = self.page_session(AMELIE)
        self.assert_not_served(
            page.get(f"{self.url}/@@mes-documents-fichier/{entry['id']}")
        )
        tab = page.get(f"{self.url}/@@mon-espace-documents").text.replace("&#x27;", "'")
        self.assertIn(PENDING_TEXT, tab)
        self.assertNotIn(f"@@mes-documents-fichier/{entry['id']}", tab)
        self.assert_not_reused(entry)
        self.daemon_back()
        entry = self.entry()
        self.assertEqual(entry["scan"], "clean")
        response = self.amelie.get(entry["@id"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, CLEAN_BYTES)
        response = self.file([{"document": PROOF, "locker": entry["id"]}])
        self.assertEqual(response.status_code, 201, response.text)

    def test_refused_entry_kept_as_such_never_reused(self):
        # a document the antivirus refuses: kept by the locker, then scanned
        transaction.begin()
        household = household_of("amelie.lire")
        document = self.layer["portal"]["demarches"][SERVICE_ID][PROOF]
        data = infected_pdf()
        kept = locker.keep(
            household,
            document,
            {
                "filename": "quittance.pdf",
                "content_type": "application/pdf",
                "data": data,
            },
            "2026-000001",
        )
        self.assertEqual(files.state(kept), files.REFUSED)
        self.assertIsNone(kept.file)
        transaction.commit()
        entry = self.entry()
        self.assertEqual(entry["scan"], "refused")
        self.assertEqual(entry["scan_label"], REFUSED_LABEL)
        self.assert_not_served(self.amelie.get(entry["@id"]), refused=True)
        page = self.page_session(AMELIE)
        self.assert_not_served(
            page.get(f"{self.url}/@@mes-documents-fichier/{entry['id']}"), refused=True
        )
        tab = page.get(f"{self.url}/@@mon-espace-documents").text.replace("&#x27;", "'")
        self.assertIn(REFUSED_LABEL, tab)
        self.assert_not_reused(entry, refused=True)
        [(_to, _subject, body)] = self.refused_mails("quittance.pdf")
        self.assertIn("Mes documents", body)
        self.assertIn(f"{self.url}/@@mon-espace-documents", body)

    def test_request_document_refused_never_enters_the_locker(self):
        transaction.begin()
        household = household_of("amelie.lire")
        document = self.layer["portal"]["demarches"][SERVICE_ID][PROOF]

        class Source:
            scan = {"state": files.REFUSED}

        upload_ = {
            "filename": "a.pdf",
            "content_type": "application/pdf",
            "data": pdf(),
        }
        self.assertIsNone(
            locker.keep(household, document, upload_, "1", source=Source())
        )

        class Clean:
            scan = {"state": files.CLEAN, "sha256": None}

        entry = locker.keep(household, document, upload_, "1", source=Clean())
        self.assertEqual(files.state(entry), files.CLEAN)
        transaction.abort()

    def test_copy_of_a_pending_request_document_refused_silently(self):
        # the request's document still waits for its scan when the locker
        # copies it: both scans refuse the file, only the request's tells
        # the citizen (one email for one file)
        transaction.begin()
        household = household_of("amelie.lire")
        document = self.layer["portal"]["demarches"][SERVICE_ID][PROOF]

        class Pending:
            scan = {"state": files.PENDING}

        entry = locker.keep(
            household,
            document,
            {
                "filename": "copie-en-attente.pdf",
                "content_type": "application/pdf",
                "data": infected_pdf(),
            },
            "2026-000002",
            source=Pending(),
        )
        self.assertEqual(files.state(entry), files.REFUSED)
        self.assertIsNone(entry.file)
        transaction.commit()
        self.assertEqual(self.refused_mails("copie-en-attente.pdf"), [])


class TestDraftFiles(AntivirusHttpCase):
    def setUp(self):
        super().setUp()
        self.child = child_id(household_of("amelie.lire"))

    def start(self, filename, data):
        response = self.amelie.post(
            f"{self.url}/@drafts",
            json={
                "service": PERISCOLAIRE,
                "answers": dict(HALF_ANSWERS),
                "member": self.child,
                "documents": [
                    upload("attestation-dassurance-scolaire", filename, data)
                ],
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()

    def submit_refused(self, draft, text):
        response = self.amelie.post(f"{draft['@id']}/submit", json={})
        self.assertEqual(response.status_code, 400, response.text)
        fields = {e["field"]: e["message"] for e in response.json()["error"]["errors"]}
        self.assertIn(text, fields["document-attestation-dassurance-scolaire"])

    def test_pending_draft_file_not_sent_until_clean(self):
        self.daemon_down()
        draft = self.start("assurance.pdf", CLEAN_BYTES)
        [kept] = draft["documents"]
        self.assertEqual(kept["scan"], "pending")
        self.assertFalse(kept["available"])
        self.submit_refused(draft, PENDING_TEXT)
        self.daemon_back()
        [kept] = self.amelie.get(draft["@id"]).json()["documents"]
        self.assertEqual(kept["scan"], "clean")
        self.assertTrue(kept["available"])

    def test_refused_draft_file_kept_as_such_and_the_citizen_told(self):
        draft = self.start("attestation.pdf", infected_pdf())
        [kept] = draft["documents"]
        self.assertEqual(kept["scan"], "refused")
        self.submit_refused(draft, "refusé par l'antivirus")
        transaction.begin()
        stored = drafts_store.get(household_of("amelie.lire"), draft["id"])
        self.assertIsNone(stored.files[0].file)
        [(_to, _subject, body)] = self.refused_mails("attestation.pdf")
        self.assertIn("Inscription périscolaire", body)
        self.assertIn(f"brouillon={draft['id']}", body)
        self.assertTrue(body.count(self.url))

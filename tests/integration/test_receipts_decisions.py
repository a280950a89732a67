"""Official documents of requests (#18): the « Récépissé de dépôt » issued
when a request is filed and the « Décision » when it is accepted or refused,
each once, in the background queue (run eagerly here), stored with the
request and attached to the email announcing the event."""

from email import message_from_bytes
from email import policy
from illkirch.eservices.accounts import captcha
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts import registration
from illkirch.eservices.official_documents import decisions
from illkirch.eservices.official_documents import receipts
from illkirch.eservices.official_documents import store
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import BIRTH_ANSWERS
from illkirch.eservices.testing.requests import PAUL_MARTIN
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from zope.i18n import translate
from zope.schema import ValidationError

import hashlib
import io
import pypdf
import re
import unittest
import zxingcpp


def pdf_text(data):
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text):
    """The text with its line breaks as spaces (pypdf breaks long lines)."""
    return " ".join(text.split())


def sha(data):
    return hashlib.sha256(data).hexdigest()


def qr_codes(data):
    """The texts of the QR codes of the PDF's images."""
    from PIL import Image

    found = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for picture in page.images:
            image = Image.open(io.BytesIO(picture.data))
            found.extend(code.text for code in zxingcpp.read_barcodes(image))
    return found


class ReceiptsDecisionsTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.amelie = households.household_of("amelie.lire")
        self.periscolaire = self.portal["demarches"]["inscription-periscolaire"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        api.portal.set_registry_record(
            "illkirch.eservices.postal_address",
            "Mairie d'Illkirch-Graffenstaden\n181 route de Lyon\n67400 Illkirch",
        )

    def sent(self):
        return [
            message_from_bytes(m, policy=policy.default) for m in self.mailhost.messages
        ]

    def attachments(self, message):
        return [
            (part.get_filename(), part.get_content_type(), part.get_content())
            for part in message.iter_attachments()
        ]

    def file_periscolaire(self, files=None, by_post=False):
        login(self.portal, "amélie.lire")
        child = next(p for p in self.amelie.persons() if p.member_type == "child")
        if files is None:
            files = [
                {
                    "document": "attestation-dassurance-scolaire",
                    "filename": "assurance.pdf",
                    "data": pdf(padding=3000),
                },
                {
                    "document": "carnet-de-vaccination",
                    "filename": "vaccins.png",
                    "data": image("PNG"),
                },
            ]
        return submission.submit(
            self.periscolaire,
            dict(PERISCOLAIRE_ANSWERS),
            member_id=child.getId(),
            files=files,
            by_post=by_post,
        )

    def file_birth(self):
        logout()
        token = registration.new_captcha()
        return submission.submit(
            self.portal["demarches"]["acte-de-naissance"],
            dict(BIRTH_ANSWERS),
            requester=dict(PAUL_MARTIN),
            captcha={
                "token": token,
                "answer": captcha.answer_for(registration.captcha_secret(), token),
            },
        )

    def assert_verifiable(self, request_obj, document, text):
        """The code printed is the document's (the site finds it) and its QR
        code gives its verification address."""
        printed = re.search(r"Code de vérification : ([A-Z0-9-]{19})", text)
        self.assertIsNotNone(printed, text)
        code = store.normalize_code(printed.group(1))
        self.assertEqual(store.digest(code.encode()), document.code_digest)
        found_obj, found = store.lookup(code)
        self.assertEqual((found_obj.UID(), found.id), (request_obj.UID(), document.id))
        public = api.portal.get_registry_record("illkirch.eservices.public_url")
        self.assertEqual(qr_codes(document.data()), [f"{public}/@@verifier/{code}"])

    def decide(self, request_obj, transition, message):
        login(self.portal, "agent.accueil")
        if processing.state(request_obj) != "complete":
            processing.fire(request_obj, "mark_complete")
        processing.fire(request_obj, transition, message)

    # the receipt -----------------------------------------------------------

    def test_a_filed_request_gets_one_receipt_attached_to_its_email(self):
        request_obj = self.file_periscolaire()
        receipts_issued = store.of_kind(request_obj, store.RECEIPT)
        self.assertEqual(len(receipts_issued), 1)
        document = receipts_issued[0]
        data = document.data()
        self.assertTrue(data.startswith(b"%PDF-"))
        text = flat(pdf_text(data))
        self.assertIn("Récépissé de dépôt", text)
        self.assertIn(request_obj.number, text)
        self.assertIn("Inscription périscolaire", text)
        self.assertIn(request_obj.requester_name, text)
        self.assertIn(request_obj.member_name, text)
        for answer in request_obj.answers:
            self.assertIn(flat(answer["label"]), text)
            self.assertIn(flat(answer["display"]), text)
        self.assertIn("assurance.pdf", text)
        self.assertIn("vaccins.png", text)
        self.assertIn(" ko", text)
        self.assert_verifiable(request_obj, document, text)
        self.assertEqual(
            document.heading,
            {
                "kind": "receipt",
                "title": "Récépissé de dépôt",
                "number": request_obj.number,
                "date": document.heading["date"],
                "town": "Ville d'Illkirch-Graffenstaden",
            },
        )
        self.assertRegex(document.heading["date"], r"^\d\d/\d\d/\d{4} \d\d:\d\d$")
        # one email, the confirmation, with the same PDF
        sent = self.sent()
        self.assertEqual(len(sent), 1)
        self.assertIn("a bien été reçue", sent[0]["Subject"])
        self.assertEqual(sent[0]["To"], "amelie.lire@example.org")
        ((filename, content_type, attached),) = self.attachments(sent[0])
        self.assertEqual(filename, f"recepisse-{request_obj.number}.pdf")
        self.assertEqual(content_type, "application/pdf")
        self.assertEqual(sha(attached), document.sha256)
        self.assertEqual(sha(attached), sha(data))

    def test_retrying_the_receipt_job_issues_nothing_twice(self):
        request_obj = self.file_periscolaire()
        path = "/".join(request_obj.getPhysicalPath()[2:])
        for _try in range(2):
            self.assertIsNone(
                receipts.issue_receipt(request_obj.UID(), path, None), path
            )
        self.assertEqual(len(store.documents(request_obj)), 1)
        self.assertEqual(len(self.sent()), 1)

    def test_documents_by_post_give_the_address_and_the_number(self):
        request_obj = self.file_periscolaire(files=[], by_post=True)
        (document,) = store.of_kind(request_obj, store.RECEIPT)
        text = flat(pdf_text(document.data()))
        self.assertIn("envoyer par courrier", text)
        self.assertIn("181 route de Lyon", text)
        self.assertIn(f"Numéro à écrire sur l'enveloppe : {request_obj.number}", text)
        # the email still tells what to write on the envelope
        body = self.sent()[-1].get_body(("plain",)).get_content()
        self.assertIn("enveloppe", body)

    def test_an_account_less_request_gets_its_receipt_and_tracking_code(self):
        request_obj = self.file_birth()
        code = submission.last_tracking_code(self.layer["request"])
        (document,) = store.of_kind(request_obj, store.RECEIPT)
        text = flat(pdf_text(document.data()))
        self.assertIn(request_obj.number, text)
        self.assertIn("Demande d'acte de naissance", text)
        self.assertIn("Paul Martin", text)
        self.assertIn("Amélie", text)
        self.assertNotIn(code, text)  # the tracking code is in the email only
        (message,) = self.sent()
        self.assertEqual(message["To"], "paul.martin@example.org")
        self.assertIn(code, message.get_body(("plain",)).get_content())
        ((_name, _type, attached),) = self.attachments(message)
        self.assertEqual(sha(attached), document.sha256)
        self.assertNotIn(code, repr(request_obj.__dict__))

    def test_the_receipt_is_issued_by_the_queue_not_the_web_request(self):
        from illkirch.eservices.jobs import registry

        registry.EAGER = False
        self.addCleanup(setattr, registry, "EAGER", True)
        request_obj = self.file_periscolaire()
        self.assertEqual(store.documents(request_obj), [])
        self.assertEqual(self.sent(), [])

    # the decision ----------------------------------------------------------

    def test_accept_gives_the_default_letter_with_the_agent(self):
        request_obj = self.file_periscolaire()
        self.decide(request_obj, "accept", "Inscription enregistrée.")
        (document,) = store.of_kind(request_obj, store.DECISION)
        text = flat(pdf_text(document.data()))
        self.assertIn(request_obj.number, text)
        self.assertIn("est acceptée", text)
        self.assertIn("Inscription enregistrée.", text)
        self.assertIn(request_obj.requester_name, text)
        agent = api.user.get(userid="agent.accueil")
        self.assertIn(agent.getProperty("fullname") or "agent.accueil", text)
        self.assertIn("Agent des services municipaux", text)
        self.assertEqual(document.heading["kind"], "decision")
        self.assert_verifiable(request_obj, document, text)
        self.assertEqual(document.heading["number"], request_obj.number)
        message = self.sent()[-1]
        self.assertIn("Validée", message["Subject"])
        self.assertIn(
            "Inscription enregistrée.", message.get_body(("plain",)).get_content()
        )
        ((filename, _type, attached),) = self.attachments(message)
        self.assertEqual(filename, f"decision-{request_obj.number}.pdf")
        self.assertEqual(sha(attached), document.sha256)
        # two emails in all: the receipt's and the decision's
        self.assertEqual(len(self.sent()), 3)  # with « Complète »

    def test_reject_fills_the_service_letter_never_regenerated(self):
        self.periscolaire.refusal_letter = (
            "Madame, Monsieur ${demandeur},\n\nLa demande ${numero} "
            "(${demarche}) du ${date_depot} est refusée le ${date_decision} : "
            "${message}\n\n<b>${agent}</b>, ${fonction}, ${service}"
        )
        self.periscolaire.decision_function = "Responsable de l'accueil"
        request_obj = self.file_periscolaire()
        self.decide(request_obj, "reject", "Dossier <incomplet> & hors délai.")
        (document,) = store.of_kind(request_obj, store.DECISION)
        data = document.data()
        text = flat(pdf_text(data))
        self.assertIn(f"La demande {request_obj.number} (Inscription", text)
        self.assertIn("Dossier <incomplet> & hors délai.", text)  # escaped, shown
        self.assertIn("<b>", text)  # the template is text, not HTML
        self.assertIn("Responsable de l'accueil", text)
        self.assertIn("Enfance et éducation", text)  # the agents' group's title
        self.assertNotIn("${", text)
        message = self.sent()[-1]
        self.assertIn("Refusée", message["Subject"])
        ((_name, _type, attached),) = self.attachments(message)
        self.assertEqual(sha(attached), sha(data))
        # a later edit of the letter does not change the decision issued
        self.periscolaire.refusal_letter = "Autre texte ${numero}"
        path = "/".join(request_obj.getPhysicalPath()[2:])
        facts = decisions.decision_facts(request_obj, "reject", "x", "agent.accueil")
        self.assertIsNone(decisions.issue_decision(request_obj.UID(), path, facts))
        (again,) = store.of_kind(request_obj, store.DECISION)
        self.assertEqual(again.sha256, sha(data))
        self.assertEqual(again.data(), data)
        self.assertEqual(len(self.sent()), 3)

    def test_other_transitions_send_their_email_without_a_document(self):
        request_obj = self.file_periscolaire()
        login(self.portal, "agent.accueil")
        processing.fire(request_obj, "ask_documents", "Il manque le carnet.")
        self.assertEqual(len(store.documents(request_obj)), 1)
        message = self.sent()[-1]
        self.assertIn("Incomplète", message["Subject"])
        self.assertEqual(self.attachments(message), [])

    # the letters' placeholders ---------------------------------------------

    def test_unknown_placeholders_are_refused_in_french(self):
        from illkirch.eservices.content.service import IService

        field = IService["acceptance_letter"]
        field.validate("Bonjour ${demandeur}, ${numero} ${message}")
        with self.assertRaises(ValidationError) as info:
            field.bind(self.periscolaire).validate("Bonjour ${nom} ${prenom}")
        message = translate(info.exception.doc(), target_language="fr")
        self.assertIn("${nom}, ${prenom}", message)
        self.assertIn("inconnu", message)
        self.assertIn("${demandeur}", message)

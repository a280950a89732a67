"""Online requests: filing (answers, member, documents), the easyform
action, the workflow with its rules, history and emails."""

from email import message_from_bytes
from email import policy
from illkirch.eservices import history
from illkirch.eservices.accounts import households
from illkirch.eservices.content.service import IService
from illkirch.eservices.requests import documents
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import submission
from illkirch.eservices.requests.numbering import parse_number
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.files import HTML
from illkirch.eservices.testing.files import SVG
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.transitions import TransitionRefused
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from zope.i18n import translate

import unittest


def child_of(household):
    return next(p for p in household.persons() if p.member_type == "child")


def french(message):
    return translate(message, target_language="fr")


class RequestsTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        self.amelie = households.household_of("amelie.lire")
        self.jerome = households.household_of("jerome.attente")
        self.periscolaire = self.portal["demarches"]["inscription-periscolaire"]
        self.signalement = self.portal["demarches"]["signalement-voie-publique"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)

    def file_periscolaire(self, **overrides):
        login(self.portal, "amélie.lire")
        docs = {d.getId(): d for d in self.periscolaire.documents()}
        files = [
            {
                "document": "attestation-dassurance-scolaire",
                "filename": "assurance.pdf",
                "data": pdf(),
            },
            {
                "document": "carnet-de-vaccination",
                "filename": "vaccins.png",
                "data": image("PNG"),
            },
        ]
        assert set(f["document"] for f in files) <= set(docs), docs
        kwargs = dict(
            raw_answers=dict(PERISCOLAIRE_ANSWERS),
            member_id=child_of(self.amelie).getId(),
            files=files,
        )
        kwargs.update(overrides)
        return submission.submit(self.periscolaire, **kwargs)

    def errors_of(self, **overrides):
        with self.assertRaises(submission.SubmissionError) as info:
            self.file_periscolaire(**overrides)
        return {key: french(message) for key, message in info.exception.errors.items()}

    def sent(self):
        return [
            message_from_bytes(m, policy=policy.default) for m in self.mailhost.messages
        ]

    # the catalogue -------------------------------------------------------

    def test_demo_services_are_easyform_forms_with_steps(self):
        self.assertTrue(IService.providedBy(self.periscolaire))
        steps = forms.steps(self.periscolaire)
        self.assertEqual([s.id for s in steps], ["inscription", "sante"])
        self.assertIn("année scolaire", steps[0].help)
        self.assertEqual(
            [n for n, _f in steps[1].fields],
            ["allergies", "personne_autorisee", "droit_image"],
        )
        logout()
        self.assertEqual(
            {s.getId() for s in submission.services()},
            {
                "inscription-periscolaire",
                "rendez-vous-passeport-cni",
                "signalement-voie-publique",
                "acte-de-naissance",
                "acte-de-mariage",
                "acte-de-deces",
            },
        )

    # filing --------------------------------------------------------------

    def test_file_a_request_for_a_child_with_documents(self):
        request_obj = self.file_periscolaire()
        self.assertIsNotNone(parse_number(request_obj.number))
        self.assertEqual(request_obj.getId(), request_obj.number)
        self.assertEqual(processing.household_of(request_obj).UID(), self.amelie.UID())
        self.assertEqual(processing.state(request_obj), "submitted")
        self.assertEqual(request_obj.member_name, child_of(self.amelie).Title())
        answers = {a["name"]: a for a in request_obj.answers}
        self.assertEqual(answers["classe"]["label"], "Classe à la rentrée")
        self.assertEqual(
            answers["accueils"]["display"], "Restauration scolaire, Accueil du soir"
        )
        self.assertEqual(answers["date_debut"]["display"], "01/09/2027")
        self.assertEqual(answers["droit_image"]["display"], "Oui")
        self.assertEqual(
            [a.content_type for a in request_obj.attachments],
            ["application/pdf", "image/png"],
        )
        self.assertEqual(request_obj.attachments[0].file.data, pdf())
        # the agents of the service's group process it; the citizen owns it
        self.assertIn(
            "RequestProcessor", request_obj.get_local_roles_for_userid("agents-enfance")
        )
        self.assertEqual(history.entries(request_obj)[0]["action"], "submitted")
        mails = self.sent()
        self.assertEqual(mails[-1]["To"], "amelie.lire@example.org")
        self.assertIn(request_obj.number, mails[-1]["Subject"])
        # found by number in the catalog, listed for the household
        brains = processing.household_requests(self.amelie)
        self.assertEqual([b.request_number for b in brains], [request_obj.number])

    def test_numbers_follow_each_other(self):
        first = self.file_periscolaire()
        second = self.file_periscolaire()
        self.assertEqual(
            parse_number(second.number)[1], parse_number(first.number)[1] + 1
        )

    def test_a_pending_account_may_file(self):
        login(self.portal, "jérôme.attente")
        request_obj = submission.submit(self.signalement, dict(SIGNALEMENT_ANSWERS))
        self.assertEqual(processing.state(request_obj), "submitted")
        self.assertEqual(processing.household_of(request_obj).UID(), self.jerome.UID())

    def test_anonymous_cannot_file_to_an_account_service(self):
        logout()
        with self.assertRaises(submission.SubmissionError) as info:
            submission.submit(self.signalement, {"nature": "Autre"})
        self.assertIn("service", info.exception.errors)

    def test_missing_answer_unknown_answer_bad_member(self):
        answers = dict(PERISCOLAIRE_ANSWERS)
        del answers["classe"]
        answers["pirate"] = "x"
        errors = self.errors_of(raw_answers=answers, member_id="nobody")
        self.assertEqual(errors["classe"], "Cette réponse est obligatoire.")
        self.assertIn("pirate", errors["pirate"])
        self.assertIn("membre", errors["member"])
        self.assertEqual(len(processing.household_requests(self.amelie)), 0)

    def test_an_adult_cannot_be_chosen_for_a_child_service(self):
        adult = next(p for p in self.amelie.persons() if p.member_type == "adult")
        errors = self.errors_of(member_id=adult.getId())
        self.assertIn("member", errors)

    def test_bad_values(self):
        answers = dict(
            PERISCOLAIRE_ANSWERS,
            classe="Terminale",
            date_debut="31/02/2027",
            accueils=["Piscine"],
        )
        errors = self.errors_of(raw_answers=answers)
        self.assertEqual(set(errors), {"classe", "date_debut", "accueils"})
        self.assertIn("réponses proposées", errors["classe"])

    def test_refused_files(self):
        for filename, data in (
            ("photo.pdf", image("PNG")[:0]),
            ("page.pdf", HTML),
            ("dessin.pdf", SVG),
            ("vide.pdf", b""),
        ):
            files = [
                {
                    "document": "attestation-dassurance-scolaire",
                    "filename": filename,
                    "data": data,
                },
                {
                    "document": "carnet-de-vaccination",
                    "filename": "v.pdf",
                    "data": pdf(),
                },
            ]
            errors = self.errors_of(files=files)
            self.assertIn("document-attestation-dassurance-scolaire", errors, filename)
        self.assertEqual(len(processing.household_requests(self.amelie)), 0)

    def test_png_renamed_pdf_is_stored_as_png(self):
        files = [
            {
                "document": "attestation-dassurance-scolaire",
                "filename": "scan.pdf",
                "data": image("PNG"),
            },
            {"document": "carnet-de-vaccination", "filename": "v.pdf", "data": pdf()},
        ]
        request_obj = self.file_periscolaire(files=files)
        self.assertEqual(request_obj.attachments[0].filename, "scan.png")
        self.assertEqual(request_obj.attachments[0].content_type, "image/png")

    def test_missing_documents_unless_sent_by_post(self):
        errors = self.errors_of(files=[])
        self.assertIn("courrier", errors["document-attestation-dassurance-scolaire"])
        request_obj = self.file_periscolaire(files=[], by_post=True)
        self.assertTrue(request_obj.by_post)
        body = self.sent()[-1].get_body(("plain",)).get_content()
        self.assertIn(request_obj.number, body)
        self.assertIn("enveloppe", body)

    def test_size_limits_come_from_the_registry(self):
        api.portal.set_registry_record("illkirch.eservices.max_attachment_mb", 1)
        files = [
            {
                "document": "attestation-dassurance-scolaire",
                "filename": "gros.pdf",
                "data": pdf(padding=1024 * 1024 + 10),
            },
            {"document": "carnet-de-vaccination", "filename": "v.pdf", "data": pdf()},
        ]
        errors = self.errors_of(files=files)
        self.assertIn("1 Mo", errors["document-attestation-dassurance-scolaire"])

    # processing ----------------------------------------------------------

    def test_workflow_with_messages_history_and_emails(self):
        request_obj = self.file_periscolaire()
        login(self.portal, "agent.voirie")  # another group: sees nothing
        self.assertFalse(api.user.has_permission("View", obj=request_obj))
        login(self.portal, "agent.accueil")
        self.assertTrue(api.user.has_permission("View", obj=request_obj))
        with self.assertRaises(TransitionRefused) as info:
            processing.fire(request_obj, "ask_documents", "")
        self.assertIn("manquent", str(info.exception))
        processing.fire(request_obj, "ask_documents", "Il manque la page 2 du carnet.")
        self.assertEqual(processing.state(request_obj), "incomplete")
        mail = self.sent()[-1]
        self.assertIn("Incomplète", mail["Subject"])
        self.assertIn(
            "Il manque la page 2 du carnet.", mail.get_body(("plain",)).get_content()
        )
        # the agent cannot complete in the citizen's place
        with self.assertRaises(TransitionRefused):
            processing.fire(request_obj, "resubmit")
        login(self.portal, "amélie.lire")
        self.assertEqual(
            [t["id"] for t in processing.available(request_obj)], ["resubmit"]
        )
        documents.add(
            request_obj,
            [
                {
                    "document": "carnet-de-vaccination",
                    "filename": "page2.jpg",
                    "data": image("JPEG"),
                }
            ],
        )
        processing.fire(request_obj, "resubmit")
        self.assertEqual(processing.state(request_obj), "submitted")
        with self.assertRaises(TransitionRefused):
            processing.fire(request_obj, "mark_complete")
        login(self.portal, "agent.accueil")
        processing.fire(request_obj, "mark_complete")
        with self.assertRaises(TransitionRefused):
            processing.fire(request_obj, "reject")
        processing.fire(request_obj, "accept", "Inscription enregistrée.")
        self.assertEqual(processing.state(request_obj), "accepted")
        actions = [e["action"] for e in history.entries(request_obj)]
        self.assertEqual(
            actions,
            [
                "submitted",
                "transition_ask_documents",
                "documents_added",
                "transition_resubmit",
                "transition_mark_complete",
                "transition_accept",
            ],
        )
        self.assertEqual(history.entries(request_obj)[1]["actor"], "agent.accueil")
        self.assertIn("Validée", self.sent()[-1]["Subject"])
        login(self.portal, "amélie.lire")
        with self.assertRaises(documents.DocumentsRefused):
            documents.add(request_obj, [{"filename": "x.pdf", "data": pdf()}])

    def test_telephone_preference_still_emails_and_shows_the_phone(self):
        self.amelie.contact_preference = "phone"
        self.amelie.phone = "03 88 12 34 56"
        request_obj = self.file_periscolaire()
        login(self.portal, "agent.accueil")
        contact = processing.contact(request_obj)
        self.assertEqual(contact["preference"], "phone")
        self.assertEqual(contact["phone"], "03 88 12 34 56")
        processing.fire(request_obj, "mark_complete")
        mail = self.sent()[-1]
        self.assertEqual(mail["To"], "amelie.lire@example.org")
        body = mail.get_body(("plain",)).get_content()
        self.assertIn(request_obj.number, body)
        self.assertIn("Complète", body)
        self.assertIn(request_obj.absolute_url(), body)
        self.assertIn("ne pas y répondre", body)

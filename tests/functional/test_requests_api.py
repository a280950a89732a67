"""Online requests over REST: the catalogue (``/@services``), filing and
listing (``/@requests``), the documents (``<request>/@attachments``) and the
processing through plone.restapi's ``@workflow``, as a Volto or mobile
client does it. Bad input answers 400 with French messages keyed by field,
and nothing is stored."""

from illkirch.eservices import _
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.requests import answers
from illkirch.eservices.requests import processing
from illkirch.eservices.requests.attachments import content_disposition
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.files import HTML
from illkirch.eservices.testing.files import SVG
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.files import pdf_of_size
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from zope.i18n import translate

import base64
import re
import unittest


NUMBER = re.compile(r"^\d{4}-\d{6}$")
ASSURANCE = "attestation-dassurance-scolaire"
VACCINS = "carnet-de-vaccination"


def b64(data):
    return base64.b64encode(data).decode("ascii")


def upload(document, filename, data):
    return {"document": document, "filename": filename, "data": b64(data)}


def french(message):
    return translate(message, target_language="fr")


class RequestsAPITestCase(unittest.TestCase):
    """What the tests of the requests' API share."""

    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        amelie = household_of("amelie.lire")
        self.child_id = next(
            p.getId() for p in amelie.persons() if p.member_type == "child"
        )
        self.sessions = {}

    def session(self, account=None):
        if account not in self.sessions:
            self.sessions[account] = rest_session(self.url, *(account or ()))
            self.addCleanup(self.sessions[account].close)
        return self.sessions[account]

    def periscolaire(self, **overrides):
        body = {
            "service": "inscription-periscolaire",
            "member": self.child_id,
            "answers": dict(PERISCOLAIRE_ANSWERS),
            "documents": [
                upload(ASSURANCE, "assurance.pdf", pdf()),
                upload(VACCINS, "vaccins.png", image("PNG")),
            ],
        }
        body.update(overrides)
        return body

    def file(self, body, account=AMELIE):
        return self.session(account).post(f"{self.url}/@requests", json=body)

    def file_ok(self, body=None, account=AMELIE):
        response = self.file(body or self.periscolaire(), account)
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()

    def listing(self, account=AMELIE, **params):
        response = self.session(account).get(f"{self.url}/@requests", params=params)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def assert_invalid(self, response, *fields):
        """400, the French shape of errors, a message for each field."""
        self.assertEqual(response.status_code, 400, response.text)
        error = response.json()["error"]
        self.assertEqual(error["type"], "ValidationError", error)
        self.assertEqual(
            error["message"],
            french(_("error_registration", default="Please correct the errors.")),
        )
        messages = {e["field"]: e["message"] for e in error["errors"]}
        for field in fields:
            self.assertIn(field, messages, error)
            self.assertTrue(messages[field].strip(), error)
        return messages


class TestCatalogue(RequestsAPITestCase):
    def test_anonymous_reads_the_three_services(self):
        response = self.session().get(f"{self.url}/@services")
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        self.assertEqual(data["items_total"], 6)
        by_id = {item["id"]: item for item in data["items"]}
        self.assertEqual(
            set(by_id),
            {
                "inscription-periscolaire",
                "rendez-vous-passeport-cni",
                "signalement-voie-publique",
                "acte-de-naissance",
                "acte-de-mariage",
                "acte-de-deces",
            },
        )
        self.assertFalse(by_id["acte-de-naissance"]["account_required"])
        service = by_id["inscription-periscolaire"]
        self.assertEqual(
            service["@id"], f"{self.url}/@services/inscription-periscolaire"
        )
        self.assertEqual(service["title"], "Inscription périscolaire")
        self.assertEqual(service["category"], "Enfance et éducation")
        self.assertEqual(service["concerns"], "child")
        self.assertTrue(service["account_required"])
        self.assertEqual(service["processing_days"], 10)
        self.assertIn("assurance scolaire", service["instructions"])
        self.assertNotIn("members", service)  # anonymous: no household
        self.assertEqual([s["id"] for s in service["steps"]], ["inscription", "sante"])
        first = service["steps"][0]
        self.assertEqual(first["title"], "Inscription")
        self.assertIn("année scolaire", first["help"])
        fields = {f["name"]: f for f in first["fields"]}
        self.assertEqual(list(fields), ["ecole", "classe", "accueils", "date_debut"])
        self.assertEqual(fields["classe"]["type"], "choice")
        self.assertTrue(fields["classe"]["required"])
        self.assertIn("CE1", [c["value"] for c in fields["classe"]["choices"]])
        self.assertEqual(fields["accueils"]["type"], "multichoice")
        self.assertEqual(fields["date_debut"]["type"], "date")
        health = {f["name"]: f for f in service["steps"][1]["fields"]}
        self.assertEqual(health["allergies"]["max_length"], 1000)
        self.assertFalse(health["allergies"]["required"])
        self.assertEqual(health["droit_image"]["type"], "boolean")
        documents = {d["id"]: d for d in service["documents"]}
        self.assertEqual(
            list(documents), [ASSURANCE, VACCINS, "projet-daccueil-individualise-pai"]
        )
        self.assertTrue(documents[ASSURANCE]["required"])
        self.assertTrue(documents[ASSURANCE]["postable"])
        self.assertFalse(documents["projet-daccueil-individualise-pai"]["required"])
        photo = by_id["signalement-voie-publique"]["documents"][0]
        self.assertEqual((photo["required"], photo["postable"]), (False, False))

    def test_one_service_by_id_or_uid(self):
        anonymous = self.session()
        by_id = anonymous.get(f"{self.url}/@services/signalement-voie-publique")
        self.assertEqual(by_id.status_code, 200, by_id.text)
        uid = by_id.json()["UID"]
        by_uid = anonymous.get(f"{self.url}/@services/{uid}")
        self.assertEqual(by_uid.status_code, 200, by_uid.text)
        self.assertEqual(by_uid.json(), by_id.json())
        self.assertEqual(
            [s["id"] for s in by_id.json()["steps"]], ["signalement", "lieu"]
        )
        missing = anonymous.get(f"{self.url}/@services/pas-une-demarche")
        self.assertEqual(missing.status_code, 404)
        self.assertTrue(missing.json()["error"]["message"])
        deeper = anonymous.get(f"{self.url}/@services/signalement-voie-publique/x")
        self.assertEqual(deeper.status_code, 404)

    def test_a_service_withdrawn_from_the_catalogue(self):
        admin = rest_session(self.url)
        admin.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        self.addCleanup(admin.close)
        service_url = f"{self.url}/demarches/rendez-vous-passeport-cni"
        retracted = admin.post(f"{service_url}/@workflow/retract", json={})
        self.assertEqual(retracted.status_code, 200, retracted.text)
        for session in (self.session(AMELIE), admin):
            items = session.get(f"{self.url}/@services").json()["items"]
            self.assertNotIn("rendez-vous-passeport-cni", [i["id"] for i in items])
        missing = self.session(AMELIE).get(
            f"{self.url}/@services/rendez-vous-passeport-cni"
        )
        self.assertEqual(missing.status_code, 404)
        body = {"service": "rendez-vous-passeport-cni", "answers": {}}
        self.assertEqual(self.file(body).status_code, 404)
        # editors still read it (to check it before publishing it again)
        draft = admin.get(f"{self.url}/@services/rendez-vous-passeport-cni")
        self.assertEqual(draft.status_code, 200, draft.text)

    def test_a_citizen_sees_the_members_each_service_may_concern(self):
        items = self.session(AMELIE).get(f"{self.url}/@services").json()["items"]
        members = {item["id"]: [m["name"] for m in item["members"]] for item in items}
        self.assertEqual(members["inscription-periscolaire"], ["Léo Lire"])
        self.assertEqual(
            sorted(members["rendez-vous-passeport-cni"]), ["Amélie Lire", "Marc Lire"]
        )
        self.assertEqual(members["signalement-voie-publique"], [])
        one = (
            self.session(AMELIE)
            .get(f"{self.url}/@services/inscription-periscolaire")
            .json()
        )
        self.assertEqual(one["members"], [{"id": self.child_id, "name": "Léo Lire"}])


class TestFiling(RequestsAPITestCase):
    def test_file_a_request_then_list_and_read_it(self):
        response = self.file(self.periscolaire())
        self.assertEqual(response.status_code, 201, response.text)
        data = response.json()
        self.assertRegex(data["number"], NUMBER)
        self.assertEqual(response.headers["Location"], data["@id"])
        self.assertEqual(data["review_state"], "submitted")
        self.assertEqual(data["status"], french(processing.state_title("submitted")))
        self.assertEqual(data["service"]["title"], "Inscription périscolaire")
        self.assertEqual(data["member"], {"id": self.child_id, "name": "Léo Lire"})
        self.assertFalse(data["by_post"])
        self.assertTrue(data["submitted"])
        # listed for her household
        listing = self.listing()
        self.assertEqual(listing["items_total"], 1)
        self.assertEqual(listing["items"][0], {**data, "unread_messages": 0})
        self.assertEqual(self.listing(review_state="submitted")["items_total"], 1)
        self.assertEqual(self.listing(review_state="incomplete")["items_total"], 0)
        wrong = self.session(AMELIE).get(
            f"{self.url}/@requests", params={"review_state": "nonsense"}
        )
        self.assertEqual(wrong.status_code, 400)
        self.assertTrue(wrong.json()["error"]["message"])
        # the service link leads to the service
        service = self.session(AMELIE).get(data["service"]["@id"])
        self.assertEqual(service.json()["id"], "inscription-periscolaire")
        # the standard GET of the request, for its citizen
        content = self.session(AMELIE).get(data["@id"])
        self.assertEqual(content.status_code, 200, content.text)
        content = content.json()
        self.assertEqual(content["number"], data["number"])
        self.assertEqual(content["member_name"], "Léo Lire")
        stored = {a["name"]: a for a in content["answers"]}
        self.assertEqual(stored["date_debut"]["display"], "01/09/2027")
        self.assertEqual(
            stored["accueils"]["value"], ["Accueil du soir", "Restauration scolaire"]
        )
        # the documents
        attachments = self.session(AMELIE).get(data["attachments"]["@id"]).json()
        self.assertEqual(attachments["items_total"], 2)
        self.assertTrue(attachments["can_add"])  # until it is complete
        first, second = attachments["items"]
        self.assertEqual(
            (first["filename"], first["content_type"], first["document"]),
            ("assurance.pdf", "application/pdf", ASSURANCE),
        )
        self.assertEqual(
            (second["filename"], second["content_type"]), ("vaccins.png", "image/png")
        )
        self.assertEqual(first["size"], len(pdf()))
        download = self.session(AMELIE).get(first["@id"])
        self.assertEqual(download.status_code, 200, download.text)
        self.assertEqual(download.content, pdf())
        self.assertEqual(download.headers["Content-Type"], "application/pdf")
        self.assertEqual(
            download.headers["Content-Disposition"],
            content_disposition("assurance.pdf"),
        )
        self.assertEqual(download.headers["X-Content-Type-Options"], "nosniff")
        unknown = self.session(AMELIE).get(f"{data['attachments']['@id']}/0000")
        self.assertEqual(unknown.status_code, 404)
        # the confirmation email, with the number
        mails = [
            m
            for m in self.layer["mailsink"].messages()
            if m["To"] == "amelie.lire@example.org"
        ]
        self.assertEqual(len(mails), 1)
        self.assertIn(data["number"], mails[0]["Subject"])

    def test_numbers_follow_each_other(self):
        first = self.file_ok()
        second = self.file_ok(self.periscolaire(documents=[], by_post=True))
        year, sequence = first["number"].split("-")
        self.assertEqual(second["number"], f"{year}-{int(sequence) + 1:06d}")
        self.assertTrue(second["by_post"])
        # (both listed; their order is that of the catalog's "created" index,
        # to the minute)
        self.assertEqual(
            {i["number"] for i in self.listing()["items"]},
            {second["number"], first["number"]},
        )

    def test_documents_as_data_urls(self):
        body = self.periscolaire(
            documents=[
                {
                    "document": ASSURANCE,
                    "filename": "a.pdf",
                    "data": "data:application/pdf;base64," + b64(pdf()),
                },
                {"document": VACCINS, "filename": "v.pdf", "data": b64(pdf())},
            ]
        )
        self.file_ok(body)

    def test_a_pending_account_files_a_report(self):
        data = self.file_ok(
            {"service": "signalement-voie-publique", "answers": SIGNALEMENT_ANSWERS},
            account=JEROME,
        )
        self.assertRegex(data["number"], NUMBER)
        self.assertIsNone(data["member"])
        self.assertEqual(self.listing(JEROME)["items_total"], 1)
        self.assertEqual(self.listing(AMELIE)["items_total"], 0)

    def test_anonymous_gets_401(self):
        anonymous = self.session()
        self.assertEqual(self.file(self.periscolaire(), account=None).status_code, 401)
        self.assertEqual(anonymous.get(f"{self.url}/@requests").status_code, 401)

    def test_staff_without_household(self):
        self.assertEqual(self.listing(AGENT)["items"], [])
        response = self.file(
            {"service": "signalement-voie-publique", "answers": SIGNALEMENT_ANSWERS},
            account=AGENT,
        )
        self.assert_invalid(response, "service")

    def test_processing_round_trip(self):
        data = self.file_ok()
        agent = self.session(AGENT)
        # the agent of the service's group sees it and asks for documents
        self.assertEqual(agent.get(data["@id"]).status_code, 200)
        refused = agent.post(f"{data['@id']}/@workflow/ask_documents", json={})
        self.assertEqual(refused.status_code, 400, refused.text)
        self.assertEqual(
            refused.json()["error"]["message"],
            french(processing.MESSAGE_REQUIRED["ask_documents"]),
        )
        asked = agent.post(
            f"{data['@id']}/@workflow/ask_documents",
            json={"comment": "Il manque la page 2 du carnet."},
        )
        self.assertEqual(asked.status_code, 200, asked.text)
        self.assertEqual(asked.json()["review_state"], "incomplete")
        # the citizen sees the status, adds the page and completes the request
        item = self.listing(review_state="incomplete")["items"][0]
        self.assertEqual(item["status"], french(processing.state_title("incomplete")))
        amelie = self.session(AMELIE)
        attachments = f"{data['@id']}/@attachments"
        self.assertTrue(amelie.get(attachments).json()["can_add"])
        added = amelie.post(
            attachments,
            json={"documents": [upload(VACCINS, "page 2.jpg", image("JPEG"))]},
        )
        self.assertEqual(added.status_code, 201, added.text)
        self.assertEqual(added.json()["items_total"], 3)
        self.assertEqual(added.json()["items"][2]["filename"], "page-2.jpg")
        resubmitted = amelie.post(f"{data['@id']}/@workflow/resubmit", json={})
        self.assertEqual(resubmitted.status_code, 200, resubmitted.text)
        self.assertEqual(self.listing()["items"][0]["review_state"], "submitted")
        # once complete, closed to new documents
        completed = agent.post(f"{data['@id']}/@workflow/mark_complete", json={})
        self.assertEqual(completed.status_code, 200, completed.text)
        self.assertFalse(amelie.get(attachments).json()["can_add"])
        late = amelie.post(
            attachments, json={"documents": [upload(VACCINS, "page3.pdf", pdf())]}
        )
        self.assert_invalid(late, "documents")
        self.assertEqual(amelie.get(attachments).json()["items_total"], 3)
        # an email at each step, with the number: received, incomplete (with
        # the agent's message), in progress again, complete
        mails = [
            m
            for m in self.layer["mailsink"].messages()
            if m["To"] == "amelie.lire@example.org"
        ]
        self.assertEqual(len(mails), 4, [m["Subject"] for m in mails])
        for mail in mails:
            self.assertIn(data["number"], mail["Subject"])
        self.assertIn(french(processing.state_title("incomplete")), mails[1]["Subject"])
        self.assertIn(
            "Il manque la page 2 du carnet.",
            mails[1].get_body(("plain",)).get_content(),
        )


class TestBadInput(RequestsAPITestCase):
    """Every refusal: 400, French messages keyed by field, nothing stored."""

    def assert_nothing_stored(self):
        self.assertEqual(self.listing()["items_total"], 0)

    def refused_document(self, filename, data):
        body = self.periscolaire(
            documents=[
                upload(ASSURANCE, filename, data),
                upload(VACCINS, "v.pdf", pdf()),
            ]
        )
        messages = self.assert_invalid(self.file(body), f"document-{ASSURANCE}")
        self.assert_nothing_stored()
        return messages[f"document-{ASSURANCE}"]

    def test_png_renamed_pdf_is_stored_as_png(self):
        body = self.periscolaire(
            documents=[
                upload(ASSURANCE, "scan.pdf", image("PNG")),
                upload(VACCINS, "v.pdf", pdf()),
            ]
        )
        data = self.file_ok(body)
        items = self.session(AMELIE).get(data["attachments"]["@id"]).json()["items"]
        self.assertEqual(
            (items[0]["filename"], items[0]["content_type"]), ("scan.png", "image/png")
        )

    def test_html_named_pdf(self):
        self.assertIn("page.pdf", self.refused_document("page.pdf", HTML))

    def test_svg(self):
        self.assertIn("dessin.svg", self.refused_document("dessin.svg", SVG))

    def test_empty_file(self):
        self.assertIn("vide.pdf", self.refused_document("vide.pdf", b""))

    def test_file_of_11_mb(self):
        message = self.refused_document("gros.pdf", pdf_of_size(11 * 1024 * 1024))
        self.assertIn("10", message)

    def test_invalid_base64(self):
        body = self.periscolaire(
            documents=[
                {"document": ASSURANCE, "filename": "a.pdf", "data": "pas du base64 !"},
                upload(VACCINS, "v.pdf", pdf()),
            ]
        )
        self.assert_invalid(self.file(body), f"document-{ASSURANCE}")
        body["documents"] = [{"document": ASSURANCE, "filename": "a.pdf", "data": 12}]
        self.assert_invalid(self.file(body), f"document-{ASSURANCE}")
        body["documents"] = [{"filename": "a.pdf", "data": "%%%"}]
        self.assert_invalid(self.file(body), "documents")
        body["documents"] = "assurance.pdf"
        self.assert_invalid(self.file(body), "documents")
        self.assert_nothing_stored()

    def test_missing_required_answer(self):
        answers_sent = dict(PERISCOLAIRE_ANSWERS)
        del answers_sent["classe"]
        messages = self.assert_invalid(
            self.file(self.periscolaire(answers=answers_sent)), "classe"
        )
        self.assertEqual(messages["classe"], french(answers.REQUIRED))
        self.assert_nothing_stored()

    def test_answer_to_an_unknown_question(self):
        messages = self.assert_invalid(
            self.file(
                self.periscolaire(answers=dict(PERISCOLAIRE_ANSWERS, pirate="x"))
            ),
            "pirate",
        )
        self.assertIn("pirate", messages["pirate"])
        self.assert_nothing_stored()

    def test_every_error_at_once(self):
        body = self.periscolaire(
            member="personne",
            documents=[],
            answers=dict(PERISCOLAIRE_ANSWERS, classe="Terminale"),
        )
        self.assert_invalid(
            self.file(body),
            "member",
            "classe",
            f"document-{ASSURANCE}",
            f"document-{VACCINS}",
        )
        self.assert_nothing_stored()

    def test_malformed_body(self):
        self.assert_invalid(self.file(self.periscolaire(answers=["CE1"])), "answers")
        self.assert_invalid(self.file(self.periscolaire(by_post="oui")), "by_post")
        self.assert_invalid(self.file({"answers": {}}), "service")
        not_json = self.session(AMELIE).post(f"{self.url}/@requests", data="{nope")
        self.assertEqual(not_json.status_code, 400, not_json.text)
        self.assertTrue(not_json.json()["error"]["message"])
        self.assert_nothing_stored()

    def test_unknown_service(self):
        response = self.file(self.periscolaire(service="pas-une-demarche"))
        self.assertEqual(response.status_code, 404, response.text)
        self.assertTrue(response.json()["error"]["message"])
        self.assert_nothing_stored()

    def test_refused_documents_added_later(self):
        data = self.file_ok()
        agent = self.session(AGENT)
        asked = agent.post(
            f"{data['@id']}/@workflow/ask_documents", json={"comment": "Page 2"}
        )
        self.assertEqual(asked.status_code, 200, asked.text)
        attachments = f"{data['@id']}/@attachments"
        amelie = self.session(AMELIE)
        for documents in (
            [upload(VACCINS, "page.pdf", HTML)],
            [upload(VACCINS, "ok.pdf", pdf()), upload(VACCINS, "vide.pdf", b"")],
            [{"document": VACCINS, "filename": "x.pdf", "data": "@@"}],
            [upload("pas-un-document", "x.pdf", pdf())],
        ):
            response = amelie.post(attachments, json={"documents": documents})
            self.assertEqual(response.status_code, 400, response.text)
            self.assertTrue(response.json()["error"]["errors"][0]["message"])
        self.assert_invalid(amelie.post(attachments, json={}), "documents")
        self.assertEqual(amelie.get(attachments).json()["items_total"], 2)

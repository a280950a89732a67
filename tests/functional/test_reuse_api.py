"""« Dites-le-nous une fois » over HTTP (#17): ``<service>/@prefill`` and
its mapping, ``/@locker`` and the locker's documents in ``POST /@requests``.
Another household, the agents and anonymous visitors get nothing of a
household's locker or prefilled answers (REST, downloads, pages, search)."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import EDITOR
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import upload
from illkirch.eservices.testing.reuse import AMELIE_PREFILL
from illkirch.eservices.testing.reuse import LEO_PREFILL
from illkirch.eservices.testing.reuse import MAPPING
from illkirch.eservices.testing.reuse import PROOF
from illkirch.eservices.testing.reuse import SERVICE_ID
from illkirch.eservices.testing.reuse import answers
from illkirch.eservices.testing.reuse import create_service
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session

import unittest


PROOF_BYTES = pdf(padding=321)


class TestReuseApi(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        self.url = portal.absolute_url()
        create_service(portal, MAPPING, commit=True)
        self.service_url = f"{self.url}/demarches/{SERVICE_ID}"
        self.leo = next(
            p.getId()
            for p in household_of("amelie.lire").persons()
            if p.member_type == "child"
        )
        self.amelie = self.session(AMELIE)
        self.first = self.file(
            [upload(PROOF, "facture-edf.pdf", PROOF_BYTES)], expect=201
        )
        items = self.amelie.get(f"{self.url}/@locker").json()["items"]
        self.assertEqual(len(items), 1)
        self.entry = items[0]

    def session(self, account=None):
        session = rest_session(self.url, *(account or ()))
        self.addCleanup(session.close)
        return session

    def file(self, documents, session=None, expect=201):
        response = (session or self.amelie).post(
            f"{self.url}/@requests",
            json={
                "service": SERVICE_ID,
                "member": self.leo,
                "answers": answers(),
                "documents": documents,
            },
        )
        self.assertEqual(response.status_code, expect, response.text)
        return response.json()

    # @prefill -------------------------------------------------------------

    def test_prefill_for_the_citizen(self):
        response = self.amelie.get(f"{self.service_url}/@prefill")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["answers"], AMELIE_PREFILL)
        response = self.amelie.get(
            f"{self.service_url}/@prefill", params={"member": self.leo}
        )
        self.assertEqual(response.json()["answers"], AMELIE_PREFILL | LEO_PREFILL)
        response = self.amelie.get(
            f"{self.service_url}/@prefill", params={"member": "inconnu"}
        )
        self.assertEqual(response.status_code, 404)

    def test_prefill_isolation(self):
        response = self.session().get(f"{self.service_url}/@prefill")
        self.assertEqual(response.status_code, 401)
        self.assertNotIn("Amélie", response.text)
        for account in (AGENT, EDITOR):
            response = self.session(account).get(f"{self.service_url}/@prefill")
            self.assertEqual(response.status_code, 200, account)
            self.assertEqual(response.json()["answers"], {}, account)
        jerome = self.session(JEROME).get(f"{self.service_url}/@prefill").json()
        self.assertEqual(jerome["answers"]["nom"], "Attente")
        self.assertNotIn("Lire", str(jerome))
        # another household's member is unknown
        response = self.session(JEROME).get(
            f"{self.service_url}/@prefill", params={"member": self.leo}
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Léo", response.text)

    def test_mapping_for_the_editors(self):
        editor = self.session(EDITOR)
        data = editor.get(f"{self.service_url}/@prefill/mapping").json()
        self.assertEqual(data["mapping"], MAPPING)
        questions = {q["name"]: q for q in data["questions"]}
        self.assertEqual(questions["naissance"]["type"], "date")
        self.assertEqual(
            questions["naissance"]["sources"],
            ["holder_birth_date", "member_birth_date"],
        )
        self.assertNotIn("sejour", questions)  # a choice
        response = editor.patch(
            f"{self.service_url}/@prefill/mapping",
            json={"mapping": {"naissance": "city", "nom": ""}},
        )
        self.assertEqual(response.status_code, 400, response.text)
        self.assertEqual(
            response.json()["error"]["errors"],
            [
                {
                    "field": "naissance",
                    "message": "Une question de type date ne peut être "
                    "préremplie que par une date (de naissance).",
                }
            ],
        )
        response = editor.patch(
            f"{self.service_url}/@prefill/mapping",
            json={"mapping": {"nom": "", "telephone": "phone"}},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertNotIn("nom", response.json()["mapping"])
        answers = self.amelie.get(f"{self.service_url}/@prefill").json()["answers"]
        self.assertNotIn("nom", answers)
        self.assertEqual(answers["telephone"], "06 12 34 56 78")  # the holder's
        response = editor.patch(
            f"{self.service_url}/@prefill/mapping",
            data="nom=x",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        self.assertEqual(response.status_code, 415)

    def test_mapping_refused_to_others(self):
        for account, status in ((None, 401), (AMELIE, 403), (AGENT, 403)):
            session = self.session(account)
            response = session.get(f"{self.service_url}/@prefill/mapping")
            self.assertEqual(response.status_code, status, account)
            self.assertNotIn("holder_", response.text)
            response = session.patch(
                f"{self.service_url}/@prefill/mapping",
                json={"mapping": {"nom": ""}},
            )
            self.assertEqual(response.status_code, status, account)
        mapping = self.session(EDITOR).get(f"{self.service_url}/@prefill/mapping")
        self.assertEqual(mapping.json()["mapping"], MAPPING)

    # @locker --------------------------------------------------------------

    def test_locker_list_and_download(self):
        entry = self.entry
        self.assertEqual(entry["@id"], f"{self.url}/@locker/{entry['id']}")
        self.assertEqual(entry["type"], "justificatif-domicile")
        self.assertEqual(entry["filename"], "facture-edf.pdf")
        self.assertEqual(entry["request_number"], self.first["number"])
        self.assertTrue(entry["valid_until"] > entry["given"])
        response = self.amelie.get(entry["@id"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PROOF_BYTES)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        # the same through the page's link, with the login cookie
        browser = cookie_session(self.url, *AMELIE)
        self.addCleanup(browser.close)
        page = browser.get(f"{self.url}/@@mes-documents-fichier/{entry['id']}")
        self.assertEqual(page.content, PROOF_BYTES)

    def test_catalogue_gives_the_document_types(self):
        service = self.amelie.get(f"{self.url}/@services/{SERVICE_ID}").json()
        documents = {d["id"]: d["reusable_type"] for d in service["documents"]}
        self.assertEqual(documents, {PROOF: "justificatif-domicile", "photo": None})

    def test_reuse_in_post_requests(self):
        second = self.file([{"document": PROOF, "locker": self.entry["id"]}])
        attachments = self.amelie.get(f"{second['@id']}/@attachments").json()
        [attachment] = attachments["items"]
        self.assertEqual(attachment["filename"], "facture-edf.pdf")
        self.assertEqual(attachment["document"], PROOF)
        self.assertEqual(self.amelie.get(attachment["@id"]).content, PROOF_BYTES)
        response = self.amelie.post(
            f"{self.url}/@requests",
            json={
                "service": SERVICE_ID,
                "member": self.leo,
                "answers": answers(),
                "documents": [{"document": PROOF, "locker": "0123456789abcdef"}],
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["error"]["errors"][0]["field"], f"document-{PROOF}"
        )
        self.assertIn("plus dans vos documents", response.text)

    def test_delete_keeps_the_request_document(self):
        response = self.amelie.delete(self.entry["@id"], json={})
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(self.amelie.get(f"{self.url}/@locker").json()["items"], [])
        self.assertEqual(self.amelie.get(self.entry["@id"]).status_code, 404)
        self.assertEqual(
            self.amelie.delete(self.entry["@id"], json={}).status_code, 404
        )
        attachments = self.amelie.get(f"{self.first['@id']}/@attachments").json()
        download = self.amelie.get(attachments["items"][0]["@id"])
        self.assertEqual(download.content, PROOF_BYTES)

    def assert_nothing(self, response, what):
        self.assertIn(response.status_code, (401, 403, 404), what)
        self.assertNotIn("facture-edf", response.text, what)
        self.assertNotIn(b"%PDF", response.content, what)

    def test_locker_isolation(self):
        entry_url = self.entry["@id"]
        others = {
            "anonymous": self.session(),
            "another household": self.session(JEROME),
            "agent of the group": self.session(AGENT),
            "agent of another group": self.session(VOIRIE),
            "editor": self.session(EDITOR),
        }
        for who, session in others.items():
            listing = session.get(f"{self.url}/@locker")
            if listing.status_code == 200:  # another household: its own, empty
                self.assertEqual(listing.json()["items"], [], who)
            else:
                self.assert_nothing(listing, who)
            self.assert_nothing(session.get(entry_url), who)
            self.assert_nothing(session.delete(entry_url, json={}), who)
            self.assert_nothing(
                session.get(f"{self.url}/@@mes-documents-fichier/{self.entry['id']}"),
                f"{who}: page download",
            )
            response = session.get(
                f"{self.url}/@search", params={"SearchableText": "facture-edf"}
            )
            if response.status_code == 200:
                self.assertEqual(response.json()["items_total"], 0, who)
        # Jérôme's request cannot take Amélie's document
        response = others["another household"].post(
            f"{self.url}/@requests",
            json={
                "service": SERVICE_ID,
                "answers": answers(),
                "documents": [{"document": PROOF, "locker": self.entry["id"]}],
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("facture-edf", response.text)
        # still there for Amélie
        self.assertEqual(self.amelie.get(entry_url).content, PROOF_BYTES)

    def test_locker_pages_isolation(self):
        jerome = cookie_session(self.url, *JEROME)
        self.addCleanup(jerome.close)
        page = jerome.get(f"{self.url}/@@mon-espace-documents")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("facture-edf", page.text)
        page = jerome.get(
            f"{self.url}/@@mes-documents-supprimer", params={"id": self.entry["id"]}
        )
        self.assertEqual(page.status_code, 404)
        anonymous = self.session()
        page = anonymous.get(
            f"{self.url}/@@mon-espace-documents", headers={"Accept": "text/html"}
        )
        self.assertNotIn("facture-edf", page.text)

    def test_prefill_page_for_the_editors_only(self):
        for account in (AMELIE, AGENT):
            browser = cookie_session(self.url, *account)
            self.addCleanup(browser.close)
            page = browser.get(
                f"{self.service_url}/@@preremplissage", allow_redirects=False
            )
            self.assertIn(page.status_code, (302, 401, 403), account)
            self.assertNotIn("Titulaire du compte", page.text)
        editor = cookie_session(self.url, *EDITOR)
        self.addCleanup(editor.close)
        page = editor.get(f"{self.service_url}/@@preremplissage")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Titulaire du compte : nom", page.text)
        # a POST without the form's token changes nothing
        editor.post(f"{self.service_url}/@@preremplissage", data={"source.nom": "city"})
        mapping = self.session(EDITOR).get(f"{self.service_url}/@prefill/mapping")
        self.assertEqual(mapping.json()["mapping"], MAPPING)

    def test_nothing_in_search_for_the_citizen_either(self):
        response = self.amelie.get(
            f"{self.url}/@search", params={"SearchableText": "facture-edf"}
        )
        self.assertEqual(response.json()["items_total"], 0)

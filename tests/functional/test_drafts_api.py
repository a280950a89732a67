"""``/@drafts`` over HTTP: a citizen's drafts of requests (start, change,
read, list, delete, submit with the checks of ``POST /@requests``), and
their isolation: another household, an agent (even of the service's
group), a site administrator without household and anonymous visitors get
nothing of them over every route, page or ``@search``."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.drafts import HALF_ANSWERS
from illkirch.eservices.testing.drafts import PERISCOLAIRE
from illkirch.eservices.testing.drafts import REST_OF_ANSWERS
from illkirch.eservices.testing.drafts import SECRET_WORD
from illkirch.eservices.testing.drafts import child_id
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import upload
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import re
import unittest


REFUSED = (401, 403, 404)
TOKEN = re.compile(r'name="_authenticator" value="([0-9a-f]+)"')


class DraftsApiTestCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.child = child_id(household_of("amelie.lire"))
        self.amelie = self.session(AMELIE)

    def session(self, account=None):
        session = rest_session(self.url, *(account or ()))
        self.addCleanup(session.close)
        return session

    def start(self, **extra):
        body = {
            "service": PERISCOLAIRE,
            "answers": dict(HALF_ANSWERS, allergies=SECRET_WORD),
            "member": self.child,
            "step": "inscription",
            "documents": [
                upload("attestation-dassurance-scolaire", "assurance.pdf", pdf())
            ],
        }
        body.update(extra)
        response = self.amelie.post(f"{self.url}/@drafts", json=body)
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()


class TestDraftsApi(DraftsApiTestCase):
    def test_start_change_read_list_delete(self):
        draft = self.start()
        self.assertEqual(draft["@id"], f"{self.url}/@drafts/{draft['id']}")
        self.assertEqual(draft["answers"]["classe"], "CE1")
        self.assertEqual(draft["step"], "inscription")
        self.assertEqual(draft["service"]["title"], "Inscription périscolaire")
        self.assertNotIn("number", draft)
        (document,) = draft["documents"]
        self.assertEqual(document["filename"], "assurance.pdf")
        self.assertTrue(draft["resume"].endswith(f"/@@deposer?brouillon={draft['id']}"))
        response = self.amelie.patch(
            draft["@id"], json={"answers": {"classe": "CM1"}, "step": "sante"}
        )
        self.assertEqual(response.status_code, 200, response.text)
        changed = response.json()
        self.assertEqual(changed["answers"]["classe"], "CM1")
        self.assertEqual(changed["answers"]["ecole"], HALF_ANSWERS["ecole"])
        self.assertEqual(self.amelie.get(draft["@id"]).json()["step"], "sante")
        listing = self.amelie.get(f"{self.url}/@drafts").json()
        self.assertEqual([d["id"] for d in listing["items"]], [draft["id"]])
        removed = self.amelie.delete(f"{draft['@id']}/documents/{document['id']}")
        self.assertEqual(removed.json()["documents"], [])
        response = self.amelie.delete(draft["@id"])
        self.assertEqual(response.status_code, 204)
        self.assertEqual(self.amelie.get(draft["@id"]).status_code, 404)
        self.assertEqual(self.amelie.get(f"{self.url}/@drafts").json()["items"], [])

    def test_refusals_in_french_nothing_stored(self):
        response = self.amelie.post(
            f"{self.url}/@drafts",
            json={"service": PERISCOLAIRE, "answers": {"inconnue": 1}},
        )
        self.assertEqual(response.status_code, 400)
        (error,) = response.json()["error"]["errors"]
        self.assertEqual(error["field"], "inconnue")
        self.assertIn("question", error["message"])
        response = self.amelie.post(
            f"{self.url}/@drafts",
            json={
                "service": PERISCOLAIRE,
                "documents": [
                    upload("attestation-dassurance-scolaire", "a.pdf", b"MZ not a pdf")
                ],
            },
        )
        self.assertEqual(response.status_code, 400, response.text)
        self.assertEqual(
            response.json()["error"]["errors"][0]["field"],
            "document-attestation-dassurance-scolaire",
        )
        response = self.amelie.post(f"{self.url}/@drafts", json={"service": "nope"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.amelie.get(f"{self.url}/@drafts").json()["items"], [])
        draft = self.start()
        response = self.amelie.patch(
            draft["@id"], json={"answers": {"allergies": "x" * 20_000}}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("trop longue", response.text)
        self.assertEqual(
            self.amelie.get(draft["@id"]).json()["answers"]["allergies"], SECRET_WORD
        )
        response = self.amelie.patch(
            draft["@id"],
            data="answers=1",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        self.assertEqual(response.status_code, 415)

    def test_submit_with_the_checks_of_post_requests(self):
        draft = self.start()
        submit = f"{draft['@id']}/submit"
        response = self.amelie.post(submit, json={})
        self.assertEqual(response.status_code, 400)
        fields = {e["field"]: e["message"] for e in response.json()["error"]["errors"]}
        self.assertEqual(
            set(fields),
            {"date_debut", "document-carnet-de-vaccination"},
        )
        self.assertEqual(fields["date_debut"], "Cette réponse est obligatoire.")
        self.assertEqual(self.amelie.get(draft["@id"]).status_code, 200, "kept")
        self.amelie.patch(draft["@id"], json={"answers": REST_OF_ANSWERS})
        response = self.amelie.post(
            submit,
            json={
                "documents": [
                    upload("carnet-de-vaccination", "vaccins.png", image("PNG"))
                ]
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        filed = response.json()
        # the answer of POST /@requests (its summary), the same keys
        self.assertRegex(filed["number"], r"^\d{4}-\d{6}$")
        self.assertEqual(response.headers["Location"], filed["@id"])
        self.assertEqual(filed["review_state"], "submitted")
        self.assertEqual(filed["status"], "En cours")
        self.assertEqual(filed["service"]["title"], "Inscription périscolaire")
        self.assertEqual(filed["member"], {"id": self.child, "name": "Léo Lire"})
        self.assertFalse(filed["by_post"])
        self.assertTrue(filed["submitted"])
        self.assertEqual(filed["attachments"]["@id"], f"{filed['@id']}/@attachments")
        self.assertEqual(
            set(filed),
            {
                "@id",
                "@type",
                "UID",
                "number",
                "title",
                "review_state",
                "status",
                "service",
                "member",
                "by_post",
                "submitted",
                "attachments",
                "unread_messages",
                "quarantined",
            },
        )
        # as its household's list of requests shows it
        listing = self.amelie.get(f"{self.url}/@requests").json()
        self.assertIn(filed, listing["items"])
        attachments = self.amelie.get(filed["attachments"]["@id"]).json()
        self.assertEqual(
            sorted(a["filename"] for a in attachments["items"]),
            ["assurance.pdf", "vaccins.png"],
        )
        self.assertEqual(self.amelie.get(draft["@id"]).status_code, 404, "deleted")


class TestDraftsIsolation(DraftsApiTestCase):
    def setUp(self):
        super().setUp()
        self.draft = self.start()
        self.admin = rest_session(self.url)
        self.admin.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        self.addCleanup(self.admin.close)

    def routes(self):
        draft_url = self.draft["@id"]
        document = self.draft["documents"][0]["id"]
        return (
            ("GET", draft_url, None),
            ("PATCH", draft_url, {"answers": {"classe": "CM2"}}),
            ("POST", f"{draft_url}/submit", {}),
            ("DELETE", f"{draft_url}/documents/{document}", None),
            ("DELETE", draft_url, None),
        )

    def assert_locked_out(self, session, who):
        for method, url, body in self.routes():
            response = session.request(method, url, json=body)
            self.assertIn(response.status_code, REFUSED, f"{who}: {method} {url}")
            self.assertNotIn(SECRET_WORD, response.text, who)
        listing = session.get(f"{self.url}/@drafts")
        if listing.status_code == 200:
            self.assertEqual(listing.json()["items"], [], who)
        else:
            self.assertIn(listing.status_code, REFUSED, who)
        response = session.get(
            f"{self.url}/@search", params={"SearchableText": SECRET_WORD}
        )
        if response.status_code == 200:
            self.assertEqual(response.json()["items_total"], 0, who)
        # untouched: its owner still reads it as it was
        self.assertEqual(self.amelie.get(self.draft["@id"]).json(), self.draft)

    def assert_pages_locked_out(self, login, who):
        session = cookie_session(self.url, *login) if login else rest_session(self.url)
        self.addCleanup(session.close)
        headers = {"Accept": "text/html"}
        wizard = session.get(
            f"{self.url}/demarches/{PERISCOLAIRE}/@@deposer",
            params={"brouillon": self.draft["id"]},
            headers=headers,
        )
        self.assertNotIn(SECRET_WORD, wizard.text, who)
        self.assertNotIn(self.draft["id"], wizard.text, who)
        for view in ("supprimer-brouillon", "demandes-en-cours-de-saisie"):
            page = session.get(
                f"{self.url}/@@{view}",
                params={"brouillon": self.draft["id"]},
                headers=headers,
            )
            self.assertNotIn("Inscription périscolaire", page.text, f"{who}: {view}")
        deleted = session.post(
            f"{self.url}/@@supprimer-brouillon",
            data={"brouillon": self.draft["id"]},
            headers=headers,
        )
        self.assertIn(deleted.status_code, (*REFUSED, 200), who)
        self.assertEqual(self.amelie.get(self.draft["@id"]).status_code, 200, who)

    def test_another_household(self):
        self.assert_locked_out(self.session(JEROME), "jérôme")
        self.assert_pages_locked_out(JEROME, "jérôme")

    def test_an_agent_of_the_services_group(self):
        self.assert_locked_out(self.session(AGENT), "agent.accueil")
        self.assert_pages_locked_out(AGENT, "agent.accueil")

    def test_an_agent_reading_the_household_sees_no_draft(self):
        household_url = household_of("amelie.lire").absolute_url()
        agent = self.session(AGENT)
        response = agent.get(household_url, params={"expand": "items"})
        self.assertEqual(response.status_code, 200)  # to validate accounts
        self.assertNotIn(SECRET_WORD, response.text)
        self.assertNotIn(self.draft["id"], response.text)

    def test_an_agent_of_another_group(self):
        self.assert_locked_out(self.session(VOIRIE), "agent.voirie")

    def test_anonymous(self):
        anonymous = self.session()
        self.assert_locked_out(anonymous, "anonymous")
        response = anonymous.get(f"{self.url}/@drafts")
        self.assertEqual(response.status_code, 401)
        response = anonymous.post(
            f"{self.url}/@drafts", json={"service": PERISCOLAIRE, "answers": {}}
        )
        self.assertEqual(response.status_code, 401)
        self.assert_pages_locked_out(None, "anonymous")

    def test_a_site_administrator_without_household(self):
        self.assert_locked_out(self.admin, "admin")

    def test_the_owner_sees_the_section_and_the_confirmation(self):
        session = cookie_session(self.url, *AMELIE)
        self.addCleanup(session.close)
        home = session.get(f"{self.url}/@@mon-espace")
        self.assertIn("Demandes en cours de saisie", home.text)
        self.assertIn(f"@@deposer?brouillon={self.draft['id']}", home.text)
        wizard = session.get(
            f"{self.url}/demarches/{PERISCOLAIRE}/@@deposer",
            params={"brouillon": self.draft["id"]},
        )
        self.assertIn(SECRET_WORD, wizard.text)  # the hidden field of step 3
        confirm = session.get(
            f"{self.url}/@@supprimer-brouillon", params={"brouillon": self.draft["id"]}
        )
        self.assertIn("Voulez-vous vraiment supprimer", confirm.text)
        # without the CSRF token: refused, kept
        session.post(
            f"{self.url}/@@supprimer-brouillon", data={"brouillon": self.draft["id"]}
        )
        self.assertEqual(self.amelie.get(self.draft["@id"]).status_code, 200)


class TestWizardWithoutScript(DraftsApiTestCase):
    """The wizard's pages alone (no JavaScript): each step that moves on
    saves the draft; « Enregistrer le brouillon » too; nothing for those
    without household."""

    def wizard(self, session, data=None, files=None):
        url = f"{self.url}/demarches/{PERISCOLAIRE}/@@deposer"
        if data is None:
            return session.get(url)
        token = TOKEN.search(session.get(url).text).group(1)
        return session.post(url, data={"_authenticator": token, **data}, files=files)

    def test_each_step_saves_the_same_draft(self):
        session = cookie_session(self.url, *AMELIE)
        self.addCleanup(session.close)
        page = self.wizard(session, {"step": "membre", "member": self.child})
        self.assertIn("Brouillon enregistré à", page.text)
        (draft,) = self.amelie.get(f"{self.url}/@drafts").json()["items"]
        self.assertEqual((draft["member"], draft["step"]), (self.child, "inscription"))
        self.assertIn(f'value="{draft["id"]}"', page.text)
        answers = {f"a.{k}": v for k, v in HALF_ANSWERS.items()}
        self.wizard(
            session,
            {
                "step": "inscription",
                "draft": draft["id"],
                "member": self.child,
                "a.date_debut": "2027-09-01",
                **answers,
            },
        )
        (draft,) = self.amelie.get(f"{self.url}/@drafts").json()["items"]
        self.assertEqual(draft["step"], "sante")
        self.assertEqual(draft["answers"]["date_debut"], "2027-09-01")
        # « Enregistrer le brouillon » on a step with errors: kept, same step
        page = self.wizard(
            session,
            {
                "step": "sante",
                "draft": draft["id"],
                "member": self.child,
                "action": "draft-save",
                "a.allergies": SECRET_WORD,
                **answers,
            },
        )
        self.assertIn("Étape 3 sur 4", page.text)
        (draft,) = self.amelie.get(f"{self.url}/@drafts").json()["items"]
        self.assertEqual(draft["answers"]["allergies"], SECRET_WORD)
        # the final step's files, kept when the citizen goes back
        self.wizard(
            session,
            {
                "step": "envoi",
                "draft": draft["id"],
                "member": self.child,
                "action": "previous",
                **answers,
            },
            files={"doc.attestation-dassurance-scolaire": ("a.pdf", pdf())},
        )
        (draft,) = self.amelie.get(f"{self.url}/@drafts").json()["items"]
        self.assertEqual([d["filename"] for d in draft["documents"]], ["a.pdf"])

    def test_no_draft_without_household(self):
        for account in (None, AGENT):
            session = (
                cookie_session(self.url, *account)
                if account
                else rest_session(self.url)
            )
            self.addCleanup(session.close)
            page = session.get(
                f"{self.url}/demarches/acte-de-naissance/@@deposer",
                headers={"Accept": "text/html"},
            )
            self.assertEqual(page.status_code, 200)
            self.assertNotIn("draft-autosave", page.text)
            self.assertNotIn("Enregistrer le brouillon", page.text)
        self.assertEqual(self.amelie.get(f"{self.url}/@drafts").json()["items"], [])

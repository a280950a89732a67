"""``<request>/@messages`` over HTTP, and the conversation's page routes:
the citizen and the agents of the group talk, the agents' internal notes
never reach the citizen, the errors are in French; another household, an
agent of another group and anonymous visitors get nothing of it through
REST, the page, the downloads or @search."""

from html import unescape
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.conversation import file_over_rest
from illkirch.eservices.testing.conversation import message_body
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.files import HTML
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session

import re
import unittest


REFUSED = (401, 403, 404)
TOKEN = re.compile(r'name="_authenticator" value="([0-9a-f]+)"')
NOTE = "Vérifier le quotient familial zqxnote"
NOTE_FILE = "note-interne.pdf"
QUESTION = "Bonjour, faut-il le carnet complet ? zqxquestion"
REPLY = "Oui, toutes les pages : https://illkirch.eu/aide zqxreply"


class ConversationApiCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.amelie = self.session(AMELIE)
        self.agent = self.session(AGENT)
        self.request_url = file_over_rest(self.url, self.amelie)
        self.messages_url = f"{self.request_url}/@messages"

    def session(self, account=None):
        session = rest_session(self.url, *(account or ()))
        self.addCleanup(session.close)
        return session

    def post(self, session, body, suffix=""):
        return session.post(f"{self.messages_url}{suffix}", json=body)

    def talk(self):
        """Amélie asks with a file; the agent writes a note and replies."""
        asked = self.post(
            self.amelie, message_body(QUESTION, [("carnet.png", image("PNG"))])
        )
        self.assertEqual(asked.status_code, 201, asked.text)
        note = self.post(
            self.agent, message_body(NOTE, [(NOTE_FILE, pdf())], internal=True)
        )
        self.assertEqual(note.status_code, 201, note.text)
        reply = self.post(self.agent, message_body(REPLY))
        self.assertEqual(reply.status_code, 201, reply.text)
        return asked.json(), note.json(), reply.json()


class TestMessagesApi(ConversationApiCase):
    def test_citizen_and_agent_talk_notes_stay_with_agents(self):
        asked, note, reply = self.talk()
        self.assertEqual(asked["kind"], "message")
        self.assertEqual(asked["author"], "Vous")
        self.assertEqual(asked["text"], QUESTION)
        [file] = asked["attachments"]
        self.assertEqual(file["filename"], "carnet.png")
        self.assertEqual(file["content_type"], "image/png")
        self.assertEqual(note["kind"], "note")
        self.assertTrue(note["internal"])
        self.assertIn(
            '<a href="https://illkirch.eu/aide" rel="noopener noreferrer nofollow">',
            reply["html"],
        )

        # the citizen: her question and the reply, never the note
        response = self.amelie.get(self.messages_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Cache-Control"], "private, no-store")
        data = response.json()
        self.assertEqual([i["id"] for i in data["items"]], [asked["id"], reply["id"]])
        self.assertEqual(
            [i["author"] for i in data["items"]], ["Vous", "Services de la ville"]
        )
        self.assertNotIn("zqxnote", response.text)
        self.assertNotIn(NOTE_FILE, response.text)
        self.assertNotIn("seen_by", response.text)
        self.assertEqual(data["unread"], 1)
        self.assertTrue(data["can_write"])
        self.assertFalse(data["can_write_notes"])
        # the note's file is not hers, by REST nor by the page's route
        note_file = note["attachments"][0]
        self.assertEqual(self.amelie.get(note_file["@id"]).status_code, 404)
        page = cookie_session(self.url, *AMELIE)
        self.addCleanup(page.close)
        download = page.get(
            f"{self.request_url}/@@piece-jointe-message/{note['id']}/{note_file['id']}"
        )
        self.assertEqual(download.status_code, 404)
        self.assertNotIn(b"%PDF", download.content)
        # her file downloads, saved and never rendered
        download = self.amelie.get(file["@id"])
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, image("PNG"))
        self.assertIn("attachment", download.headers["Content-Disposition"])
        self.assertEqual(download.headers["X-Content-Type-Options"], "nosniff")

        # reading
        read = self.post(self.amelie, {}, "/read")
        self.assertEqual(read.status_code, 200, read.text)
        self.assertEqual(read.json(), {"unread": 0, "marked": 1})
        self.assertEqual(self.amelie.get(self.messages_url).json()["unread"], 0)

        # the agent: everything, the note marked, who saw what
        data = self.agent.get(self.messages_url).json()
        self.assertEqual(
            [(i["kind"], i["internal"]) for i in data["items"]],
            [("message", False), ("note", True), ("message", False)],
        )
        self.assertEqual(data["items"][0]["author"], "Amélie Lire")
        self.assertEqual(data["items"][2]["seen_by"], ["Amélie Lire"])
        self.assertTrue(data["can_write_notes"])
        note_download = self.agent.get(note_file["@id"])
        self.assertEqual(note_download.status_code, 200)
        self.assertEqual(note_download.content, pdf())

    def test_status_messages_in_the_thread(self):
        asked = self.agent.post(
            f"{self.request_url}/@workflow/ask_documents",
            json={"comment": "Merci de joindre le justificatif."},
        )
        self.assertEqual(asked.status_code, 200, asked.text)
        [item] = self.amelie.get(self.messages_url).json()["items"]
        self.assertEqual(item["kind"], "status")
        self.assertEqual(item["status"], "Incomplète")
        self.assertEqual(item["text"], "Merci de joindre le justificatif.")
        self.assertEqual(item["author"], "Services de la ville")
        self.assertEqual(item["attachments"], [])

    def test_french_field_errors_nothing_stored(self):
        cases = (
            ({"text": "  "}, "text", "Écrivez votre message."),
            ({}, "text", "Écrivez votre message."),
            ({"text": 12}, "text", "Écrivez votre message."),
            ({"text": "x" * 5001}, "text", "Votre message est trop long"),
            (
                {"text": "Voici", "documents": [{"filename": "a.pdf", "data": "@@"}]},
                "documents",
                "n'a pas pu être lu",
            ),
            (message_body("Voici", [("page.pdf", HTML)]), "documents", ""),
            ({"text": "Voici", "documents": "a.pdf"}, "documents", "base64"),
            ({"text": "Voici", "internal": "oui"}, "internal", "true ou false"),
            (
                message_body("Note", internal=True),
                "internal",
                "Seuls les agents de la ville peuvent écrire des notes internes.",
            ),
        )
        for body, field, text in cases:
            response = self.post(self.amelie, body)
            self.assertEqual(response.status_code, 400, (body, response.text))
            error = response.json()["error"]
            self.assertEqual(error["type"], "ValidationError")
            messages = {e["field"]: e["message"] for e in error["errors"]}
            self.assertIn(field, messages, body)
            self.assertIn(text, messages[field])
        self.assertEqual(self.amelie.get(self.messages_url).json()["items"], [])
        self.assertEqual(self.agent.get(self.messages_url).json()["items"], [])

    def test_not_json_is_refused(self):
        response = self.amelie.post(
            self.messages_url,
            data="text=Bonjour",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        self.assertEqual(response.status_code, 415)

    def test_closed_request_citizen_can_no_longer_write(self):
        for transition, comment in (("mark_complete", ""), ("reject", "Hors délai.")):
            response = self.agent.post(
                f"{self.request_url}/@workflow/{transition}", json={"comment": comment}
            )
            self.assertEqual(response.status_code, 200, response.text)
        refused = self.post(self.amelie, message_body("Pourquoi ?"))
        self.assertEqual(refused.status_code, 403, refused.text)
        self.assertIn("Cette demande est terminée", refused.json()["error"]["message"])
        data = self.amelie.get(self.messages_url).json()
        self.assertFalse(data["can_write"])
        self.assertEqual([i["kind"] for i in data["items"]], ["status"])
        # the page: the explanation, no form
        page = cookie_session(self.url, *AMELIE)
        self.addCleanup(page.close)
        html = page.get(self.request_url).text
        self.assertIn("Cette demande est terminée", html)
        self.assertNotIn('id="conversation-form"', html)
        self.assertIn("Hors délai.", html)
        written = self.post(
            self.agent, message_body("Vous pouvez refaire une demande.")
        )
        self.assertEqual(written.status_code, 201, written.text)

    def test_page_form_needs_the_token(self):
        page = cookie_session(self.url, *AMELIE)
        self.addCleanup(page.close)
        html = page.get(self.request_url).text
        self.assertIn('id="conversation-form"', html)
        self.assertNotIn('id="conversation-internal"', html)
        action = f"{self.request_url}/@@ecrire-message"
        forged = page.post(action, data={"text": "Sans jeton"})
        self.assertNotEqual(forged.status_code, 200, forged.text[:200])
        token = TOKEN.search(html).group(1)
        posted = page.post(
            action,
            data={"text": "Avec jeton", "_authenticator": token},
            files={"files": ("photo.png", image("PNG"), "image/png")},
        )
        self.assertEqual(posted.status_code, 200)
        self.assertIn("Votre message est envoyé.", posted.text)
        texts = [i["text"] for i in self.amelie.get(self.messages_url).json()["items"]]
        self.assertEqual(texts, ["Avec jeton"])
        # a citizen's "internal" is refused, nothing stored
        refused = page.post(
            action, data={"text": "Interne ?", "internal": "1", "_authenticator": token}
        )
        self.assertIn("Seuls les agents", refused.text)
        texts = [i["text"] for i in self.amelie.get(self.messages_url).json()["items"]]
        self.assertEqual(texts, ["Avec jeton"])

    def test_page_refused_message_keeps_the_typed_text(self):
        """Without JavaScript, a refused message shows the page again (200)
        with the error next to its field, in the error summary, and the text
        as typed in the textarea; nothing is stored."""
        page = cookie_session(self.url, *AMELIE)
        self.addCleanup(page.close)
        token = TOKEN.search(page.get(self.request_url).text).group(1)
        action = f"{self.request_url}/@@ecrire-message"
        typed = "Bonjour <b>& zqxlong</b>\n" + "x" * 5000
        too_long = page.post(
            action, data={"text": typed, "_authenticator": token}, allow_redirects=False
        )
        self.assertEqual(too_long.status_code, 200, too_long.text[:300])
        html = too_long.text
        self.assertIn("<title>Erreur : ", html)
        self.assertIn('id="error-summary"', html)
        self.assertIn('href="#conversation-text"', html)
        error = re.search(r'id="conversation-text-error">([^<]*)<', html)
        self.assertIn("Votre message est trop long", error.group(1))
        textarea = re.search(
            r'<textarea id="conversation-text"[^>]*>([^<]*)</textarea>', html
        )
        self.assertIn('aria-invalid="true"', textarea.group(0))
        self.assertIn("conversation-text-error", textarea.group(0))
        self.assertEqual(unescape(textarea.group(1)), typed)
        # a file that is no PDF: the file's error, the text kept
        bad_file = page.post(
            action,
            data={"text": "Voici la page zqxfile", "_authenticator": token},
            files={"files": ("page.pdf", HTML, "application/pdf")},
            allow_redirects=False,
        )
        self.assertEqual(bad_file.status_code, 200, bad_file.text[:300])
        html = bad_file.text
        self.assertIn('id="conversation-files-error"', html)
        self.assertIn('href="#conversation-files"', html)
        self.assertNotIn('id="conversation-text-error"', html)
        self.assertIn(">Voici la page zqxfile</textarea>", html)
        for session in (self.amelie, self.agent):
            self.assertEqual(session.get(self.messages_url).json()["items"], [])
        # sent again, right: stored, back to the page
        sent = page.post(
            action,
            data={"text": "Voici la page zqxfile", "_authenticator": token},
            allow_redirects=False,
        )
        self.assertEqual(sent.status_code, 302)
        texts = [i["text"] for i in self.amelie.get(self.messages_url).json()["items"]]
        self.assertEqual(texts, ["Voici la page zqxfile"])

    def test_pages_show_the_note_to_agents_only(self):
        self.talk()
        citizen = cookie_session(self.url, *AMELIE)
        self.addCleanup(citizen.close)
        html = citizen.get(self.request_url).text
        self.assertIn("zqxquestion", html)
        self.assertIn("zqxreply", html)
        self.assertNotIn("zqxnote", html)
        self.assertNotIn("Note interne", html)
        self.assertNotIn(NOTE_FILE, html)
        # opening the page marked what she saw read
        self.assertEqual(self.amelie.get(self.messages_url).json()["unread"], 0)
        agent = cookie_session(self.url, *AGENT)
        self.addCleanup(agent.close)
        html = agent.get(self.request_url).text
        self.assertIn("zqxnote", html)
        self.assertIn("eservices-thread-note", html)
        self.assertIn("Note interne — invisible pour l", html)
        self.assertIn(NOTE_FILE, html)


class TestConversationIsolation(ConversationApiCase):
    SECRETS = ("zqxquestion", "zqxnote", "zqxreply", "carnet.png", NOTE_FILE)

    def assert_locked_out(self, account, who):
        asked, note, reply = self.talk()
        session = self.session(account)
        files = [
            (message["id"], message["attachments"][0]["id"])
            for message in (asked, note)
        ]
        routes = [
            ("GET", self.messages_url, None),
            ("GET", f"{self.messages_url}/{asked['id']}", None),
            ("POST", self.messages_url, message_body("Intrus")),
            ("POST", self.messages_url, message_body("Intrus", internal=True)),
            ("POST", f"{self.messages_url}/read", {}),
            ("GET", self.request_url, None),
        ] + [("GET", f"{self.messages_url}/{m}/{a}", None) for m, a in files]
        for method, url, body in routes:
            response = session.request(method, url, json=body)
            self.assertIn(response.status_code, REFUSED, (who, method, url))
            for secret in self.SECRETS:
                self.assertNotIn(secret, response.text, (who, method, url))
            self.assertNotIn(b"%PDF", response.content)
            self.assertNotIn(b"PNG", response.content[:8])
        # the page's routes, as a browser
        browser = cookie_session(self.url, *account) if account else self.session()
        self.addCleanup(browser.close)
        browser.headers.pop("Accept", None)
        for url in [self.request_url] + [
            f"{self.request_url}/@@piece-jointe-message/{m}/{a}" for m, a in files
        ]:
            response = browser.get(url, allow_redirects=False)
            self.assertNotEqual(response.status_code, 200, (who, url))
            for secret in self.SECRETS:
                self.assertNotIn(secret, response.text, (who, url))
        for word in ("zqxquestion", "zqxnote", "zqxreply"):
            response = session.get(
                f"{self.url}/@search", params={"SearchableText": word}
            )
            if response.status_code == 200:
                self.assertEqual(response.json()["items_total"], 0, (who, word))
        # nothing was written, nothing marked read
        data = self.agent.get(self.messages_url).json()
        self.assertEqual(len(data["items"]), 3)
        self.assertNotIn("Intrus", str(data))
        self.assertEqual([i["seen_by"] for i in data["items"]], [[], [], []])

    def test_another_household(self):
        self.assert_locked_out(JEROME, "jérôme")

    def test_an_agent_of_another_group(self):
        self.assert_locked_out(VOIRIE, "agent.voirie")

    def test_anonymous(self):
        self.assert_locked_out(None, "anonymous")

    def test_the_citizen_finds_nothing_of_notes_by_search(self):
        self.talk()
        response = self.amelie.get(
            f"{self.url}/@search", params={"SearchableText": "zqxnote"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["items_total"], 0)

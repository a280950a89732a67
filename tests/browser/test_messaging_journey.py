"""Browser test (Chromium): the whole messaging journey of #17 through the
real pages, in separate browser contexts for the citizen and two agents of
the service's group.

After the setup (a second agent of the population group, Amélie's request
« Rendez-vous passeport » filed over REST), everything goes through the
pages: the citizen writes a message with a PDF on her request's page; the
agent sees « 1 message non lu » on its row of the Guichet, keeps it with
the filter « Messages non lus », opens the request, downloads the file
(same bytes), finds the badge gone on returning; he replies and writes an
internal note; the second agent still sees the request unread (reading is
per person); the citizen's « Mon espace » (Accueil, Demandes) counts one
unread message (the reply, not the note); her request's page and
``GET <request>/@messages`` (fetched by the page) show the reply, never the
note. The emails to the agent and to the citizen hold the request's link
and nothing of the messages. axe-core on the Guichet with the badge and the
filter and on the request's page of each side."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.browser import _Browser
from illkirch.eservices.testing.conversation import ConversationPage
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.sessions import rest_session
from illkirch.eservices.testing.unread import SECOND_AGENT
from illkirch.eservices.testing.unread import SECOND_AGENT_EMAIL
from illkirch.eservices.testing.unread import SECOND_AGENT_PASSWORD
from illkirch.eservices.testing.unread import add_agent
from illkirch.eservices.testing.unread import adult
from playwright.sync_api import expect


QUESTION = "Puis-je venir avec mon fils au rendez-vous ? Voici mon justificatif."
REPLY = "Oui, venez ensemble avec son livret de famille."
NOTE = "Dossier déjà vu en 2024, vérifier l'ancien passeport."
AGENT_EMAIL = "agent.accueil@illkirch.example"
CITIZEN_EMAIL = "amelie.lire@example.org"


class TestMessagingJourney(ConversationPage, BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        add_agent()  # agent.deux, population group (committed by setUp)
        super().setUp()
        citizen = rest_session(self.portal_url, *AMELIE)
        self.addCleanup(citizen.close)
        response = citizen.post(
            f"{self.portal_url}/@requests",
            json={
                "service": "rendez-vous-passeport-cni",
                "member": adult("amelie.lire"),
                "answers": dict(PASSPORT_ANSWERS),
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.url = response.json()["@id"]
        self.number = response.json()["number"]

    # helpers ------------------------------------------------------------

    def other_context(self):
        """A new browser context (its own cookies) and its page; becomes
        ``self.page`` (``login``, ``assert_accessible`` use it)."""
        context = _Browser.get().new_context(locale="fr-FR", reduced_motion="reduce")
        context.set_default_timeout(15000)
        self.addCleanup(context.close)
        self.page = context.new_page()
        return self.page

    def guichet_row(self):
        return self.page.locator(f"#demande-{self.number}")

    def assert_link_only(self, message, url, *texts):
        """The email links to the request and holds none of ``texts``."""
        body = message.get_body(("plain",)).get_content()
        self.assertIn(self.number, message["Subject"])
        self.assertIn(url, body)
        for text in texts:
            self.assertNotIn(text, body)
            self.assertNotIn(text, message["Subject"])
            html = message.get_body(("html",))
            if html is not None:
                self.assertNotIn(text, html.get_content())

    # the journey --------------------------------------------------------

    def test_message_unread_reply_note_and_emails(self):
        # the citizen writes with a PDF on her request's page
        citizen = self.page
        self.login(*AMELIE)
        citizen.goto(self.url)
        self.write(
            QUESTION,
            {
                "name": "justificatif.pdf",
                "mimeType": "application/pdf",
                "buffer": pdf(),
            },
        )
        expect(citizen.locator(".portalMessage").first).to_contain_text(
            "Votre message est envoyé."
        )
        expect(self.thread()).to_have_count(1)
        mail = self.wait_for_mail(AGENT_EMAIL, "Nouveau message sur la demande")
        self.assert_link_only(mail, self.url, QUESTION, "justificatif.pdf")

        # the agent, in his own browser: the badge, the filter
        agent = self.other_context()
        self.login(*AGENT)
        agent.goto(f"{self.portal_url}/@@guichet")
        badge = self.guichet_row().locator(".eservices-unread")
        expect(badge).to_have_text("1 message non lu")
        agent.get_by_label("Messages non lus seulement").check()
        agent.locator("#guichet-filter").click()
        expect(agent.locator("#guichet-unread")).to_be_checked()
        expect(self.guichet_row()).to_be_visible()
        expect(badge).to_have_text("1 message non lu")

        # he opens the request from its row and downloads the file
        self.guichet_row().get_by_role("link", name=self.number).first.click()
        expect(agent.locator("#messages-title")).to_have_text("Échanges avec l'usager")
        first = self.thread().first
        expect(first).to_contain_text(QUESTION)
        href = first.get_by_role("link", name="justificatif.pdf").get_attribute("href")
        download = agent.request.get(href)
        self.assertEqual(download.status, 200)
        self.assertEqual(download.body(), pdf())
        self.assert_accessible("rendez-vous passeport, message de l'usager (agent)")

        # back in the Guichet: read, no badge
        agent.goto(f"{self.portal_url}/@@guichet")
        expect(self.guichet_row()).to_be_visible()
        expect(self.guichet_row().locator(".eservices-unread")).to_have_count(0)
        agent.goto(f"{self.portal_url}/@@guichet?unread=1")
        expect(agent.locator("#guichet-unread")).to_be_checked()
        expect(self.guichet_row()).to_have_count(0)

        # the reply and the internal note
        agent.goto(self.url)
        self.write(REPLY)
        expect(self.thread()).to_have_count(2)
        self.write(NOTE, internal=True)
        expect(agent.locator(".eservices-thread-note")).to_contain_text(NOTE)
        mail = self.wait_for_mail(CITIZEN_EMAIL, "Nouveau message sur votre demande")
        self.assert_link_only(mail, self.url, REPLY, NOTE, QUESTION)

        # a second agent of the group: still unread for him (his own reading)
        self.other_context()
        self.login(SECOND_AGENT, SECOND_AGENT_PASSWORD)
        self.page.goto(f"{self.portal_url}/@@guichet")
        expect(self.guichet_row().locator(".eservices-unread")).to_have_text(
            "3 messages non lus"
        )
        self.page.get_by_label("Messages non lus seulement").check()
        self.page.locator("#guichet-filter").click()
        self.assertIn("unread=1", self.page.url)
        expect(self.guichet_row().locator(".eservices-unread")).to_have_text(
            "3 messages non lus"
        )
        # (test_unread_badges audits agent.accueil's Guichet with one unread
        # message, filtered or not: here another agent's, of one group only)
        self.assert_accessible(
            "Guichet d'un second agent du groupe, filtré, 3 messages non lus"
        )

        # the citizen: one unread message (the reply; the note is not counted)
        self.page = citizen
        citizen.goto(f"{self.portal_url}/@@mon-espace")
        row = citizen.locator("#demandes-en-cours li", has_text=self.number)
        expect(row.locator(".eservices-unread")).to_have_text("1 message non lu")
        citizen.goto(f"{self.portal_url}/@@mon-espace-demandes")
        row = citizen.locator("table.eservices-requests tr", has_text=self.number)
        expect(row.locator(".eservices-unread")).to_have_text("1 message non lu")

        # her request's page: the reply, never the note
        citizen.goto(self.url)
        expect(self.thread()).to_have_count(2)
        expect(self.thread().nth(1)).to_contain_text(REPLY)
        expect(self.thread().nth(1)).to_contain_text("Services de la ville")
        expect(citizen.locator("main")).not_to_contain_text(NOTE)
        expect(citizen.locator("main")).not_to_contain_text("Note interne")
        self.assert_accessible("rendez-vous passeport, réponse du service (usager)")
        answer = citizen.evaluate(
            """async (url) => {
                const response = await fetch(url, {
                    headers: {Accept: "application/json"},
                    credentials: "same-origin",
                });
                return {status: response.status, body: await response.text()};
            }""",
            f"{self.url}/@messages",
        )
        self.assertEqual(answer["status"], 200)
        self.assertNotIn(NOTE, answer["body"])
        self.assertIn(REPLY, answer["body"])
        items = citizen.evaluate(
            """async (url) => (await (await fetch(url, {
                headers: {Accept: "application/json"}})).json()).items""",
            f"{self.url}/@messages",
        )
        self.assertEqual([i["kind"] for i in items], ["message", "message"])
        self.assertFalse(any(i.get("internal") for i in items))

        # the second agent was told of the citizen's message too, never of
        # the note (nobody is assigned: no note email)
        self.wait_for_mail(SECOND_AGENT_EMAIL, "Nouveau message sur la demande")
        self.assertFalse(
            [
                m
                for m in self.mailsink.messages()
                if "note interne" in m["Subject"].lower()
            ]
        )

"""Browser tests (Chromium) of a request's conversation (#17): the citizen
writes with a file, the agent reads it, replies and writes an internal note
the citizen never sees (page nor REST); new messages are added and announced
in a polite live region; the form is usable by keyboard; the request page
with a conversation passes axe for both sides."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.conversation import ConversationPage
from illkirch.eservices.testing.conversation import file_over_rest
from illkirch.eservices.testing.conversation import message_body
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.files import HTML
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.keyboard import tab_to
from illkirch.eservices.testing.sessions import rest_session
from playwright.sync_api import expect

import re


NOTE = "Quotient familial à vérifier avec la CAF."
REPLY = "Merci, nous avons bien le justificatif : https://illkirch.eu/aide"


class TestConversation(ConversationPage, BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        super().setUp()
        citizen = rest_session(self.portal_url, *AMELIE)
        self.addCleanup(citizen.close)
        self.url = file_over_rest(self.portal_url, citizen)

    def test_citizen_agent_and_internal_note(self):
        page = self.page
        self.login(*AMELIE)
        page.goto(self.url)
        expect(page.locator("#messages-title")).to_have_text(
            "Échanges avec les services de la ville"
        )
        expect(page.locator("#conversation-empty")).to_be_visible()
        self.write(
            "Bonjour, voici l'attestation de la CAF.",
            {"name": "caf.pdf", "mimeType": "application/pdf", "buffer": pdf()},
        )
        expect(page.locator(".portalMessage").first).to_contain_text(
            "Votre message est envoyé."
        )
        expect(self.thread()).to_have_count(1)
        expect(self.thread().first).to_contain_text("Vous")
        expect(self.thread().first.get_by_role("link", name="caf.pdf")).to_be_visible()
        self.assert_accessible("demande avec un message (usager)")

        # the agent reads it, downloads its file, replies, writes a note
        self.logout()
        self.login(*AGENT)
        page.goto(self.url)
        expect(page.locator("#messages-title")).to_have_text("Échanges avec l'usager")
        first = self.thread().first
        expect(first).to_contain_text("Amélie Lire")
        expect(first).to_contain_text("Bonjour, voici l'attestation de la CAF.")
        href = first.get_by_role("link", name="caf.pdf").get_attribute("href")
        download = page.request.get(href)
        self.assertEqual(download.status, 200)
        self.assertEqual(download.body(), pdf())
        self.write(REPLY)
        expect(self.thread()).to_have_count(2)
        self.write(NOTE, internal=True)
        expect(page.locator(".portalMessage").first).to_contain_text(
            "Votre note interne est enregistrée."
        )
        note = page.locator(".eservices-thread-note")
        expect(note).to_have_count(1)
        expect(note).to_contain_text("Note interne — invisible pour l'usager")
        expect(note).to_contain_text(NOTE)
        link = self.thread().nth(1).get_by_role("link", name="https://illkirch.eu/aide")
        expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
        self.assert_accessible("demande avec échanges et note interne (agent)")

        # the citizen: the reply, never the note (page and REST)
        self.logout()
        self.login(*AMELIE)
        page.goto(self.url)
        expect(self.thread()).to_have_count(2)
        reply = self.thread().nth(1)
        expect(reply).to_contain_text("Services de la ville")
        expect(reply).to_contain_text("Merci, nous avons bien le justificatif")
        expect(page.locator("main")).not_to_contain_text(NOTE)
        expect(page.locator("main")).not_to_contain_text("Note interne")
        response = page.request.get(
            f"{self.url}/@messages", headers={"Accept": "application/json"}
        )
        self.assertEqual(response.status, 200)
        self.assertNotIn("CAF.", response.text().replace("de la CAF.", ""))
        self.assertNotIn("Quotient familial", response.text())
        self.assertEqual(
            [i["kind"] for i in response.json()["items"]], ["message", "message"]
        )
        self.assert_accessible("demande avec la réponse (usager)")

    def test_refused_message_keeps_the_text(self):
        """A file that is no PDF: the page again, the error summary focused,
        the error next to the field, the typed text still there."""
        page = self.page
        self.login(*AMELIE)
        page.goto(self.url)
        typed = "Voici la page 2 du carnet,\navec mes excuses."
        self.write(
            typed, {"name": "page.pdf", "mimeType": "application/pdf", "buffer": HTML}
        )
        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        expect(summary.get_by_role("link")).to_have_count(1)
        expect(page).to_have_title(re.compile(r"^Erreur : "))
        form = page.locator("#conversation-form")
        expect(form.get_by_label("Votre message")).to_have_value(typed)
        expect(page.locator("#conversation-files-error")).to_be_visible()
        expect(form.locator("#conversation-files")).to_have_attribute(
            "aria-invalid", "true"
        )
        expect(page.locator("#conversation-empty")).to_be_visible()
        self.assert_accessible("demande, message refusé (usager)")
        summary.get_by_role("link").click()
        expect(form.locator("#conversation-files")).to_be_focused()

    def test_new_messages_are_added_and_announced(self):
        page = self.page
        self.login(*AMELIE)
        page.clock.install()
        page.goto(self.url)
        expect(self.thread()).to_have_count(0)
        agent = rest_session(self.portal_url, *AGENT)
        self.addCleanup(agent.close)
        for body in (message_body(REPLY), message_body(NOTE, internal=True)):
            posted = agent.post(f"{self.url}/@messages", json=body)
            self.assertEqual(posted.status_code, 201, posted.text)
        live = page.locator("#conversation-live")
        expect(live).to_have_attribute("role", "status")
        expect(live).to_have_attribute("aria-live", "polite")
        page.clock.run_for(31000)
        expect(self.thread()).to_have_count(1)
        expect(self.thread().first).to_contain_text("Services de la ville")
        expect(self.thread().first.get_by_role("link")).to_have_attribute(
            "href", "https://illkirch.eu/aide"
        )
        page.clock.run_for(500)
        expect(live).to_have_text("Nouveau message de Services de la ville.")
        expect(page.locator("main")).not_to_contain_text(NOTE)
        # what was shown is marked read
        citizen = rest_session(self.portal_url, *AMELIE)
        self.addCleanup(citizen.close)
        expect_unread = citizen.get(f"{self.url}/@messages").json()["unread"]
        for _ in range(20):
            if expect_unread == 0:
                break
            page.wait_for_timeout(200)
            expect_unread = citizen.get(f"{self.url}/@messages").json()["unread"]
        self.assertEqual(expect_unread, 0)

    def test_keyboard_writes_a_message(self):
        page = self.page
        self.login(*AGENT)
        page.goto(self.url)
        # from the page's top (the agents' toolbar first), checking each stop
        tab_to(page, "#conversation-text", max_steps=150)
        page.keyboard.type("Écrit au clavier.")
        tab_to(page, "#conversation-files")
        tab_to(page, "#conversation-internal")
        page.keyboard.press("Space")
        expect(page.locator("#conversation-internal")).to_be_checked()
        tab_to(page, "#conversation-form button[type=submit]")
        page.keyboard.press("Enter")
        expect(page.locator(".eservices-thread-note")).to_contain_text(
            "Écrit au clavier."
        )

    def test_refused_request_conversation_stays_readable(self):
        agent = rest_session(self.portal_url, *AGENT)
        self.addCleanup(agent.close)
        for transition, comment in (("mark_complete", ""), ("reject", "Hors délai.")):
            response = agent.post(
                f"{self.url}/@workflow/{transition}", json={"comment": comment}
            )
            self.assertEqual(response.status_code, 200, response.text)
        page = self.page
        self.login(*AMELIE)
        page.goto(self.url)
        expect(self.thread()).to_have_count(1)
        expect(self.thread().first).to_contain_text("Changement de statut : Refusée")
        expect(self.thread().first).to_contain_text("Hors délai.")
        expect(page.locator("#messagerie")).to_contain_text(
            "Cette demande est terminée : vous pouvez relire ses échanges"
        )
        expect(page.locator("#conversation-form")).to_have_count(0)
        self.assert_accessible("demande refusée, échanges en lecture (usager)")

    def test_long_thread_shows_the_latest_with_a_link(self):
        """#22: the page shows the last 20 items and « Voir les messages
        précédents » (a link, without script too); the script does not add
        the older items @messages lists; the whole thread passes axe."""
        citizen = rest_session(self.portal_url, *AMELIE)
        self.addCleanup(citizen.close)
        for index in range(22):
            posted = citizen.post(
                f"{self.url}/@messages", json=message_body(f"Message numéro {index}.")
            )
            self.assertEqual(posted.status_code, 201, posted.text)
        page = self.page
        self.login(*AMELIE)
        page.clock.install()
        page.goto(self.url)
        expect(self.thread()).to_have_count(20)
        expect(self.thread().last).to_contain_text("Message numéro 21.")
        expect(page.locator("#messagerie")).not_to_contain_text("Message numéro 1.")
        older = page.get_by_role("link", name="Voir les 2 messages précédents")
        expect(older).to_be_visible()
        self.assert_accessible("demande, derniers messages (usager)")
        page.clock.run_for(31000)
        page.wait_for_timeout(500)
        expect(self.thread()).to_have_count(20)
        older.click()
        expect(self.thread()).to_have_count(22)
        expect(self.thread().first).to_contain_text("Message numéro 0.")
        expect(page.locator("#conversation-older")).to_have_count(0)
        self.assert_accessible("demande, tous les messages (usager)")

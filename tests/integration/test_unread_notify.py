"""The email of a new message (conversation/notify.py), read back with
Python's email parser: a citizen's message goes to the assignee, else to
every agent of the request's group, but not to the agents who chose the
daily digest (whose digest counts the requests with unread messages); an
agent's reply goes to the household's holder; an internal note to the
assignee only when a colleague wrote it, never to the citizen. No email
holds the message, each holds the link built from the configured public
URL, not from the request's host."""

from datetime import UTC
from datetime import datetime
from email import message_from_bytes
from email import policy
from illkirch.eservices.accounts import households
from illkirch.eservices.conversation import notify
from illkirch.eservices.conversation import store
from illkirch.eservices.requests import digest
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.site import plain_text
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.testing.unread import PUBLIC
from illkirch.eservices.testing.unread import SECOND_AGENT
from illkirch.eservices.testing.unread import SECOND_AGENT_EMAIL
from illkirch.eservices.testing.unread import add_agent
from illkirch.eservices.testing.unread import agent_says
from plone import api
from plone.app.testing import login

import unittest


ACCUEIL = "agent.accueil"
ACCUEIL_EMAIL = "agent.accueil@illkirch.example"
AMELIE_EMAIL = "amelie.lire@example.org"
SECRET = "Mon fils est malade, voici son numéro de sécurité sociale 1 23 45"


class NotifyTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        api.portal.set_registry_record("illkirch.eservices.public_url", PUBLIC)
        # the request's own host is an attacker's: links must not use it
        self.layer["request"].setServerURL("https", "attacker.example")
        self.addCleanup(self.layer["request"].setServerURL, "http", "nohost")
        amelie = households.household_of("amelie.lire")
        adult = next(p for p in amelie.persons() if p.member_type == "adult")
        login(self.portal, "amélie.lire")
        self.request_obj = submission.submit(
            self.portal["demarches"]["rendez-vous-passeport-cni"],
            dict(PASSPORT_ANSWERS),
            member_id=adult.getId(),
        )
        add_agent()  # a second agent of the population group
        self.link = (
            PUBLIC
            + "/"
            + "/".join(
                self.request_obj.getPhysicalPath()[len(self.portal.getPhysicalPath()) :]
            )
        )
        self.assertIn("attacker.example", self.request_obj.absolute_url())
        self.mailhost.reset()

    def post(self, message):
        """Store ``message`` and notify as ``conversation.messages`` does
        (the test layers run the queued task at once)."""
        store.append(self.request_obj, message)
        notify.message_posted(self.request_obj, message)

    def sent(self):
        """``{recipient: (subject, plain text, html)}`` of the emails sent."""
        result = {}
        for raw in self.mailhost.messages:
            message = message_from_bytes(raw, policy=policy.default)
            html = message.get_body(("html",)).get_content()
            result[message["To"]] = (message["Subject"], plain_text(message), html)
        self.mailhost.reset()
        return result

    def assert_safe(self, sent):
        for subject, text, html in sent.values():
            self.assertIn(self.request_obj.number, subject)
            for part in (subject, text, html):
                self.assertNotIn("sécurité sociale", part, "no content of the message")
                self.assertNotIn("attacker.example", part)
                self.assertNotIn("nohost", part)
            self.assertIn(f"\n{self.link}\n", text)
            self.assertIn(f'href="{self.link}"', html)


class TestCitizenMessage(NotifyTestCase):
    def test_every_agent_of_the_group_when_nobody_is_assigned(self):
        self.post(store.Message("amelie.lire", store.CITIZEN, SECRET))
        sent = self.sent()
        self.assertEqual(set(sent), {ACCUEIL_EMAIL, SECOND_AGENT_EMAIL})
        self.assert_safe(sent)
        subject, text, _html = sent[ACCUEIL_EMAIL]
        self.assertEqual(
            subject, f"Nouveau message sur la demande {self.request_obj.number}"
        )
        self.assertIn(
            "L'usager a écrit un nouveau message sur la demande « Demande de "
            f"rendez-vous passeport / carte d'identité » n° {self.request_obj.number}.",
            text,
        )

    def test_the_assignee_only(self):
        self.request_obj.assignee = SECOND_AGENT
        self.post(store.Message("amelie.lire", store.CITIZEN, SECRET))
        sent = self.sent()
        self.assertEqual(set(sent), {SECOND_AGENT_EMAIL})
        self.assert_safe(sent)

    def test_agents_who_chose_the_digest_get_it_there(self):
        digest.set_wanted(SECOND_AGENT, True)
        self.post(store.Message("amelie.lire", store.CITIZEN, SECRET))
        self.assertEqual(set(self.sent()), {ACCUEIL_EMAIL})
        self.request_obj.assignee = SECOND_AGENT
        self.post(store.Message("amelie.lire", store.CITIZEN, "Encore moi."))
        self.assertEqual(self.sent(), {}, "the assignee reads the digest")
        # the digest: the requests with messages they have not read
        now = datetime.now(UTC)
        user = api.user.get(userid=SECOND_AGENT)
        self.assertTrue(digest.send_digest(user, now, now))
        [(subject, text, _html)] = self.sent().values()
        self.assertIn(
            f"1 demande(s) avec des messages non lus :\n{PUBLIC}/@@guichet?unread=1\n",
            text,
        )
        self.assertNotIn("sécurité sociale", text)
        store.mark_read(self.request_obj, SECOND_AGENT, store.AGENT)
        self.assertFalse(digest.send_digest(user, now, now), "nothing more to say")
        self.assertEqual(self.sent(), {})


class TestAgentMessage(NotifyTestCase):
    def test_a_reply_goes_to_the_household(self):
        login(self.portal, ACCUEIL)
        self.post(store.Message(ACCUEIL, store.AGENT, SECRET))
        sent = self.sent()
        self.assertEqual(set(sent), {AMELIE_EMAIL})
        self.assert_safe(sent)
        subject, text, _html = sent[AMELIE_EMAIL]
        self.assertEqual(
            subject, f"Nouveau message sur votre demande {self.request_obj.number}"
        )
        self.assertIn("Les services de la ville vous ont écrit un message", text)

    def test_internal_notes_never_reach_the_citizen(self):
        login(self.portal, ACCUEIL)
        self.post(store.Message(ACCUEIL, store.AGENT, SECRET, internal=True))
        self.assertEqual(self.sent(), {}, "nobody assigned: nobody told")
        self.request_obj.assignee = ACCUEIL
        self.post(store.Message(ACCUEIL, store.AGENT, SECRET, internal=True))
        self.assertEqual(self.sent(), {}, "one's own note")
        login(self.portal, SECOND_AGENT)
        self.post(store.Message(SECOND_AGENT, store.AGENT, SECRET, internal=True))
        sent = self.sent()
        self.assertEqual(set(sent), {ACCUEIL_EMAIL}, "a colleague's note")
        self.assert_safe(sent)
        self.assertEqual(
            sent[ACCUEIL_EMAIL][0],
            f"Nouvelle note interne sur la demande {self.request_obj.number}",
        )

    def test_a_message_gone_tells_nobody(self):
        message = agent_says(self.request_obj, ACCUEIL)
        self.assertEqual(notify.notify_message(self.request_obj.UID(), "nope"), [])
        self.assertEqual(notify.notify_message("no-such-uid", message.id), [])
        self.assertEqual(
            notify.notify_message(self.request_obj.UID(), message.id), [AMELIE_EMAIL]
        )

"""The rules of a request's conversation (conversation/messages.py): sides,
checks of the text and files, internal notes, a closed request, the thread
with the status changes' messages, reading."""

from AccessControl import Unauthorized
from illkirch.eservices import history
from illkirch.eservices.conversation import messages
from illkirch.eservices.conversation import store
from illkirch.eservices.requests import processing
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.conversation import AGENT_ID
from illkirch.eservices.testing.conversation import CITIZEN_ID
from illkirch.eservices.testing.conversation import CITIZEN_LOGIN
from illkirch.eservices.testing.conversation import OTHER_AGENT_ID
from illkirch.eservices.testing.conversation import OTHER_CITIZEN_LOGIN
from illkirch.eservices.testing.conversation import file_request
from illkirch.eservices.testing.files import HTML
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate

import unittest


def french(message):
    return translate(message, target_language="fr")


class TestConversation(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.request_obj = file_request(self.portal)

    def as_citizen(self):
        login(self.portal, CITIZEN_LOGIN)

    def as_agent(self, user_id=AGENT_ID):
        login(self.portal, user_id)

    def refused(self, text, files=(), internal=False):
        with self.assertRaises(messages.MessageRefused) as info:
            messages.post(self.request_obj, text, files, internal)
        return {key: french(value) for key, value in info.exception.errors.items()}

    def test_sides(self):
        self.as_citizen()
        self.assertEqual(messages.side(self.request_obj), store.CITIZEN)
        self.as_agent()
        self.assertEqual(messages.side(self.request_obj), store.AGENT)
        for other in (OTHER_AGENT_ID, OTHER_CITIZEN_LOGIN):
            self.as_agent(other)
            self.assertIsNone(messages.side(self.request_obj), other)
        logout()
        self.assertIsNone(messages.side(self.request_obj))

    def test_citizen_writes_with_a_file_nothing_in_history(self):
        before = history.entries(self.request_obj)
        self.as_citizen()
        message = messages.post(
            self.request_obj,
            "  Bonjour,\r\nvoici le carnet.\x00  ",
            [{"filename": "carnet.png", "data": image("PNG")}],
        )
        self.assertEqual(message.text, "Bonjour,\nvoici le carnet.")
        self.assertEqual(message.side, store.CITIZEN)
        self.assertEqual(message.author, CITIZEN_ID)
        self.assertFalse(message.internal)
        [attachment] = message.attachments
        self.assertEqual(attachment.content_type, "image/png")
        self.assertEqual(attachment.filename, "carnet.png")
        # the request's documents are not changed, nor its history
        self.assertEqual(
            [a.filename for a in self.request_obj.attachments],
            ["assurance.pdf", "vaccins.png"],
        )
        self.assertEqual(history.entries(self.request_obj), before)
        # the agents have one unread message, the catalog knows it
        self.as_agent()
        self.assertEqual(messages.unread_count(self.request_obj), 1)
        brain = api.content.find(UID=self.request_obj.UID())[0]
        self.assertEqual(
            store.unread_count(brain.conversation_summary, AGENT_ID, store.AGENT), 1
        )

    def test_text_is_required_and_limited(self):
        self.as_citizen()
        self.assertEqual(self.refused("  \n "), {"text": "Écrivez votre message."})
        self.assertEqual(self.refused(None), {"text": "Écrivez votre message."})
        errors = self.refused("a" * (messages.MAX_LENGTH + 1))
        self.assertEqual(
            errors["text"],
            "Votre message est trop long : 5000 caractères au plus "
            "(il en compte 5001).",
        )
        messages.post(self.request_obj, "a" * messages.MAX_LENGTH)
        self.assertEqual(len(store.messages(self.request_obj)), 1)

    def test_files_are_checked_as_the_documents(self):
        self.as_citizen()
        errors = self.refused("Voici", [{"filename": "page.pdf", "data": HTML}])
        self.assertEqual(list(errors), ["documents"])
        self.assertIsNone(store.get(self.request_obj))

    def test_the_conversation_has_the_request_total_as_budget(self):
        api.portal.set_registry_record(
            "illkirch.eservices.max_request_attachments_mb", 1
        )
        self.as_citizen()
        big = pdf(padding=600 * 1024)
        messages.post(self.request_obj, "Un", [{"filename": "a.pdf", "data": big}])
        errors = self.refused("Deux", [{"filename": "b.pdf", "data": big}])
        self.assertIn("documents", errors)
        self.assertEqual(len(store.messages(self.request_obj)), 1)

    def test_internal_notes_are_for_agents(self):
        self.as_citizen()
        errors = self.refused("Note", internal=True)
        self.assertEqual(
            errors,
            {
                "internal": "Seuls les agents de la ville peuvent écrire "
                "des notes internes."
            },
        )
        self.as_agent()
        note = messages.post(
            self.request_obj,
            "Dossier à vérifier",
            [{"filename": "note.pdf", "data": pdf()}],
            internal=True,
        )
        reply = messages.post(self.request_obj, "Nous traitons votre demande.")
        self.assertEqual(
            [i["kind"] for i in messages.thread(self.request_obj)], ["note", "message"]
        )
        self.as_citizen()
        self.assertEqual([m.id for m in messages.visible(self.request_obj)], [reply.id])
        self.assertEqual(
            [i["id"] for i in messages.thread(self.request_obj)], [reply.id]
        )
        self.assertIsNone(messages.find(self.request_obj, note.id))
        attachment_id = note.attachments[0].id
        self.assertIsNone(messages.attachment(self.request_obj, note.id, attachment_id))
        self.assertEqual(messages.unread_count(self.request_obj), 1)
        self.as_agent()
        self.assertIsNotNone(
            messages.attachment(self.request_obj, note.id, attachment_id)
        )

    def test_closed_request_citizen_reads_agents_write(self):
        self.as_citizen()
        messages.post(self.request_obj, "Une question")
        self.as_agent()
        processing.fire(self.request_obj, "mark_complete")
        processing.fire(self.request_obj, "reject", "Hors délai.")
        self.as_citizen()
        self.assertFalse(messages.may_write(self.request_obj))
        with self.assertRaises(messages.ConversationClosed) as info:
            messages.post(self.request_obj, "Pourquoi ?")
        self.assertIn(
            "Cette demande est terminée", french(info.exception.errors["conversation"])
        )
        self.assertEqual(
            [i["kind"] for i in messages.thread(self.request_obj)],
            ["message", "status"],
        )
        self.as_agent()
        self.assertTrue(messages.may_write(self.request_obj))
        messages.post(self.request_obj, "Vous pouvez refaire une demande.")

    def test_closed_request_agents_keep_their_side(self):
        """A closed request gives « Process requests » to Manager alone: its
        agents still see the internal notes and write as agents."""
        self.as_agent()
        note = messages.post(self.request_obj, "Vérifié", internal=True)
        processing.fire(self.request_obj, "mark_complete")
        processing.fire(self.request_obj, "reject", "Hors délai.")
        processing.fire(self.request_obj, "close")
        self.assertEqual(processing.state(self.request_obj), "closed")
        self.assertFalse(
            api.user.has_permission(messages.PROCESS_PERMISSION, obj=self.request_obj)
        )
        self.assertEqual(messages.side(self.request_obj), store.AGENT)
        self.assertIn(note.id, [i["id"] for i in messages.thread(self.request_obj)])
        reply = messages.post(self.request_obj, "Dossier archivé.")
        self.assertEqual(reply.side, store.AGENT)
        agent = api.user.get(userid=AGENT_ID)
        self.assertEqual(
            messages.thread(self.request_obj)[-1]["author"],
            agent.getProperty("fullname") or AGENT_ID,
        )
        self.as_citizen()
        self.assertEqual(messages.side(self.request_obj), store.CITIZEN)
        self.assertNotIn(note.id, [i["id"] for i in messages.thread(self.request_obj)])
        for other in (OTHER_AGENT_ID, OTHER_CITIZEN_LOGIN):
            self.as_agent(other)
            self.assertIsNone(messages.side(self.request_obj), other)

    def test_strangers_cannot_write(self):
        for other in (OTHER_AGENT_ID, OTHER_CITIZEN_LOGIN):
            self.as_agent(other)
            with self.assertRaises(Unauthorized):
                messages.post(self.request_obj, "Bonjour")
            self.assertEqual(messages.thread(self.request_obj), [])
            self.assertEqual(messages.mark_read(self.request_obj), 0)

    def test_thread_merges_status_messages_in_order_with_labels(self):
        self.as_agent()
        processing.fire(self.request_obj, "ask_documents", "Le carnet, svp.")
        self.as_citizen()
        question = messages.post(self.request_obj, "Lequel ?")
        processing.fire(self.request_obj, "resubmit", "C'est fait.")
        self.as_agent()
        answer = messages.post(self.request_obj, "Merci.")
        # the history's times are to the second: set them all, a minute apart
        stored = IAnnotations(self.request_obj)[history.KEY]
        moments = iter(f"2026-03-02T10:0{n}:00+00:00" for n in range(9))
        for index, entry in enumerate(stored):
            if entry["action"] == "transition_ask_documents":
                stored[index] = dict(entry, time=next(moments))
                question.time = next(moments)
            elif entry["action"] == "transition_resubmit":
                stored[index] = dict(entry, time=next(moments))
                answer.time = next(moments)
        agent_name = api.user.get(userid=AGENT_ID).getProperty("fullname")
        citizen_name = api.user.get(userid=CITIZEN_ID).getProperty("fullname")
        thread = messages.thread(self.request_obj)
        self.assertEqual(
            [(i["kind"], i["text"], i["author"]) for i in thread],
            [
                ("status", "Le carnet, svp.", agent_name),
                ("message", "Lequel ?", citizen_name),
                ("status", "C'est fait.", citizen_name),
                ("message", "Merci.", agent_name),
            ],
        )
        self.assertEqual(french(thread[0]["status"]), "Incomplète")
        self.as_citizen()
        thread = messages.thread(self.request_obj)
        self.assertEqual(
            [french(i["author"]) for i in thread],
            ["Services de la ville", "Vous", "Vous", "Services de la ville"],
        )
        self.assertEqual({i["seen_by"] for i in thread}, {None})

    def test_reading_is_per_person_and_seen_by(self):
        self.as_citizen()
        messages.post(self.request_obj, "Bonjour")
        group = api.group.get(groupname="agents-enfance")
        api.user.create(email="claire@example.org", username="claire.agent")
        api.group.add_user(group=group, username="claire.agent")
        self.as_agent()
        self.assertEqual(messages.mark_read(self.request_obj), 1)
        self.assertEqual(messages.unread_count(self.request_obj), 0)
        self.assertEqual(messages.mark_read(self.request_obj), 0)
        login(self.portal, "claire.agent")
        self.assertEqual(messages.side(self.request_obj), store.AGENT)
        self.assertEqual(messages.unread_count(self.request_obj), 1)
        [item] = messages.thread(self.request_obj)
        agent_name = api.user.get(userid=AGENT_ID).getProperty("fullname")
        self.assertEqual(item["seen_by"], [agent_name])
        self.assertIn(AGENT_ID, store.up_to_date(self.request_obj))
        self.assertNotIn("claire.agent", store.up_to_date(self.request_obj))


class TestAccountLessRequest(unittest.TestCase):
    """A request filed without an account has no citizen to read the
    conversation: its agents write internal notes only."""

    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        from illkirch.eservices.accounts import captcha
        from illkirch.eservices.accounts import registration
        from illkirch.eservices.requests import submission
        from illkirch.eservices.testing.requests import BIRTH_ANSWERS
        from illkirch.eservices.testing.requests import PAUL_MARTIN
        from plone.app.testing import SITE_OWNER_NAME
        from plone.app.testing import TEST_USER_ID
        from plone.app.testing import setRoles

        self.portal = self.layer["portal"]
        _mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        logout()
        token = registration.new_captcha()
        self.request_obj = submission.submit(
            self.portal["demarches"]["acte-de-naissance"],
            BIRTH_ANSWERS,
            requester=PAUL_MARTIN,
            captcha={
                "token": token,
                "answer": captcha.answer_for(registration.captcha_secret(), token),
            },
        )
        self.assertNotEqual(SITE_OWNER_NAME, TEST_USER_ID)
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        login(self.portal, "test-user")

    def test_only_notes(self):
        self.assertTrue(messages.notes_only(self.request_obj))
        with self.assertRaises(messages.MessageRefused) as info:
            messages.post(self.request_obj, "Bonjour")
        self.assertIn("déposée sans compte", french(info.exception.errors["internal"]))
        self.assertEqual(messages.visible(self.request_obj), [])
        note = messages.post(self.request_obj, "Acte vérifié", internal=True)
        self.assertEqual([m.id for m in messages.visible(self.request_obj)], [note.id])

    def test_household_requests_take_messages(self):
        request_obj = file_request(self.portal)
        self.assertFalse(messages.notes_only(request_obj))

"""The citizen pages at town scale (#22): the request page shows the
conversation's latest items with « Voir les messages précédents » (every
unread message stays shown; ``?messages=tous`` shows them all), and
``roles.may`` answers as ``plone.api.user.has_permission``."""

from illkirch.eservices.browser import conversation as page_conversation
from illkirch.eservices.conversation import messages
from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from illkirch.eservices.roles import may
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.conversation import AGENT_ID
from illkirch.eservices.testing.conversation import CITIZEN_LOGIN
from illkirch.eservices.testing.conversation import file_request
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from zope.interface import alsoProvides

import json
import unittest


PERMISSIONS = (
    "View",
    "Modify portal content",
    messages.PROCESS_PERMISSION,
    messages.WRITE_PERMISSION,
    "illkirch.eservices: Add request documents",
)


class TestMessageWindow(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        alsoProvides(self.request, IIllkirchEservicesLayer)
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.request_obj = file_request(self.portal)

    def view(self):
        # a fresh view each time: its answers are memoized per view
        return api.content.get_view("view", self.request_obj, self.request)

    def write(self, count, who):
        login(self.portal, who)
        for index in range(count):
            messages.post(self.request_obj, f"Message {who} {index}")

    def test_may_answers_as_plone_api(self):
        for user_id in (CITIZEN_LOGIN, AGENT_ID, "redacteur"):
            login(self.portal, user_id)
            for permission in PERMISSIONS:
                for obj in (self.request_obj, self.portal):
                    self.assertEqual(
                        may(permission, obj),
                        api.user.has_permission(permission, obj=obj),
                        (user_id, permission, obj),
                    )

    def test_latest_items_and_the_link(self):
        shown = page_conversation.CONVERSATION_SHOWN
        self.write(shown + 5, CITIZEN_LOGIN)  # her own: read
        thread = messages.thread(self.request_obj)
        view = self.view()
        items, hidden = view.conversation_window()
        self.assertEqual([i["id"] for i in items], [i["id"] for i in thread][-shown:])
        self.assertEqual(hidden, [i["id"] for i in thread][:-shown])
        older = view.conversation_older()
        self.assertEqual(older["count"], len(hidden))
        self.assertEqual(older["label"], f"Voir les {len(hidden)} messages précédents")
        self.assertTrue(older["url"].endswith("?messages=tous#conversation-thread"))
        data = json.loads(view.conversation_script_data())
        self.assertEqual(data["hidden"], hidden)
        html = view()
        self.assertIn('id="conversation-older"', html)
        self.assertEqual(html.count("eservices-thread-item"), shown)
        self.assertNotIn(f"Message {CITIZEN_LOGIN} 0<", html)
        self.assertIn(f"Message {CITIZEN_LOGIN} {shown + 4}", html)

        self.request.form["messages"] = "tous"
        view = self.view()
        items, hidden = view.conversation_window()
        self.assertEqual(len(items), len(thread))
        self.assertEqual(hidden, [])
        self.assertIsNone(view.conversation_older())
        html = view()
        self.assertNotIn('id="conversation-older"', html)
        self.assertIn(f"Message {CITIZEN_LOGIN} 0<", html)

    def test_every_unread_message_is_shown(self):
        shown = page_conversation.CONVERSATION_SHOWN
        self.write(10, CITIZEN_LOGIN)
        self.write(shown + 3, AGENT_ID)
        login(self.portal, CITIZEN_LOGIN)
        unread = messages.unread_ids(self.request_obj)
        self.assertEqual(len(unread), shown + 3)
        view = self.view()
        items, hidden = view.conversation_window()
        ids = [i["id"] for i in items]
        self.assertTrue(unread <= set(ids))
        self.assertTrue(hidden)
        self.assertFalse(unread & set(hidden))
        # what the page showed is read, and nothing hidden was unread
        self.assertEqual(messages.unread_count(self.request_obj), 0)
        # next time, only the latest ones
        items, hidden = self.view().conversation_window()
        self.assertEqual(len(items), shown)

    def test_a_short_thread_is_whole(self):
        self.write(3, CITIZEN_LOGIN)
        view = self.view()
        items, hidden = view.conversation_window()
        self.assertEqual(hidden, [])
        self.assertIsNone(view.conversation_older())
        self.assertNotIn('id="conversation-older"', view())

"""The citizen pages at town scale (#22): the request page shows the
conversation's latest items with « Voir les messages précédents » (every
unread message stays shown; ``?messages=tous`` shows them all), and
``roles.may`` answers as ``plone.api.user.has_permission``."""

from illkirch.eservices.browser import conversation as page_conversation
from illkirch.eservices.catalog_stamp import committed_stamp
from illkirch.eservices.conversation import messages
from illkirch.eservices.requests import documents
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import submission
from illkirch.eservices.roles import may
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.conversation import AGENT_ID
from illkirch.eservices.testing.conversation import CITIZEN_LOGIN
from illkirch.eservices.testing.conversation import FiledRequestTestCase
from plone import api
from plone.app.testing import login
from unittest import mock

import json
import unittest


PERMISSIONS = (
    "View",
    "Modify portal content",
    messages.PROCESS_PERMISSION,
    messages.WRITE_PERMISSION,
    "illkirch.eservices: Add request documents",
)


class TestMessageWindow(FiledRequestTestCase):
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


class TestOpenServicesKept(unittest.TestCase):
    """``submission.open_service_brains`` keeps the open services' records
    by the catalog's committed stamp, the user's tokens and the minute; a
    service's object is found by its UID without the catalog (#22)."""

    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        submission._OPEN_SERVICES.clear()
        self.addCleanup(submission._OPEN_SERVICES.clear)
        documents._SERVICE_PATHS.clear()
        self.addCleanup(documents._SERVICE_PATHS.clear)
        self.catalog = api.portal.get_tool("portal_catalog")
        login(self.portal, CITIZEN_LOGIN)

    def query(self):
        cls = self.catalog.aq_base.__class__
        return mock.patch.object(
            cls, "searchResults", autospec=True, side_effect=cls.searchResults
        )

    def paths(self, brains):
        return [(b.getPath(), b.Title, b.getURL()) for b in brains]

    def test_kept_and_identical(self):
        first = self.paths(submission.open_service_brains())
        self.assertTrue(first)
        with self.query() as query:
            again = submission.open_service_brains()
        query.assert_not_called()
        self.assertEqual(self.paths(again), first)
        self.assertEqual(
            [s.getPhysicalPath() for s in submission.services()],
            [tuple(p.split("/")) for p, _t, _u in first],
        )
        # another user: other tokens, asked again
        login(self.portal, AGENT_ID)
        with self.query() as query:
            submission.open_service_brains()
        self.assertTrue(query.called)

    def test_a_change_is_seen_at_once(self):
        first = submission.open_service_brains()
        service = self.portal["demarches"]["inscription-periscolaire"]
        path = "/".join(service.getPhysicalPath())
        self.assertIn(path, [b.getPath() for b in first])
        with api.env.adopt_roles(["Manager"]):
            api.content.transition(service, "retract")
        # the transaction changed the catalog: not kept, asked again
        self.assertIsNone(committed_stamp())
        with self.query() as query:
            after = submission.open_service_brains()
        self.assertTrue(query.called)
        self.assertNotIn(path, [b.getPath() for b in after])

    def test_service_by_uid(self):
        service = self.portal["demarches"]["inscription-periscolaire"]
        uid = service.UID()
        self.assertEqual(
            documents.service_by_uid(uid).getPhysicalPath(), service.getPhysicalPath()
        )
        cls = self.catalog.aq_base.__class__
        with mock.patch.object(
            cls,
            "unrestrictedSearchResults",
            autospec=True,
            side_effect=cls.unrestrictedSearchResults,
        ) as search:
            again = documents.service_by_uid(uid)
        search.assert_not_called()
        self.assertEqual(again.absolute_url(), service.absolute_url())
        self.assertIsNone(documents.service_by_uid("no-such-uid"))
        self.assertIsNone(documents.service_by_uid(""))
        # moved: looked up again
        with api.env.adopt_roles(["Manager"]):
            moved = api.content.rename(service, new_id="periscolaire-renomme")
        self.assertEqual(
            documents.service_by_uid(uid).getPhysicalPath(), moved.getPhysicalPath()
        )
        # deleted: None
        with api.env.adopt_roles(["Manager"]):
            api.content.delete(moved, check_linkintegrity=False)
        self.assertIsNone(documents.service_by_uid(uid))


class TestStepsKeptOnTheRequest(unittest.TestCase):
    """``forms.steps`` is computed once per request and service model."""

    layer = DEMO_INTEGRATION_TESTING

    def test_once_per_request_and_model(self):
        service = self.layer["portal"]["demarches"]["inscription-periscolaire"]
        first = forms.steps(service)
        with mock.patch.object(forms, "_steps", side_effect=forms._steps) as compute:
            again = forms.steps(service)
            compute.assert_not_called()
            self.assertEqual([s.id for s in again], [s.id for s in first])
            self.assertIsNot(again, first)  # a copy: callers may change theirs
            model = service.fields_model
            service.fields_model = model.replace("</schema>", "</schema>", 1) + " "
            forms.steps(service)
            compute.assert_called_once()
            service.fields_model = model

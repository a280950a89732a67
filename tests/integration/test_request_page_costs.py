"""The request page's costs (#17 benchmark): the service's easyform model
parsed once per model (an editor's change seen at once), the citizen's
address read from PAS, and the agents' view of a closed request (the
conversation's rule: the workflow gives « Process requests » to Manager
alone on a closed request)."""

from collective.easyform.api import CONTEXT_KEY
from illkirch.eservices import history
from illkirch.eservices import mail
from illkirch.eservices.accounts import citizens
from illkirch.eservices.requests import assignment
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import processing
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.conversation import AGENT_ID
from illkirch.eservices.testing.conversation import CITIZEN_ID
from illkirch.eservices.testing.conversation import CITIZEN_LOGIN
from illkirch.eservices.testing.conversation import FiledRequestTestCase
from plone import api
from plone.app.testing import login

import unittest


NEW_FIELD = """
    <field name="regime_alimentaire" type="zope.schema.TextLine">
      <title>Régime alimentaire</title>
      <required>False</required>
    </field>
  </schema>"""


class TestParsedModel(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.service = self.portal["demarches"]["inscription-periscolaire"]

    def names(self):
        return [name for name, _field in forms.answer_fields(self.service)]

    def test_parsed_once_per_model(self):
        first = forms.schema_of(self.service)
        self.assertIs(forms.schema_of(self.service), first)
        self.assertIs(first.getTaggedValue(CONTEXT_KEY), self.service)
        other = self.portal["demarches"]["signalement-voie-publique"]
        self.assertIsNot(forms.schema_of(other), first)

    def test_an_edited_form_is_seen_at_once(self):
        before = self.names()
        self.assertNotIn("regime_alimentaire", before)
        parsed = forms.schema_of(self.service)
        # What easyform's model editor does (ModelEditorView.save): the new
        # model replaces the text, in the same transaction.
        model = self.service.fields_model
        head, _sep, tail = model.rpartition("</schema>")
        self.service.fields_model = head + NEW_FIELD + tail
        self.assertIsNot(forms.schema_of(self.service), parsed)
        # outside any fieldset: the first step
        self.assertEqual(self.names(), ["regime_alimentaire", *before])
        # and back: the old model again
        self.service.fields_model = model
        self.assertEqual(self.names(), before)


class TestRequestPageAsAgent(FiledRequestTestCase):
    def test_user_email_from_pas(self):
        member = api.user.get(userid=CITIZEN_ID)
        self.assertTrue(member.getProperty("email"))
        self.assertEqual(mail.user_email(CITIZEN_ID), member.getProperty("email"))
        self.assertIsNone(mail.user_email("nobody-such"))
        self.assertIsNone(mail.user_email(None))

    def test_roles_without_member_data(self):
        """``citizens.roles`` reads the authenticated user: the same roles as
        ``api.user.get_roles``, which looks the user up again."""
        for user_id in (AGENT_ID, CITIZEN_LOGIN, "redacteur", "agent.regie"):
            login(self.portal, user_id)
            self.assertEqual(citizens.roles(), set(api.user.get_roles()), user_id)
            self.assertEqual(
                citizens.roles(self.request_obj),
                set(api.user.get_roles(obj=self.request_obj)),
                user_id,
            )
        login(self.portal, AGENT_ID)
        self.assertFalse(citizens.is_citizen(self.request_obj))
        login(self.portal, CITIZEN_LOGIN)
        self.assertTrue(citizens.is_citizen(self.request_obj))

    def test_assignable_agents_from_pas(self):
        """The assignment's choices read PAS: the same agents and names as
        plone.api's member data."""
        expected = {}
        for group_id in assignment.processor_groups(self.request_obj):
            for user in api.user.get_users(groupname=group_id):
                expected[user.getId()] = user.getProperty("fullname") or user.getId()
        self.assertIn(AGENT_ID, expected)
        self.assertEqual(
            {c["id"]: c["name"] for c in assignment.assignable(self.request_obj)},
            expected,
        )

    def test_closed_request_agents_see_it_as_agents(self):
        login(self.portal, AGENT_ID)
        assignment.assign(self.request_obj, "me")
        processing.fire(self.request_obj, "mark_complete")
        processing.fire(self.request_obj, "reject", "Hors délai.")
        processing.fire(self.request_obj, "close")
        self.assertEqual(processing.state(self.request_obj), "closed")
        self.assertFalse(
            api.user.has_permission(
                "illkirch.eservices: Process requests", obj=self.request_obj
            )
        )
        entries = history.entries(self.request_obj)
        assigned = processing.ACTIONS["assigned"]
        view = self.view()
        self.assertTrue(view.is_processor())
        shown = view.history()
        self.assertEqual(len(shown), len(entries))
        self.assertIn(assigned, [e["label"] for e in shown])
        page = view()
        self.assertIn('id="contact-title"', page)
        self.assertIn(mail.user_email(CITIZEN_ID), page)

        login(self.portal, CITIZEN_LOGIN)
        view = self.view()
        self.assertFalse(view.is_processor())
        shown = view.history()
        self.assertNotIn(assigned, [e["label"] for e in shown])
        self.assertEqual(len(shown), len(entries) - 1)
        self.assertNotIn('id="contact-title"', view())

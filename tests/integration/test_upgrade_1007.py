"""The 1006 → 1007 upgrade: the histories of households and requests, kept
in two shapes before, converted to the one of ``illkirch.eservices.history``;
what the pages and the REST API show of them stays the same."""

from illkirch.eservices import history
from illkirch.eservices.accounts import export
from illkirch.eservices.accounts import households
from illkirch.eservices.requests import tracking
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.profile import profile_version
from illkirch.eservices.upgrades import v1007
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles
from plone.dexterity.utils import createContentInContainer
from zope.annotation.interfaces import IAnnotations

import unittest


PROFILE = "illkirch.eservices:default"
CREATED = "2026-11-27T07:17:00+00:00"
UPDATED = "2026-11-28T09:05:00+00:00"
ASKED = "2026-11-30T10:00:00+00:00"


class TestUpgrade1007(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.household = households.household_of("amelie.lire")
        self.request_obj = createContentInContainer(
            self.portal["demandes"], "Request", checkConstraints=False, id="2026-999998"
        )
        self.request_obj.number = "2026-999998"
        self.request_obj.reindexObject()
        # the shapes before 1007
        IAnnotations(self.household)[history.KEY] = PersistentList(
            [
                {
                    "time": CREATED,
                    "actor": "amelie.lire",
                    "action": "household_created",
                    "details": "",
                },
                {
                    "time": UPDATED,
                    "actor": "agent.accueil",
                    "action": "household_updated",
                    "details": "billing_account",
                },
            ]
        )
        annotations = IAnnotations(self.request_obj)
        annotations.pop(history.KEY, None)
        annotations[v1007.REQUEST_KEY] = PersistentList(
            [
                PersistentMapping(
                    time=CREATED,
                    action="submitted",
                    actor="",
                    comment="",
                    state="submitted",
                ),
                PersistentMapping(
                    time=UPDATED,
                    action="assigned",
                    actor="agent.accueil",
                    comment="Claire Guichet (agent)",
                    state="submitted",
                ),
                PersistentMapping(
                    time=ASKED,
                    action="transition_ask_documents",
                    actor="agent.accueil",
                    comment="Il manque la page 2.",
                    state="incomplete",
                ),
            ]
        )

    def upgrade(self):
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1006")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))

    def test_entries_of_one_shape_oldest_first(self):
        self.upgrade()
        self.assertEqual(
            history.entries(self.household),
            [
                {
                    "time": CREATED,
                    "actor": "amelie.lire",
                    "action": "household_created",
                    "text": "",
                    "state": "",
                },
                {
                    "time": UPDATED,
                    "actor": "agent.accueil",
                    "action": "household_updated",
                    "text": "billing_account",
                    "state": "",
                },
            ],
        )
        self.assertEqual(
            history.entries(self.request_obj),
            [
                {
                    "time": CREATED,
                    "actor": "",
                    "action": "submitted",
                    "text": "",
                    "state": "submitted",
                },
                {
                    "time": UPDATED,
                    "actor": "agent.accueil",
                    "action": "assigned",
                    "text": "Claire Guichet (agent)",
                    "state": "submitted",
                },
                {
                    "time": ASKED,
                    "actor": "agent.accueil",
                    "action": "transition_ask_documents",
                    "text": "Il manque la page 2.",
                    "state": "incomplete",
                },
            ],
        )
        self.assertNotIn(v1007.REQUEST_KEY, IAnnotations(self.request_obj))
        for obj in (self.household, self.request_obj):
            for item in IAnnotations(obj)[history.KEY]:
                self.assertIs(type(item), dict)
                self.assertEqual(tuple(item), history.FIELDS)

    def test_what_is_shown_stays_the_same(self):
        self.upgrade()
        self.assertEqual(
            export.change_history(self.household),
            [
                {
                    "time": UPDATED,
                    "actor": export.TOWN,
                    "action": "household_updated",
                    "details": "billing_account",
                },
                {
                    "time": CREATED,
                    "actor": "amelie.lire",
                    "action": "household_created",
                    "details": "",
                },
            ],
        )
        shown = tracking.public_status(self.request_obj)["history"]
        self.assertEqual(
            [(e["time"], e["action"], e["review_state"], e["comment"]) for e in shown],
            [
                (CREATED, "submitted", "submitted", ""),
                (
                    ASKED,
                    "transition_ask_documents",
                    "incomplete",
                    "Il manque la page 2.",
                ),
            ],
        )

    def test_new_entries_after_the_old_ones_and_twice_is_once(self):
        self.upgrade()
        history.record(self.household, "person_added", "Zoé Lire", actor="amelie.lire")
        before = history.entries(self.household)
        self.assertEqual(
            [e["action"] for e in before],
            ["household_created", "household_updated", "person_added"],
        )
        self.assertEqual(before[-1]["state"], "validated")
        v1007.convert_histories(self.portal.portal_setup)
        self.assertEqual(history.entries(self.household), before)

"""What the agents' listings look up once instead of per item (#22): the
objects of brains from their containers (``queue.Containers``), the URL
from the site's, the antivirus' counts, the user's groups and roles from
PAS, the statuses' titles; the same values as the lookups they replace."""

from illkirch.eservices.accounts import households
from illkirch.eservices.requests import queue
from illkirch.eservices.requests import reminders
from illkirch.eservices.requests import scanning
from illkirch.eservices.requests import submission
from illkirch.eservices.restapi.request_summary import status_text
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login
from unittest import mock

import unittest


class FakeBrain:
    """A brain whose path holds another object (moved, replaced)."""

    def __init__(self, path, uid, obj):
        self.path, self.UID, self.obj = path, uid, obj

    def getPath(self):
        return self.path

    def _unrestrictedGetObject(self):
        return self.obj


class TestQueueLookups(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        services = self.portal["demarches"]
        login(self.portal, "jérôme.attente")
        self.street = submission.submit(
            services["signalement-voie-publique"], dict(SIGNALEMENT_ANSWERS)
        )
        jerome = households.household_of("jerome.attente")
        adult = next(p for p in jerome.persons() if p.member_type == "adult")
        self.passport = submission.submit(
            services["rendez-vous-passeport-cni"],
            dict(PASSPORT_ANSWERS),
            member_id=adult.getId(),
        )
        login(self.portal, "agent.voirie")

    def brains(self):
        return list(queue.search(queue.Filters()))

    def test_objects_from_their_containers_are_getobjects(self):
        brains = self.brains()
        self.assertIn(self.street.number, [b.request_number for b in brains])
        containers = queue.Containers()
        for brain in brains:
            obj = containers.object(brain)
            self.assertEqual(obj.getPhysicalPath(), brain.getObject().getPhysicalPath())
            self.assertEqual(obj.absolute_url(), brain.getURL())
        # a path holding another object, or none: the brain's own object
        other = FakeBrain(
            "/".join(self.street.getPhysicalPath()), "another-uid", self.passport
        )
        self.assertIs(containers.object(other), self.passport)
        gone = FakeBrain(
            "/".join(self.portal.getPhysicalPath()) + "/nowhere/none",
            "x",
            self.passport,
        )
        self.assertIs(containers.object(gone), self.passport)
        self.assertEqual(
            [s.getId() for s in queue.all_services()],
            [
                b.getId
                for b in api.portal.get_tool(
                    "portal_catalog"
                ).unrestrictedSearchResults(
                    object_provides="illkirch.eservices.content.service.IService",
                    sort_on="sortable_title",
                )
            ],
        )

    def test_rows_url_and_antivirus_count(self):
        rows = queue.Rows()
        markers = scanning.quarantined_counts()
        markers[self.street.UID()] = 2
        for brain in self.brains():
            row = rows.row(brain)
            self.assertEqual(row["url"], brain.getURL())
            self.assertEqual(row["quarantined"], scanning.quarantined_count(brain.UID))
        self.assertEqual(rows.quarantined_count(self.street.UID()), 2)
        self.assertEqual(rows.user_name("agent.voirie"), "Marc Voirie (agent)")
        self.assertEqual(rows.user_name("nobody-such"), "nobody-such")
        self.assertEqual(
            rows.requester(self.brains()[0]), self.street.aq_parent.Title()
        )

    def test_quarantined_records_are_the_requests_own(self):
        household = households.household_of("jerome.attente")
        household.quarantined = ["acquired"]
        self.assertEqual(scanning.quarantined(self.street), [])
        self.street.quarantined = [{"id": "a"}]
        self.assertEqual(scanning.quarantined(self.street), [{"id": "a"}])

    def test_unanswered_with_the_catalogs_status_reads_no_workflow(self):
        with mock.patch.object(
            reminders.processing, "state", side_effect=AssertionError
        ):
            self.assertEqual(reminders.unanswered(self.street, "submitted"), 0)
        self.assertEqual(reminders.unanswered(self.street), 0)

    def test_user_groups_and_roles_from_pas(self):
        user = queue.current_user()
        self.assertEqual(
            queue.group_ids(user),
            {g.getId() for g in api.group.get_groups(user=api.user.get_current())},
        )
        self.assertFalse(queue.sees_all())
        self.assertTrue(queue.may_use_guichet())
        login(self.portal, "jérôme.attente")
        self.assertFalse(queue.may_use_guichet())
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        self.assertTrue(queue.sees_all())
        self.assertTrue(queue.may_use_guichet())

    def test_statuses_translated_once(self):
        statuses = {}
        first = status_text("submitted", self.request, statuses)
        self.assertEqual(first, status_text("submitted", self.request))
        with mock.patch(
            "illkirch.eservices.restapi.request_summary.translate",
            side_effect=AssertionError,
        ):
            self.assertEqual(status_text("submitted", self.request, statuses), first)


class TestPlainDates(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def test_dates_and_datetimes_as_json_compatible_makes_them(self):
        from datetime import UTC
        from datetime import date
        from datetime import datetime
        from illkirch.eservices.business_days import TIMEZONE
        from illkirch.eservices.restapi.plain_json import plain
        from plone.restapi.serializer.converters import json_compatible

        values = [
            date(2026, 12, 7),
            datetime(2026, 7, 1, 23, 30, 5, 123456, tzinfo=TIMEZONE),
            datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC),
            datetime(2026, 3, 29, 2, 30, 0, 999),
            {"due": date(2026, 1, 2), "items": [datetime(2026, 5, 5, 5, 5, 5)]},
        ]
        for value in values:
            self.assertEqual(plain(value), json_compatible(value), value)

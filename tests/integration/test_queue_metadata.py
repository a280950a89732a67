"""The agents' queue read from the catalog (#22, target 2 and 3): a page
sorted by walking the sort index (``queue.index_page``) is ZCatalog's page,
the queue's JSON items from the metadata columns of upgrade 1017
(``brain_summary``) are those read from the requests, the CSV written in
chunks is the file made before, and the upgrade step adds the columns and
fills them for the requests only."""

from datetime import date
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.closure import AccountClosed
from illkirch.eservices.requests import assignment
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import queue
from illkirch.eservices.requests import queue_export
from illkirch.eservices.requests import scanning
from illkirch.eservices.requests import submission
from illkirch.eservices.requests.queue_export import spreadsheet_text
from illkirch.eservices.restapi.links import services_url
from illkirch.eservices.restapi.request_summary import brain_summary
from illkirch.eservices.restapi.request_summary import request_summary
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.profile import profile_version
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.requests import Spy
from illkirch.eservices.testing.requests import person
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.upgrades import v1017_queue_metadata
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login
from plone.batching import Batch
from unittest import mock

import csv
import io
import unittest


PROFILE = "illkirch.eservices:default"


def csv_before(brains):
    """The CSV as ``queue_export.csv_export`` made it before #22's
    metadata: each row from ``Rows.row`` (the requester from the household
    woken up), one string encoded at the end."""
    rows = queue.Rows()
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(queue.CSV_HEADER)
    for brain in brains:
        row = rows.row(brain)
        obj = brain.getObject()
        requester = obj.requester_name or obj.aq_parent.Title()
        writer.writerow(
            [
                row["number"],
                spreadsheet_text(row["service"]),
                row["created"].strftime("%d/%m/%Y"),
                spreadsheet_text(row["member"]),
                spreadsheet_text(requester),
                queue.site_text(row["status"]),
                row["due_date"].strftime("%d/%m/%Y") if row["due_date"] else "",
                queue.CSV_YES if row["late"] else queue.CSV_NO,
                spreadsheet_text(row["assignee_name"]),
            ]
        )
    return output.getvalue().encode("utf-8-sig")


class QueueMetadataTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        self.catalog = api.portal.get_tool("portal_catalog")
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        services = self.portal["demarches"]
        amelie = households.household_of("amelie.lire")
        jerome = households.household_of("jerome.attente")
        login(self.portal, "amélie.lire")
        self.filed = [
            submission.submit(
                services["inscription-periscolaire"],
                dict(PERISCOLAIRE_ANSWERS),
                member_id=person(amelie, "child").getId(),
                by_post=True,
            )
        ]
        login(self.portal, "jérôme.attente")
        for _ in range(3):
            self.filed.append(
                submission.submit(
                    services["rendez-vous-passeport-cni"],
                    dict(PASSPORT_ANSWERS),
                    member_id=person(jerome, "adult").getId(),
                )
            )
        self.filed.append(
            submission.submit(
                services["signalement-voie-publique"], dict(SIGNALEMENT_ANSWERS)
            )
        )
        self.mailhost.reset()
        login(self.portal, "agent.accueil")

    def numbers(self, brains):
        return [brain.request_number for brain in brains]


def no_walk_page(*args, **kwargs):
    """``queue.walk_page`` giving way (its own tests: test_queue_walk.py),
    so that the pages come from the restricted search."""
    return None


class TestIndexPage(QueueMetadataTestCase):
    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(queue, "walk_page", no_walk_page)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_the_walk_gives_zcatalogs_pages(self):
        services = queue.queue_services()
        for form in (
            {},
            {"sort_order": "ascending"},
            {"sort_on": "number"},
            {"sort_on": "number", "sort_order": "descending"},
            {"review_state": "submitted"},
            {"service": "rendez-vous-passeport-cni"},
        ):
            filters = queue.parse(form, services)
            everything = self.numbers(queue.search(filters))
            self.assertGreaterEqual(len(everything), 3, form)
            for start, size in ((0, 1), (0, 2), (1, 2), (2, 25), (0, 100), (50, 5)):
                with self.subTest(form=form, start=start, size=size):
                    walked = Spy(queue.index_page)
                    with (
                        mock.patch.object(queue, "index_page", walked),
                        mock.patch.object(queue, "WALK_COST", 0),
                    ):
                        page = queue.search(filters, page=(start, size))
                    # the walk answered (not ZCatalog's sort)
                    self.assertIsNotNone(walked.returned[0])
                    self.assertEqual(page.actual_result_count, len(everything))
                    self.assertEqual(
                        self.numbers(Batch(page, size, start)),
                        everything[start : start + size],
                    )
                    # ZCatalog's own page (the walk judged the dearer)
                    with mock.patch.object(queue, "WALK_COST", 10**9):
                        zcatalog = queue.search(filters, page=(start, size))
                    self.assertEqual(
                        self.numbers(Batch(page, size, start)),
                        self.numbers(Batch(zcatalog, size, start)),
                    )

    def test_a_small_queue_is_sorted_by_zcatalog(self):
        filters = queue.parse({"sort_on": "number"}, queue.queue_services())
        walked = Spy(queue.index_page)
        with mock.patch.object(queue, "index_page", walked):
            queue.search(filters, page=(0, 25))
        self.assertEqual(walked.returned, [None])  # 25 × index > queue²


class TestRowsFromMetadata(QueueMetadataTestCase):
    def brains(self):
        return list(queue.search(queue.Filters()))

    def test_json_items_are_those_read_from_the_requests(self):
        scanning.quarantined_counts()[self.filed[1].UID()] = 2
        self.filed[1].quarantined = [{"id": "a"}, {"id": "b"}]
        brains = self.brains()
        self.assertGreaterEqual(len(brains), 4)
        rows = queue.Rows()
        services, statuses = services_url(), {}
        for brain in brains:
            obj = brain.getObject()
            with self.subTest(number=brain.request_number):
                self.assertEqual(
                    brain_summary(brain, self.request, rows, services, statuses),
                    request_summary(obj, self.request),
                )

    def test_requester_from_the_column_no_household_woken_up(self):
        brains = self.brains()
        rows = queue.Rows()
        with mock.patch.object(queue.Containers, "get", side_effect=AssertionError):
            names = [rows.requester(brain) for brain in brains]
        self.assertEqual(
            names,
            [
                brain.getObject().requester_name or brain.getObject().aq_parent.Title()
                for brain in brains
            ],
        )
        self.assertIn("Amélie Lire", names)

    def test_a_closed_households_title_follows(self):
        household = households.household_of("jerome.attente")
        household.title = "Foyer clôturé"
        queue.household_closed(AccountClosed(household))
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        found = self.catalog.unrestrictedSearchResults(
            portal_type="Request", path="/".join(household.getPhysicalPath())
        )
        self.assertGreaterEqual(len(found), 3)
        self.assertEqual({b.household_title for b in found}, {"Foyer clôturé"})


class TestStreamedCSV(QueueMetadataTestCase):
    def test_the_chunks_are_the_file_made_before(self):
        assignment.assign(self.filed[0], "me")
        self.filed[2].due_date = date(2020, 1, 6)
        self.filed[2].member_name = '=HYPERLINK("http://evil")'
        self.filed[2].reindexObject()
        processing.fire(self.filed[3], "mark_complete", "Message")
        for form in ({}, {"sort_on": "number"}, {"review_state": "submitted"}):
            brains = queue.search(queue.parse(form, queue.queue_services()))
            before = csv_before(brains)
            self.assertEqual(queue_export.csv_export(brains), before, form)
            chunks = list(queue_export.csv_chunks(brains, chunk_rows=2))
            self.assertEqual(b"".join(chunks), before)
            self.assertEqual(len(chunks), (len(brains) + 1) // 2)
            self.assertTrue(chunks[0].startswith(b"\xef\xbb\xbf"))
            self.assertFalse(any(c.startswith(b"\xef\xbb\xbf") for c in chunks[1:]))

    def test_written_to_the_response(self):
        brains = queue.search(queue.Filters())
        response = mock.Mock()
        with mock.patch.object(queue_export, "CHUNK_ROWS", 1):
            queue_export.write_csv(response, brains, "guichet.csv")
        written = b"".join(call.args[0] for call in response.write.call_args_list)
        self.assertEqual(written, csv_before(brains))
        self.assertEqual(response.write.call_count, len(brains))
        self.assertEqual(
            list(queue_export.csv_chunks([])),
            [b"\xef\xbb\xbf" + ";".join(queue.CSV_HEADER).encode() + b"\r\n"],
        )


class TestUpgrade1017(QueueMetadataTestCase):
    def test_columns_added_and_the_requests_metadata_read(self):
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        for name in v1017_queue_metadata.COLUMNS:
            self.catalog.delColumn(name)
        self.assertNotIn("household_title", self.catalog.schema())
        counter = self.catalog.getCounter()
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1016")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))
        for name in v1017_queue_metadata.COLUMNS:
            self.assertIn(name, self.catalog.schema())
        self.assertGreater(self.catalog.getCounter(), counter)
        requests = self.catalog.unrestrictedSearchResults(portal_type="Request")
        self.assertGreaterEqual(len(requests), 5)
        for brain in requests:
            obj = brain._unrestrictedGetObject()
            with self.subTest(path=brain.getPath()):
                self.assertEqual(brain.service_uid, obj.service_uid)
                self.assertEqual(brain.member_id, obj.member_id)
                self.assertEqual(brain.by_post, obj.by_post)
                self.assertEqual(brain.submitted, obj.submitted)
                parent = obj.aq_parent
                self.assertEqual(
                    brain.household_title,
                    parent.Title() if parent.portal_type == "Household" else "",
                )
        # other entries keep the empty value: not read again
        (household,) = self.catalog.unrestrictedSearchResults(
            portal_type="Household",
            path="/".join(households.household_of("amelie.lire").getPhysicalPath()),
            sort_on="path",
        )[:1]
        self.assertNotIsInstance(household.household_title, str)  # Missing.Value
        # run again: nothing to add
        self.assertEqual(v1017_queue_metadata.add_columns(self.catalog), [])

    def test_before_the_upgrade_the_listing_reads_the_requests(self):
        from illkirch.eservices.restapi.requests.get import queue_listing

        login(self.portal, "agent.voirie")
        with_columns = queue_listing(self.request)
        self.assertTrue(queue.Rows().has_columns)
        for name in v1017_queue_metadata.COLUMNS:
            self.catalog.delColumn(name)
        self.assertFalse(queue.Rows().has_columns)
        self.assertEqual(queue_listing(self.request), with_columns)
        self.assertGreaterEqual(len(with_columns["items"]), 1)

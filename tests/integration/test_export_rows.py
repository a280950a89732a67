"""The CSV export's rows, a projection of the catalog's metadata kept with
it (#22, ``catalog_rows``, ``requests/export_rows.py``, upgrade 1020).

After each thing the add-on does to a request (filing, transitions,
assignment, its partial reindexes with and without metadata, edits,
deletion, renaming and moving, the catalog's clear and rebuild, columns
removed and added, the upgrade step), the projection is exactly the
metadata's (``catalog_rows.stale`` empty) and the CSV read from it is the
CSV read from the metadata, byte for byte."""

from DateTime import DateTime
from datetime import date
from illkirch.eservices import catalog_reading
from illkirch.eservices import catalog_rows
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.closure import AccountClosed
from illkirch.eservices.requests import assignment
from illkirch.eservices.requests import export_rows
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import processors
from illkirch.eservices.requests import queue
from illkirch.eservices.requests import queue_export
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.profile import profile_version
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.requests import person
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.upgrades import v1020_export_rows
from illkirch.eservices.upgrades import v1021_export_rows_seconds
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login
from Products.CMFCore.indexing import processQueue
from Products.CMFCore.interfaces import IIndexableObject
from Products.ZCatalog.Catalog import Catalog
from Products.ZCatalog.ZCatalog import ZCatalog
from unittest import mock
from zope.component import queryMultiAdapter

import unittest


PROFILE = "illkirch.eservices:default"
FORMS = ({}, {"sort_on": "number"}, {"review_state": "submitted"})


class ExportRowsTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.catalog = api.portal.get_tool("portal_catalog")
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.services = self.portal["demarches"]
        amelie = households.household_of("amelie.lire")
        jerome = households.household_of("jerome.attente")
        login(self.portal, "amélie.lire")
        self.filed = [
            submission.submit(
                self.services["inscription-periscolaire"],
                dict(PERISCOLAIRE_ANSWERS),
                member_id=person(amelie, "child").getId(),
                by_post=True,
            )
        ]
        login(self.portal, "jérôme.attente")
        for _ in range(3):
            self.filed.append(
                submission.submit(
                    self.services["rendez-vous-passeport-cni"],
                    dict(PASSPORT_ANSWERS),
                    member_id=person(jerome, "adult").getId(),
                )
            )
        for _ in range(2):
            self.filed.append(
                submission.submit(
                    self.services["signalement-voie-publique"],
                    dict(SIGNALEMENT_ANSWERS),
                )
            )
        self.mailhost.reset()
        self.as_manager()

    def as_manager(self):
        login(self.portal.aq_parent, SITE_OWNER_NAME)

    def request_rids(self):
        processQueue()
        return {
            brain.getRID()
            for brain in self.catalog.unrestrictedSearchResults(portal_type="Request")
        }

    def assertExact(self, minimum=1):  # noqa: N802
        """The projection is the metadata's; every export of ``FORMS`` (the
        Manager's queue: every service) read from it is the one read from
        the metadata, each of its rows read from the projection."""
        processQueue()
        self.assertTrue(export_rows.installed(self.catalog))
        self.assertEqual(catalog_rows.stale(self.catalog), [])
        rows = catalog_rows.projection(self.catalog)[0]
        self.assertEqual(set(rows.keys()), self.request_rids())
        for form in FORMS:
            brains = queue.search(queue.parse(form, queue.queue_services()))
            with mock.patch.object(export_rows, "reader", return_value=None):
                from_metadata = queue_export.csv_export(brains)
            read = export_rows.reader(brains)
            self.assertIsNotNone(read)
            found = []

            def counted(rid, read=read, found=found):
                row = read(rid)
                found.append(row is not None)
                return row

            with mock.patch.object(export_rows, "reader", return_value=counted):
                from_rows = queue_export.csv_export(brains)
            with self.subTest(form=form):
                self.assertEqual(from_rows, from_metadata)
                self.assertEqual(found, [True] * len(brains))
        brains = queue.search(queue.Filters())
        self.assertGreaterEqual(len(brains), minimum)
        return brains


class TestKeptWithTheMetadata(ExportRowsTestCase):
    def test_filed_requests(self):
        self.assertExact(minimum=len(self.filed))

    def test_transitions_and_assignment(self):
        processing.fire(self.filed[1], "mark_complete", "Complet")
        assignment.assign(self.filed[2], "admin")
        self.assertExact()
        login(self.portal, "agent.accueil")
        assignment.assign(self.filed[3], "me")
        self.as_manager()
        self.assertExact()
        assignment.assign(self.filed[3], "")
        self.assertExact()

    def test_partial_reindexes_with_and_without_metadata(self):
        request_obj = self.filed[4]
        for idxs in (["modified"], ["review_state", "modified"], ["getId"]):
            request_obj.member_name = "Nom " + idxs[0]
            request_obj.reindexObject(idxs=idxs)
            self.assertExact()
        # without the metadata (processors.follow_service): the records and
        # the rows keep the old value, which the export shows
        request_obj.member_name = "Jamais dans les métadonnées"
        request_obj.reindexObject(idxs=["allowedRolesAndUsers"], update_metadata=False)
        brains = self.assertExact()
        self.assertNotIn(
            "Jamais dans les métadonnées", queue_export.csv_export(brains).decode()
        )

    def test_the_services_group_followed(self):
        # the assignee outside the new group: reindexed with the metadata;
        # the others without (processors.follow_service)
        self.filed[1].assignee = "agent.accueil"
        self.filed[1].reindexObject()
        service = self.services["rendez-vous-passeport-cni"]
        service.agents_group = "agents-voirie"
        processors.follow_service(service)
        self.assertEqual(self.filed[1].assignee, "")
        self.assertExact()

    def test_edits(self):
        self.filed[2].due_date = date(2020, 1, 6)
        self.filed[2].member_name = '=HYPERLINK("http://evil")'
        self.filed[2].reindexObject()
        self.filed[3].requester_name = "Quelqu'un d'autre"
        self.filed[3].due_date = None
        self.filed[3].reindexObject()
        self.assertExact()
        queue.update_rows_metadata(self.filed[0])
        household = households.household_of("jerome.attente")
        household.title = "Foyer clôturé"
        queue.household_closed(AccountClosed(household))
        self.assertExact()

    def test_deletion(self):
        rid = self.catalog.getrid("/".join(self.filed[5].getPhysicalPath()))
        api.content.delete(self.filed[5], check_linkintegrity=False)
        processQueue()
        self.assertNotIn(rid, catalog_rows.projection(self.catalog)[0])
        self.assertExact()

    def test_rename_and_move(self):
        api.content.rename(self.filed[4], new_id="renamed-request")
        self.assertExact()
        api.content.move(self.filed[1], self.portal["demandes"])
        self.assertExact()

    def test_clear_find_and_rebuild(self):
        count = len(self.request_rids())
        self.catalog.clearFindAndRebuild()
        self.assertExact()
        self.assertEqual(len(self.request_rids()), count)

    def test_catalog_cleared(self):
        self.catalog.manage_catalogClear()
        self.assertEqual(len(catalog_rows.projection(self.catalog)[0]), 0)
        self.assertEqual(catalog_rows.stale(self.catalog), [])
        for obj in self.filed:
            obj.reindexObject()
        self.assertExact(minimum=len(self.filed))

    def test_columns_removed_and_added(self):
        # a column not projected: every record rewritten, the rows unchanged
        self.catalog.delColumn("conversation_summary")
        self.catalog.addColumn("conversation_summary")
        self.assertExact()
        # a projected one added again (every record's value empty): made again
        rows = catalog_rows.projection(self.catalog)[0]
        self.catalog._catalog._old_delColumn("service_title")
        self.catalog._catalog.addColumn("service_title")
        self.assertIsNot(catalog_rows.projection(self.catalog)[0], rows)
        self.assertExact()
        # removed: no projection, the export reads the metadata
        self.catalog.delColumn("member_name")
        self.assertFalse(export_rows.installed(self.catalog))
        self.assertIsNone(export_rows.reader(queue.search(queue.Filters())))


class TestStaleRowsAreSeen(ExportRowsTestCase):
    def test_a_stale_row_fails_the_checks(self):
        """What the tests above would see of a row not kept: ``stale`` names
        it and the CSV differs."""
        catalog = self.catalog._catalog
        request_obj = self.filed[2]
        path = "/".join(request_obj.getPhysicalPath())
        request_obj.member_name = "Changé sans la projection"
        # ZCatalog's own method, not the patch: the record alone changes
        wrapper = queryMultiAdapter((request_obj, self.catalog), IIndexableObject)
        catalog._old_updateMetadata(wrapper, path, catalog.uids[path])
        self.assertEqual(catalog_rows.stale(self.catalog), [catalog.uids[path]])
        brains = queue.search(queue.Filters())
        with mock.patch.object(export_rows, "reader", return_value=None):
            from_metadata = queue_export.csv_export(brains)
        self.assertNotEqual(queue_export.csv_export(brains), from_metadata)
        # made again from the metadata: exact
        catalog_rows.fill(self.catalog)
        self.assertExact()

    def test_a_missing_or_left_over_row_is_seen(self):
        rows = catalog_rows.projection(self.catalog)[0]
        rid = min(rows.keys())
        row = rows[rid]
        del rows[rid]
        self.assertEqual(catalog_rows.stale(self.catalog), [rid])
        rows[rid] = row
        rows[123] = row
        self.assertEqual(catalog_rows.stale(self.catalog), [123])


class TestGuards(ExportRowsTestCase):
    def test_other_catalogs_untouched(self):
        other = ZCatalog("other")
        other.addColumn("portal_type")
        other.catalog_object(self.filed[0], "some/path")
        other.uncatalog_object("some/path")
        other.manage_catalogClear()
        self.assertIsNone(catalog_rows.projection(other))
        self.assertFalse(hasattr(other._catalog, catalog_rows.ROWS))

    def test_without_the_projection_the_metadata(self):
        brains = queue.search(queue.Filters())
        before = queue_export.csv_export(brains)
        catalog_rows.uninstall(self.catalog)
        self.assertIsNone(catalog_rows.projection(self.catalog))
        # nothing kept any more
        self.filed[0].reindexObject()
        processQueue()
        self.assertIsNone(catalog_rows.projection(self.catalog))
        brains = queue.search(queue.Filters())
        self.assertIsNone(export_rows.reader(brains))
        self.assertEqual(queue_export.csv_export(brains), before)

    def test_uninstall_profile_removes_it(self):
        self.portal.portal_setup.runAllImportStepsFromProfile(
            "profile-illkirch.eservices:uninstall"
        )
        self.assertIsNone(catalog_rows.projection(self.catalog))


class TestUpgrade1020(ExportRowsTestCase):
    def test_rows_made_from_the_metadata(self):
        catalog_rows.uninstall(self.catalog)
        processing.fire(self.filed[1], "mark_complete", "Complet")
        assignment.assign(self.filed[2], "admin")
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1019")
        savepoints = []
        with (
            mock.patch.object(v1020_export_rows, "BATCH", 10),
            mock.patch.object(
                v1020_export_rows.transaction,
                "savepoint",
                side_effect=lambda optimistic: savepoints.append(optimistic),
            ),
        ):
            setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))
        self.assertGreater(len(savepoints), 1)  # the records read in batches
        self.assertExact(minimum=len(self.filed))
        # no request woken up: made from the records (run again)
        with mock.patch.object(Catalog, "recordify", side_effect=AssertionError):
            export_rows.install(self.catalog)
        self.assertExact()


class TestDatesAsSeconds(ExportRowsTestCase):
    def rows(self):
        processQueue()
        return catalog_rows.projection(self.catalog)[0]

    def test_a_rows_date_is_its_records_seconds(self):
        catalog = self.catalog._catalog
        at = export_rows.COLUMNS.index("created")
        rows = self.rows()
        self.assertEqual(len(rows), len(self.request_rids()))
        for rid, row in rows.items():
            created = catalog.data[rid][catalog.schema["created"]]
            self.assertIsInstance(created, DateTime)
            self.assertIs(type(row[at]), float)
            self.assertEqual(row[at], created.timeTime())
            self.assertFalse(any(isinstance(value, DateTime) for value in row))
        self.assertExact(minimum=len(self.filed))

    def upgrade_from_1020(self):
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1020")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(
            setup.getLastVersionForProfile(PROFILE),
            (setup.getVersionForProfile(PROFILE),),
        )

    def test_upgrade_1021_makes_the_rows_of_1020_again(self):
        # the rows as upgrade 1020 made them: the records' DateTimes
        with mock.patch.object(catalog_rows, "compact", side_effect=lambda v: v):
            catalog_rows.fill(self.catalog)
        self.assertTrue(v1021_export_rows_seconds.made_before(self.catalog))
        self.assertNotEqual(catalog_rows.stale(self.catalog), [])
        self.upgrade_from_1020()
        self.assertFalse(v1021_export_rows_seconds.made_before(self.catalog))
        self.assertExact(minimum=len(self.filed))

    def test_upgrade_1021_leaves_rows_of_seconds(self):
        rows = self.rows()
        with mock.patch.object(catalog_rows, "fill", side_effect=AssertionError):
            self.upgrade_from_1020()
        self.assertIs(catalog_rows.projection(self.catalog)[0], rows)
        self.assertExact(minimum=len(self.filed))

    def test_upgrade_1021_installs_a_missing_projection(self):
        catalog_rows.uninstall(self.catalog)
        self.assertTrue(v1021_export_rows_seconds.made_before(self.catalog))
        self.upgrade_from_1020()
        self.assertExact(minimum=len(self.filed))


class TestReadingReleases(ExportRowsTestCase):
    def test_rows_released_every_hundred(self):
        processQueue()
        brains = queue.search(queue.Filters())
        connection = self.portal._p_jar
        cache = connection._cache
        before = {oid for oid, _obj in cache.lru_items()}
        read = export_rows.reader(brains)
        answers = catalog_reading.in_record_order(
            brains, lambda row: row.request_number, connection, 2, stored=read
        )
        self.assertEqual(answers, [brain.request_number for brain in brains])
        self.assertEqual({oid for oid, _obj in cache.lru_items()} - before, set())

"""The agents' queue « Guichet » (requests/queue.py): who sees what, the
filters and their errors, late requests counted in business days, sorting,
counts per status, assignment, transitions in bulk, the CSV export."""

from datetime import date
from datetime import timedelta
from illkirch.eservices import business_days
from illkirch.eservices import history
from illkirch.eservices.accounts import households
from illkirch.eservices.requests import assignment
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import queue
from illkirch.eservices.requests import queue_export
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login
from plone.app.testing import logout
from unittest import mock

import csv
import io
import unittest


def person(household, member_type):
    return next(p for p in household.persons() if p.member_type == member_type)


class QueueTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        services = self.portal["demarches"]
        self.periscolaire = services["inscription-periscolaire"]
        self.passport = services["rendez-vous-passeport-cni"]
        self.signalement = services["signalement-voie-publique"]
        amelie = households.household_of("amelie.lire")
        jerome = households.household_of("jerome.attente")
        login(self.portal, "amélie.lire")
        self.leo = submission.submit(
            self.periscolaire,
            dict(PERISCOLAIRE_ANSWERS),
            member_id=person(amelie, "child").getId(),
            by_post=True,
        )
        self.amelie = submission.submit(
            self.passport,
            dict(PASSPORT_ANSWERS),
            member_id=person(amelie, "adult").getId(),
        )
        login(self.portal, "jérôme.attente")
        self.street = submission.submit(self.signalement, dict(SIGNALEMENT_ANSWERS))
        self.jerome = submission.submit(
            self.passport,
            dict(PASSPORT_ANSWERS),
            member_id=person(jerome, "adult").getId(),
        )
        self.mailhost.reset()
        login(self.portal, "agent.accueil")

    def numbers(self, brains):
        return [brain.request_number for brain in brains]

    def found(self, **form):
        filters = queue.parse(form, queue.queue_services())
        return set(self.numbers(queue.search(filters)))

    def errors(self, **form):
        with self.assertRaises(queue.QueueError) as info:
            queue.parse(form, queue.queue_services())
        return info.exception.errors

    def set_due(self, request_obj, due):
        request_obj.due_date = due
        request_obj.reindexObject()

    def fire(self, request_obj, *transitions):
        for transition in transitions:
            processing.fire(request_obj, transition, "Message")


class TestWhoSeesWhat(QueueTestCase):
    def test_an_agent_sees_the_queues_of_their_groups(self):
        mine = {self.leo.number, self.amelie.number, self.jerome.number}
        self.assertEqual(self.found() & {self.street.number, *mine}, mine)
        groups = {s.agents_group for s in queue.queue_services()}
        self.assertLessEqual(groups, {"agents-enfance", "agents-population"})
        self.assertIn(self.periscolaire, queue.queue_services())
        self.assertNotIn(self.signalement, queue.queue_services())
        login(self.portal, "agent.voirie")
        self.assertEqual(self.found(), {self.street.number})
        self.assertEqual(queue.queue_services(), [self.signalement])

    def test_a_manager_sees_every_request(self):
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        self.assertLessEqual(
            {
                self.leo.number,
                self.amelie.number,
                self.street.number,
                self.jerome.number,
            },
            self.found(),
        )
        self.assertEqual(len(queue.queue_services()), len(queue.all_services()))

    def test_an_agent_cannot_filter_on_another_groups_service(self):
        self.assertEqual(
            set(self.errors(service="signalement-voie-publique")), {"service"}
        )

    def test_a_citizen_only_ever_gets_her_household(self):
        login(self.portal, "amélie.lire")
        household = households.household_of("amelie.lire")
        self.assertFalse(queue.may_use_guichet())

        def listing(**form):
            filters = queue.parse(
                form, queue.visible_services(), allowed=queue.CITIZEN_PARAMETERS
            )
            return set(self.numbers(queue.household_search(household, filters)))

        self.assertEqual(listing(), {self.leo.number, self.amelie.number})
        self.assertEqual(
            listing(service="rendez-vous-passeport-cni"), {self.amelie.number}
        )
        self.assertEqual(listing(number=self.jerome.number), set())
        self.assertEqual(listing(number=self.leo.number), {self.leo.number})
        today = processing.today().isoformat()
        self.assertEqual(
            listing(**{"from": today, "to": today}),
            {self.leo.number, self.amelie.number},
        )
        self.assertEqual(listing(to="2020-01-01"), set())
        self.assertEqual(
            listing(review_state="submitted"), {self.leo.number, self.amelie.number}
        )
        self.assertEqual(listing(review_state="complete"), set())
        by_number = [self.leo.number, self.amelie.number]
        filters = queue.parse(
            {"sort_on": "number"},
            queue.visible_services(),
            allowed=queue.CITIZEN_PARAMETERS,
        )
        self.assertEqual(
            self.numbers(queue.household_search(household, filters)), by_number
        )
        filters = queue.parse(
            {}, queue.visible_services(), allowed=queue.CITIZEN_PARAMETERS
        )
        self.assertEqual(
            self.numbers(queue.household_search(household, filters)), by_number[::-1]
        )  # newest first
        # the agents' parameters are ignored, never widen anything
        self.assertEqual(
            listing(q="jérôme", assignee="none"), {self.leo.number, self.amelie.number}
        )
        self.assertEqual(queue.household_search(None, queue.Filters()), [])


class TestFilters(QueueTestCase):
    def test_service_status_number(self):
        self.assertEqual(
            self.found(service="inscription-periscolaire"), {self.leo.number}
        )
        self.assertEqual(
            self.found(service=self.passport.UID()),
            {self.amelie.number, self.jerome.number},
        )
        self.fire(self.jerome, "mark_complete")
        self.assertEqual(self.found(review_state="complete"), {self.jerome.number})
        self.assertEqual(
            self.found(service=self.passport.UID(), review_state="submitted"),
            {self.amelie.number},
        )
        self.assertEqual(self.found(number=f" {self.leo.number} "), {self.leo.number})
        self.assertEqual(self.found(number=self.street.number), set())

    def test_names_all_words_accents_and_case_ignored(self):
        self.assertEqual(
            self.found(q="LÉO lire"), {self.leo.number, self.amelie.number}
        )
        self.assertEqual(self.found(q="jerome"), {self.jerome.number})
        self.assertEqual(self.found(q="Attente Amélie"), set())

    def test_dates(self):
        today = processing.today()
        everything = self.found()
        self.assertEqual(self.found(**{"from": today.isoformat()}), everything)
        self.assertEqual(self.found(to=today.strftime("%d/%m/%Y")), everything)
        self.assertEqual(self.found(to=(today - timedelta(days=1)).isoformat()), set())
        tomorrow = (today + timedelta(days=1)).isoformat()
        self.assertEqual(self.found(**{"from": tomorrow}), set())

    def test_assigned_to_me_and_not_assigned(self):
        assignment.assign(self.leo, "me")
        self.assertEqual(self.found(assignee="me"), {self.leo.number})
        self.assertNotIn(self.leo.number, self.found(assignee="none"))
        self.assertIn(self.amelie.number, self.found(assignee="none"))
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        self.assertEqual(self.found(assignee="agent.accueil"), {self.leo.number})

    def test_errors_on_bad_input(self):
        errors = self.errors(
            service="nope",
            review_state="lost",
            to="31/02/2026",
            late="maybe",
            sort_on="colour",
            sort_order="up",
        )
        self.assertEqual(
            set(errors),
            {"service", "review_state", "to", "late", "sort_on", "sort_order"},
        )
        self.assertEqual(
            set(self.errors(**{"from": "2026-12-01", "to": "2026-11-01"})), {"to"}
        )
        self.assertEqual(
            set(self.errors(review_state=["submitted", "complete"])), {"review_state"}
        )
        filters = queue.parse(
            {"from": "01/11/2026", "late": "on", "sort_on": "due"},
            queue.queue_services(),
        )
        self.assertEqual(filters.date_from, date(2026, 11, 1))
        self.assertTrue(filters.late)
        self.assertEqual(filters.sort_order, "ascending")
        self.assertEqual(
            filters.params(),
            {
                "from": "2026-11-01",
                "late": "1",
                "sort_on": "due",
                "sort_order": "ascending",
            },
        )


class TestLate(QueueTestCase):
    def test_late_counts_business_days_around_good_friday(self):
        # Filed on Thursday 2 April 2026 with one business day: Good Friday
        # (Alsace), the week-end and Easter Monday are not working days.
        due = business_days.add_business_days(date(2026, 4, 2), 1)
        self.assertEqual(due, date(2026, 4, 7))
        self.set_due(self.leo, due)
        self.set_due(self.amelie, date(2026, 4, 6))
        self.set_due(self.jerome, date(2026, 4, 6))
        self.fire(self.jerome, "mark_complete", "accept")  # no longer waiting
        with mock.patch.object(processing, "today", return_value=date(2026, 4, 7)):
            self.assertEqual(self.found(late="1"), {self.amelie.number})
            rows = queue.Rows()
            [brain] = queue.search(
                queue.parse({"number": self.leo.number}, queue.queue_services())
            )
            self.assertFalse(rows.row(brain)["late"])
        with mock.patch.object(processing, "today", return_value=date(2026, 4, 8)):
            self.assertEqual(
                self.found(late="1"), {self.leo.number, self.amelie.number}
            )
            self.assertEqual(self.found(late="1", review_state="accepted"), set())
            self.assertTrue(processing.is_late(self.leo))
            self.assertFalse(processing.is_late(self.jerome))


class TestSortAndCounts(QueueTestCase):
    def sorted_numbers(self, **form):
        mine = {self.leo.number, self.amelie.number, self.jerome.number}
        brains = queue.search(queue.parse(form, queue.queue_services()))
        return [n for n in self.numbers(brains) if n in mine]

    def test_sorts(self):
        by_filing = [self.leo.number, self.amelie.number, self.jerome.number]
        self.assertEqual(self.sorted_numbers(), by_filing[::-1])  # newest first
        self.assertEqual(
            self.sorted_numbers(sort_on="date", sort_order="ascending"), by_filing
        )
        self.assertEqual(self.sorted_numbers(sort_on="number"), by_filing)
        self.assertEqual(
            self.sorted_numbers(sort_on="number", sort_order="descending"),
            by_filing[::-1],
        )
        self.set_due(self.leo, date(2026, 12, 20))
        self.set_due(self.amelie, date(2026, 12, 1))
        self.set_due(self.jerome, None)  # no due date: last, still listed
        self.assertEqual(
            self.sorted_numbers(sort_on="due"),
            [self.amelie.number, self.leo.number, self.jerome.number],
        )
        self.fire(self.leo, "mark_complete")
        self.fire(self.jerome, "ask_documents")
        self.assertEqual(
            self.sorted_numbers(sort_on="status"),  # workflow order
            [self.amelie.number, self.jerome.number, self.leo.number],
        )

    def test_counts_per_status_with_the_other_filters(self):
        self.fire(self.jerome, "mark_complete")
        filters = queue.parse({"review_state": "complete"}, queue.queue_services())
        counts = queue.counts(filters)
        self.assertEqual(set(counts), set(processing.STATES))
        self.assertGreaterEqual(counts["submitted"], 2)
        self.assertEqual(counts["complete"], 1)
        filters = queue.parse(
            {"service": "inscription-periscolaire"}, queue.queue_services()
        )
        self.assertEqual(queue.counts(filters)["submitted"], 1)
        self.assertEqual(queue.counts(filters)["complete"], 0)


class TestCountsAndPages(QueueTestCase):
    def test_counts_are_those_of_a_search_per_status(self):
        self.fire(self.jerome, "mark_complete")
        self.fire(self.leo, "ask_documents")
        self.set_due(self.amelie, date(2020, 1, 6))
        for form in (
            {},
            {"review_state": "complete"},
            {"late": "1"},
            {"service": "rendez-vous-passeport-cni"},
            {"q": "lire"},
            {"number": self.leo.number},
            {"assignee": "none"},
        ):
            filters = queue.parse(form, queue.queue_services())
            expected = {
                state: len(queue.search(filters, review_state=state))
                for state in processing.STATES
            }
            self.assertEqual(queue.counts(filters), expected, form)
        self.assertEqual(
            queue.counts(queue.parse({}, queue.queue_services()))["complete"], 1
        )
        late = queue.counts(queue.parse({"late": "1"}, queue.queue_services()))
        self.assertGreaterEqual(late["submitted"], 1)
        self.assertEqual(late["complete"], 0)

    def test_a_page_of_the_sorted_queue(self):
        """The catalog returns the page asked for only, the total beside."""
        filters = queue.parse({"sort_on": "number"}, queue.queue_services())
        everything = self.numbers(queue.search(filters))
        page = queue.search(filters, page=(1, 1))
        self.assertEqual(page.actual_result_count, len(everything))
        from plone.batching import Batch

        self.assertEqual(self.numbers(Batch(page, 1, 1)), everything[1:2])
        filters = queue.parse({}, queue.queue_services())  # by date, newest first
        page = queue.search(filters, page=(0, 2))
        self.assertEqual(
            self.numbers(Batch(page, 2, 0)), sorted(everything, reverse=True)[:2]
        )

    def test_the_pagination_links_the_pages_around_the_current_one(self):
        from plone.batching import Batch

        view = self.portal.restrictedTraverse("@@guichet")
        view.filters = queue.Filters()
        for start, expected in (
            (100, [1, None, 9, 10, 11, 12, 13, None, 20]),
            (0, [1, 2, 3, None, 20]),
            (190, [1, None, 18, 19, 20]),
            (20, [1, 2, 3, 4, 5, None, 20]),
        ):
            view.batch = Batch(range(200), 10, start)
            pages = view.pages()
            self.assertEqual([page["number"] for page in pages], expected)
            current = [page for page in pages if not page["gap"] and page["current"]]
            self.assertEqual([page["number"] for page in current], [start // 10 + 1])
        view.batch = Batch(range(5), 10, 0)
        self.assertEqual(view.pages(), [])


class TestAssignment(QueueTestCase):
    def add_agent(self, userid, group):
        api.user.create(
            email=f"{userid}@illkirch.example",
            username=userid,
            password="Agent-Secret-2026",
            properties={"fullname": "Zoé Agent"},
        )
        api.group.add_user(groupname=group, username=userid)

    def test_assign_to_oneself_then_unassign(self):
        self.assertTrue(assignment.assign(self.leo, "me"))
        self.assertEqual(self.leo.assignee, "agent.accueil")
        [brain] = queue.search(
            queue.parse({"number": self.leo.number}, queue.queue_services())
        )
        self.assertEqual(brain.assignee, "agent.accueil")
        self.assertFalse(assignment.assign(self.leo, "agent.accueil"))  # no change
        entry = history.entries(self.leo)[-1]
        self.assertEqual(
            (entry["action"], entry["actor"]), ("assigned", "agent.accueil")
        )
        self.assertEqual(entry["text"], "Claire Guichet (agent)")
        self.assertTrue(assignment.assign(self.leo, None))
        self.assertEqual(self.leo.assignee, "")
        self.assertEqual(history.entries(self.leo)[-1]["action"], "unassigned")
        self.assertEqual(self.mailhost.messages, [])  # the citizen is not told

    def test_only_to_an_agent_of_the_services_group(self):
        self.add_agent("zoe.agent", "agents-enfance")
        self.assertTrue(assignment.assign(self.leo, "zoe.agent"))
        self.assertEqual(self.leo.assignee, "zoe.agent")
        self.assertIn(
            {"id": "zoe.agent", "name": "Zoé Agent"}, assignment.assignable(self.leo)
        )
        for userid in ("agent.voirie", "amelie.lire", "nobody"):
            with self.assertRaises(queue.QueueError) as info:
                assignment.assign(self.leo, userid)
            self.assertEqual(info.exception.errors, {"assignee": queue.NOT_IN_GROUP})
        # zoe processes periscolaire, not passports
        with self.assertRaises(queue.QueueError):
            assignment.assign(self.amelie, "zoe.agent")

    def test_only_its_processors_may_assign(self):
        for user in ("agent.voirie", "amélie.lire"):
            login(self.portal, user)
            with self.assertRaises(queue.QueueError) as info:
                assignment.assign(self.leo, "me")
            self.assertEqual(info.exception.errors, {"assignee": queue.NOT_PROCESSOR})
        self.assertEqual(self.leo.assignee, "")
        login(self.portal, "agent.accueil")
        self.fire(self.leo, "mark_complete", "accept", "close")
        with self.assertRaises(queue.QueueError):  # closed: nobody processes it
            assignment.assign(self.leo, "me")


class TestBulk(QueueTestCase):
    def test_one_transition_one_comment_mixed_outcome(self):
        self.fire(self.jerome, "mark_complete")
        self.mailhost.reset()
        uids = [
            self.leo.UID(),
            self.amelie.UID(),
            self.jerome.UID(),
            self.street.UID(),
            "0" * 32,
            self.leo.UID(),
        ]
        result = assignment.bulk_fire(uids, "mark_complete", "Dossier complet.")
        self.assertEqual(
            [obj.number for obj in result.done], [self.leo.number, self.amelie.number]
        )
        refused = {item["uid"]: item for item in result.refused}
        self.assertEqual(
            list(refused), [self.jerome.UID(), self.street.UID(), "0" * 32]
        )
        self.assertEqual(refused[self.jerome.UID()]["number"], self.jerome.number)
        # another group's request is "not found", as a missing one
        self.assertEqual(refused[self.street.UID()]["number"], "")
        self.assertEqual(
            refused[self.street.UID()]["message"], refused["0" * 32]["message"]
        )
        self.assertEqual(processing.state(self.leo), "complete")
        self.assertEqual(processing.state(self.jerome), "complete")
        self.assertEqual(processing.state(self.street), "submitted")
        self.assertEqual(history.entries(self.leo)[-1]["text"], "Dossier complet.")
        self.assertEqual(len(self.mailhost.messages), 2)

    def test_refused_before_anything_is_done(self):
        uids = [self.leo.UID()]
        for transition, comment, key in (
            ("reject", "", "comment"),
            ("resubmit", "x", "transition"),
            ("", "x", "transition"),
        ):
            with self.assertRaises(queue.QueueError) as info:
                assignment.bulk_fire(uids, transition, comment)
            self.assertEqual(set(info.exception.errors), {key})
        too_many = [str(i) for i in range(queue.MAX_BULK + 1)]
        for uids in ([], "", [None], ["  "], too_many):
            with self.assertRaises(queue.QueueError):
                assignment.bulk_fire(uids, "mark_complete")
        self.assertEqual(processing.state(self.leo), "submitted")

    def test_a_citizen_gets_nothing(self):
        login(self.portal, "amélie.lire")
        result = assignment.bulk_fire([self.leo.UID()], "mark_complete")
        self.assertEqual(result.done, [])
        self.assertEqual(processing.state(self.leo), "submitted")
        logout()
        result = assignment.bulk_assign([self.leo.UID()], "me")
        self.assertEqual(result.done, [])

    def test_assign_in_bulk(self):
        result = assignment.bulk_assign(
            [self.leo.UID(), self.jerome.UID(), self.street.UID()], "me"
        )
        self.assertEqual(
            {o.number for o in result.done}, {self.leo.number, self.jerome.number}
        )
        self.assertEqual([r["uid"] for r in result.refused], [self.street.UID()])
        self.assertEqual(
            self.found(assignee="me"), {self.leo.number, self.jerome.number}
        )


class TestCSV(QueueTestCase):
    def test_export_reads_back_in_a_spreadsheet_dialect(self):
        assignment.assign(self.leo, "me")
        self.set_due(self.amelie, date(2020, 1, 6))
        self.amelie.member_name = '=HYPERLINK("http://evil")'
        self.amelie.reindexObject()
        filters = queue.parse({"sort_on": "number"}, queue.queue_services())
        data = queue_export.csv_export(queue.search(filters))
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(
            rows[0],
            [
                "Numéro",
                "Démarche",
                "Date",
                "Personne concernée",
                "Demandeur",
                "Statut",
                "Échéance",
                "En retard",
                "Assignée à",
            ],
        )
        by_number = {row[0]: row for row in rows[1:]}
        self.assertNotIn(self.street.number, by_number)
        leo = by_number[self.leo.number]
        self.assertEqual(leo[1], "Inscription périscolaire")
        self.assertEqual(leo[2], processing.today().strftime("%d/%m/%Y"))
        self.assertEqual(leo[3], "Léo Lire")
        self.assertEqual(leo[4], "Amélie Lire")
        self.assertEqual(leo[5], "En cours")
        self.assertEqual(leo[6], self.leo.due_date.strftime("%d/%m/%Y"))
        self.assertEqual(leo[7], "Non")
        self.assertEqual(leo[8], "Claire Guichet (agent)")
        amelie = by_number[self.amelie.number]
        self.assertEqual(amelie[3], '\'=HYPERLINK("http://evil")')  # no formula
        self.assertEqual((amelie[6], amelie[7], amelie[8]), ("06/01/2020", "Oui", ""))
        self.assertEqual(
            queue_export.csv_filename(), f"guichet-{processing.today().isoformat()}.csv"
        )

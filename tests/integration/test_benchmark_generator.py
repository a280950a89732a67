"""The benchmark data generator (``benchmarks/generate.py``): what it
creates, the request numbers, the accounts, resuming, and objects made as
the portal's own code makes them."""

from Acquisition import aq_base
from collections import Counter
from DateTime import DateTime
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.login import resolve_login
from illkirch.eservices.billing import invoices as billing
from illkirch.eservices.billing.basket import BASKET_KEY
from illkirch.eservices.business_days import TIMEZONE
from illkirch.eservices.conversation import store
from illkirch.eservices.drafts import expiry
from illkirch.eservices.drafts import store as drafts_store
from illkirch.eservices.history import entries
from illkirch.eservices.official_documents import decisions
from illkirch.eservices.official_documents import pdf
from illkirch.eservices.official_documents import receipts
from illkirch.eservices.official_documents import store as documents_store
from illkirch.eservices.requests import answers
from illkirch.eservices.requests import civil_status
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import numbering
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import processors
from illkirch.eservices.requests import queue
from illkirch.eservices.requests import submission
from illkirch.eservices.requests import tracking
from illkirch.eservices.requests.attachments import sniff
from illkirch.eservices.site_storage import site_btree
from illkirch.eservices.statistics import recording
from illkirch.eservices.statistics import store as aggregates
from illkirch.eservices.statistics.rebuild import rebuild
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.testing.statistics import snapshot
from Missing import MV
from pathlib import Path
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import TEST_USER_ID
from plone.app.testing import login
from plone.app.testing import logout
from plone.indexer.interfaces import IIndexableObject
from Products.CMFCore.indexing import processQueue
from unittest import mock
from zope.annotation.interfaces import IAnnotations
from zope.component import queryMultiAdapter

import importlib
import importlib.util
import sys
import transaction
import unittest


HOUSEHOLDS = 3


def load_generator():
    """The package ``benchmarks/generator`` (benchmarks/ is not on the path)."""
    folder = Path(__file__).resolve().parents[2] / "benchmarks" / "generator"
    spec = importlib.util.spec_from_file_location(
        "generator", folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules["generator"] = package
    spec.loader.exec_module(package)


load_generator()
absent_values = importlib.import_module("generator.absent_values")
batches = importlib.import_module("generator.batches")
context = importlib.import_module("generator.context")
dashboard = importlib.import_module("generator.dashboard")
drafts = importlib.import_module("generator.drafts")
manifest = importlib.import_module("generator.manifest")
patches = importlib.import_module("generator.patches")
plan_households = importlib.import_module("generator.plan_households")
plan_requests = importlib.import_module("generator.plan_requests")
write_households = importlib.import_module("generator.write_households")


def savepoint():
    transaction.savepoint(optimistic=True)


def of_type(household, portal_type):
    return [obj for obj in household.objectValues() if obj.portal_type == portal_type]


class PlanTestCase(unittest.TestCase):
    """The plans, computed before anything is written."""

    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.now = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)

    def context(self, seed=2026):
        return context.Context(self.portal, seed, self.now, SITE_OWNER_NAME)

    def test_a_household_depends_on_the_seed_and_its_index_only(self):
        ctx = self.context()
        with patches.cached_service_forms():
            plan = plan_households.plan_household(ctx, 7)
            self.assertEqual(plan_households.plan_household(self.context(), 7), plan)
            self.assertNotEqual(plan_households.plan_household(ctx, 8), plan)
            self.assertNotEqual(
                plan_households.plan_household(self.context(2027), 7), plan
            )
            self.assertEqual(
                plan_requests.plan_anonymous(self.context(), 3),
                plan_requests.plan_anonymous(ctx, 3),
            )

    def test_answers_the_add_on_accepts(self):
        """The answers of many households' and account-less requests pass
        the checks of a submission on the day they were filed."""
        ctx = self.context()
        with patches.cached_service_forms():
            requests = [
                request
                for index in range(40)
                for request in plan_households.plan_household(ctx, index).requests
            ]
            requests += [plan_requests.plan_anonymous(ctx, j) for j in range(10)]
        self.assertEqual(
            {r.service.id for r in requests},
            set(self.portal["demarches"].objectIds()) & set(ctx.services),
        )
        for request in requests:
            service = request.service.obj
            values, errors = answers.validate(service, request.answers)
            self.assertEqual(errors, {}, request.service.id)
            self.assertEqual(
                civil_status.check(service, values, request.submitted.date()),
                {},
                request.service.id,
            )
            times = [request.submitted] + [step[1] for step in request.steps]
            self.assertEqual(times, sorted(times))
            self.assertLess(times[-1], self.now)


class GeneratorTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.started = DateTime()
        renders = pdf.RENDERS["count"]
        self.totals = self.run_generator(HOUSEHOLDS)
        self.renders = pdf.RENDERS["count"] - renders
        self.state = batches.checkpoint(self.portal, 2026)
        folder = self.portal["foyers"]
        self.households = [
            folder[self.state["households"][i]] for i in range(HOUSEHOLDS)
        ]

    def run_generator(self, count):
        return batches.generate(
            self.portal,
            count,
            seed=2026,
            batch=2,
            progress=False,
            commit=savepoint,
            importer_id=SITE_OWNER_NAME,
        )

    def catalog(self, **query):
        return self.portal.portal_catalog.unrestrictedSearchResults(**query)

    def test_counts(self):
        self.assertEqual(self.totals["households"], HOUSEHOLDS)
        self.assertEqual(self.totals["mails"], 0)
        self.assertEqual(self.mailhost.messages, [])
        persons = sum(len(of_type(h, "Person")) for h in self.households)
        self.assertEqual(persons, self.totals["persons"])
        for household in self.households:
            self.assertEqual(api.content.get_state(household), "validated")
            # made in the past, dates and creators as the portal leaves them
            for obj in [household, *household.objectValues()]:
                self.assertLess(obj.modified(), self.started)
                brain = self.catalog(UID=obj.UID())[0]
                if obj.portal_type == "Invoice":
                    # catalogued in the indexes its queries use only (#22):
                    # no ``modified`` column, its date of issue instead
                    self.assertEqual(brain.getId, obj.getId())
                    self.assertEqual(brain.review_state, api.content.get_state(obj))
                else:
                    self.assertEqual(brain.modified, obj.modified())
                self.assertNotIn(TEST_USER_ID, obj.creators)
            self.assertTrue(1 <= len(of_type(household, "Person")) <= 5)
            self.assertEqual(len(of_type(household, "Request")), 6)
            self.assertEqual(len(of_type(household, "Invoice")), 15)
            # the catalog knows them, as the citizen's pages ask it
            path = "/".join(household.getPhysicalPath())
            self.assertEqual(len(self.catalog(portal_type="Request", path=path)), 6)
            self.assertEqual(len(processing.household_requests(household)), 6)
            self.assertTrue(billing.household_invoices(household, "unpaid"))
        folder = "/".join(self.portal["demandes"].getPhysicalPath())
        anonymous = self.catalog(portal_type="Request", path=folder)
        self.assertEqual(len(anonymous), plan_requests.anonymous_count(HOUSEHOLDS))

    def test_catalog_entries_as_plone_indexes_them(self):
        """What the generator's patches (``generator/patches.py``: values
        read once, the parents' local roles read once per batch, the schemas
        and the missing fields remembered) let the catalog store equals
        what Plone's own indexing stores for the same objects, index by
        index and column by column, the security index in the same order."""
        catalog = self.portal.portal_catalog
        objects = [self.portal["demandes"][n] for n in self.portal["demandes"]]
        for household in self.households:
            objects += [household, *household.objectValues()]
        for obj in objects:
            path = "/".join(obj.getPhysicalPath())
            generated = (
                catalog.getIndexDataForUID(path),
                catalog.getMetadataForUID(path),
            )
            catalog.uncatalog_object(path)
            catalog.catalog_object(obj, path)  # the portal's code, unpatched
            self.assertEqual(
                generated,
                (catalog.getIndexDataForUID(path), catalog.getMetadataForUID(path)),
                path,
            )
            roles = generated[0]["allowedRolesAndUsers"]
            if obj.portal_type != "Request" or obj.member_id:
                self.assertIn(f"user:{obj.getOwnerTuple()[1]}", roles, path)

    def test_absent_values_skipped_as_the_indexes_leave_them(self):
        """``generator/absent_values.py``: each index it does not call for a
        new document, because the object has no value for it, is one whose
        own ``index_object`` leaves it as it is for such a document (its
        counter increased when ``no_value_skipped`` says so), and each
        column it fills with ``Missing.Value`` is one ``recordify`` would
        have read as missing."""
        catalog = self.portal.portal_catalog
        inner = catalog._catalog
        skipped = absent_values.no_value_skipped()
        rid = 1
        while rid in inner.paths:
            rid += 1
        objects = [self.portal["demandes"][n] for n in self.portal["demandes"]]
        for household in self.households:
            objects += [household, *household.objectValues()]
        seen = Counter()
        sources = {
            source
            for name in inner.indexes.keys()
            for source in inner.getIndex(name).getIndexSourceNames()
        }
        with patches.indexing_read_once():
            # twice: the second pass knows what the first found absent
            for obj in objects + objects:
                wrapper = queryMultiAdapter((obj, catalog), IIndexableObject)
                for name in list(inner.indexes.keys()):
                    index = inner.getIndex(name)
                    counted = skipped.get(type(aq_base(index)))
                    if counted is None or not all(
                        patches.known_absent(wrapper, source)
                        for source in index.getIndexSourceNames()
                    ):
                        continue
                    seen[obj.portal_type, name] += 1
                    before = (index.getCounter(), index.numObjects(), len(index))
                    result = index.index_object(rid, wrapper)
                    self.assertEqual(bool(result), counted, name)
                    self.assertIsNone(index.getEntryForObject(rid), name)
                    self.assertEqual(
                        (index.getCounter(), index.numObjects(), len(index)),
                        (before[0] + counted, *before[1:]),
                        name,
                    )
                for name in inner.names:
                    if patches.known_absent(wrapper, name):
                        seen[obj.portal_type, "column"] += 1
                        self.assertIs(getattr(wrapper, name, MV), MV, name)
                # then every name read, as the catalog reads them
                for name in {*inner.names, *sources}:
                    getattr(wrapper, name, None)
        # most of an invoice's indexes and columns are skipped
        self.assertGreater(seen["Invoice", "Subject"], 0)
        self.assertGreater(seen["Invoice", "request_number"], 0)
        self.assertGreater(seen["Invoice", "column"], 30 * seen["Invoice", "Subject"])
        self.assertGreater(seen["Payment", "invoice_number"], 0)
        self.assertEqual(seen["Invoice", "invoice_number"], 0)

    def test_garbage_collector_left_as_found(self):
        """``patches.fewer_collections`` (frozen generations, thresholds)
        leaves Python's collector as it found it; a run that adds a
        household goes through it and ``settle_collections``."""
        import gc

        before = (gc.get_threshold(), gc.get_freeze_count())
        self.assertEqual(self.run_generator(HOUSEHOLDS + 1)["households"], 1)
        self.assertEqual((gc.get_threshold(), gc.get_freeze_count()), before)

    def test_batch_figures(self):
        """``generate(log=…)`` (``generate.py --batch-log``) is given one
        line of figures per batch: what it did, its times, its reads from
        the storage and its records, as JSON."""
        import json

        lines = []
        totals = batches.generate(
            self.portal,
            HOUSEHOLDS + 2,
            seed=2026,
            batch=2,
            progress=False,
            commit=savepoint,
            importer_id=SITE_OWNER_NAME,
            log=lines.append,
        )
        self.assertEqual(totals["households"], 2)
        self.assertEqual(len(lines), 1)
        figures = json.loads(json.dumps(lines[0]))
        self.assertEqual(figures["done"], HOUSEHOLDS + 2)
        self.assertEqual(figures["households"], 2)
        # the objects of two households and their catalog entries, stored
        self.assertGreater(figures["stores"], 2 * 100)
        self.assertGreater(figures["cached"], 0)
        for name in ("seconds", "cpu_write", "cpu_index", "cpu_store"):
            self.assertGreaterEqual(figures[name], 0, name)
        self.assertGreater(figures["cpu_write"] + figures["cpu_index"], 0)
        for name in ("loads_writing", "loads_indexing", "gc_seconds", "gc_full"):
            self.assertGreaterEqual(figures[name], 0, name)
        # each batch's garbage is collected once, fully (settle_collections)
        self.assertGreaterEqual(figures["gc_full"], 1)

    def test_the_statistics_count_the_generated_town_as_a_recount_does(self):
        """The aggregates kept for the generated objects (statistics/
        rebuild.count_*) equal a full recount, and the Guichet's counts
        read from them equal the catalog's."""
        from illkirch.eservices.statistics import rebuild
        from illkirch.eservices.statistics import store as statistics_store

        kept = snapshot()
        by_state = {}
        for brain in self.catalog(portal_type="Request"):
            by_state[brain.review_state] = by_state.get(brain.review_state, 0) + 1
        kept_states = {}
        for (_service, state), count in kept[0].items():
            kept_states[state] = kept_states.get(state, 0) + count
        self.assertEqual(kept_states, by_state)
        self.assertIn(statistics_store.DECIDED, {fact[0] for _day, fact in kept[1]})
        rebuild.rebuild(self.portal)
        self.assertEqual(snapshot(), kept)

    def test_half_of_the_invoices_paid_by_card(self):
        for household in self.households:
            invoices = of_type(household, "Invoice")
            paid = [i for i in invoices if api.content.get_state(i) == "paid"]
            self.assertIn(len(paid), (7, 8))
            payments = {p.getId(): p for p in of_type(household, "Payment")}
            for invoice in paid:
                payment = payments[invoice.payment_reference]
                self.assertEqual(payment.status, "paid")
                self.assertIn(invoice.UID(), payment.invoice_uids)
                self.assertEqual(invoice.paid_cents, invoice.total_cents)
            unpaid_ville = [
                i
                for i in billing.household_invoices(household, "unpaid")
                if i.regie == "ville"
            ]
            self.assertTrue(unpaid_ville)
        regies = {i.regie for h in self.households for i in of_type(h, "Invoice")}
        self.assertEqual(regies, {"ville", "ccas"})

    def test_request_numbers_unique_and_the_counter_goes_on(self):
        numbers = [
            brain.request_number for brain in self.catalog(portal_type="Request")
        ]
        self.assertEqual(len(numbers), len(set(numbers)))
        for number in numbers:
            year, sequence = numbering.parse_number(number)
            self.assertLessEqual(sequence, numbering.last_number(year))
        # A request filed now through the portal takes a fresh number.
        holder = self.households[0].holder_id
        login(self.portal, api.user.get(userid=holder).getUserName())
        service = self.portal["demarches"]["signalement-voie-publique"]
        request = submission.submit(service, dict(SIGNALEMENT_ANSWERS))
        logout()
        year = numbering.submission_year()
        self.assertEqual(
            request.number, numbering.format_number(year, numbering.last_number(year))
        )
        self.assertNotIn(request.number, numbers)

    def test_requests_answers_states_and_dates(self):
        now = datetime.now(UTC)
        states = set()
        for household in self.households:
            for request in of_type(household, "Request"):
                service = api.content.get(UID=request.service_uid)
                raw = answers.raw_of(request.answers)
                values, errors = answers.validate(service, raw)
                self.assertEqual(errors, {})
                today = processing.today()
                self.assertEqual(civil_status.check(service, values, today), {})
                self.assertLess(request.submitted, now)
                self.assertEqual(request.created().asdatetime(), request.submitted)
                self.assertEqual(request.modified(), request.created())
                history = entries(request)
                self.assertEqual(history[0]["action"], "submitted")
                self.assertEqual(history[-1]["state"], processing.state(request))
                states.add(processing.state(request))
        self.assertIn("closed", states)

    def test_requests_official_documents(self):
        """Every request has its receipt, and its decision when the agents
        accepted or refused it, as the queue's jobs store them (#18): the
        heading and file name of ``receipts`` and ``decisions``, issued
        after the event, in the index of codes; one PDF per kind."""
        folder = "/".join(self.portal["demandes"].getPhysicalPath())
        requests = [
            request
            for household in self.households
            for request in of_type(household, "Request")
        ] + [
            b._unrestrictedGetObject()
            for b in self.catalog(portal_type="Request", path=folder)
        ]
        codes = IAnnotations(self.portal)[documents_store.CODES_KEY]
        pdfs = {}
        outcomes = set()
        for request in requests:
            made = documents_store.documents(request)
            steps = [
                entry
                for entry in request.workflow_history["request_workflow"]
                if entry["action"] in decisions.OUTCOMES
            ]
            self.assertEqual(
                [d.kind for d in made],
                [documents_store.RECEIPT] + [documents_store.DECISION] * len(steps),
            )
            receipt, *decided = made
            self.assertEqual(receipt.heading, receipts.heading(request))
            self.assertEqual(receipt.filename, f"recepisse-{request.number}.pdf")
            issued = datetime.fromisoformat(receipt.issued)
            self.assertGreaterEqual(issued, request.submitted.replace(microsecond=0))
            self.assertLess(issued, request.submitted + timedelta(minutes=1))
            for document, entry in zip(decided, steps, strict=True):
                when = entry["time"].asdatetime().astimezone(UTC)
                facts = {
                    "transition": entry["action"],
                    "decided": when.isoformat(timespec="seconds"),
                }
                self.assertEqual(document.heading, decisions.heading(request, facts))
                self.assertEqual(document.filename, f"decision-{request.number}.pdf")
                issued = datetime.fromisoformat(document.issued)
                self.assertGreaterEqual(issued, when.replace(microsecond=0))
                self.assertLess(issued, when + timedelta(minutes=1))
                outcomes.add(entry["action"])
            for document in made:
                data = document.data()
                self.assertTrue(data.startswith(b"%PDF-"))
                self.assertEqual(document.size, len(data))
                self.assertEqual(document.sha256, documents_store.digest(data))
                self.assertEqual(document.file.filename, document.filename)
                pdfs.setdefault(document.kind, set()).add(document.sha256)
                self.assertEqual(
                    codes[document.code_digest], (request.UID(), document.id)
                )
            self.assertLess(made[-1].issued, self.started.asdatetime().isoformat())
        self.assertEqual(outcomes, {"accept", "reject"})
        # one real PDF per kind, rendered once by the generation
        self.assertEqual(
            {kind: len(sums) for kind, sums in pdfs.items()},
            {"receipt": 1, "decision": 1},
        )
        self.assertEqual(self.renders, 3)  # with the payment certificate

    def test_login_resolves_to_the_household(self):
        pas = self.portal.acl_users
        for household in self.households:
            userid = household.holder_id
            name = pas.source_users.getLoginForUserId(userid)
            self.assertIn(".", name)
            self.assertEqual(resolve_login(pas, name), name)
            self.assertTrue(
                pas.source_users.authenticateCredentials(
                    {"login": name, "password": write_households.PASSWORD}
                )
            )
            self.assertEqual(households.household_of(userid), household)
            login(self.portal, name)
            self.assertEqual(households.current_household(), household)
            logout()

    def test_tracking_codes_of_the_manifest(self):
        made = manifest.build_manifest(self.portal, HOUSEHOLDS, 2026, 1.0)
        self.assertGreaterEqual(len(made["status_lookups"]), 5)
        for lookup in made["status_lookups"]:
            request = tracking.lookup(lookup["number"], lookup["code"], "127.0.0.1")
            self.assertEqual(request.number, lookup["number"])
        self.assertEqual(len(made["citizens"]), HOUSEHOLDS)
        self.assertTrue(made["agents"])
        for agent in made["agents"]:
            login(self.portal, agent["login"])
            service = self.portal["demarches"][agent["service"]]
            filters = queue.parse(
                {"service": service.getId(), "review_state": agent["status"]},
                queue.queue_services(),
            )
            self.assertTrue(queue.search(filters))
            logout()

    def test_rerun_creates_nothing_more(self):
        before = len(self.catalog())
        totals = self.run_generator(HOUSEHOLDS)
        self.assertEqual(totals["households"], 0)
        self.assertEqual(totals["skipped"], HOUSEHOLDS)
        self.assertEqual(len(self.catalog()), before)
        # a larger run only adds the missing households
        self.assertEqual(self.run_generator(HOUSEHOLDS + 1)["households"], 1)
        folder = "/".join(self.portal["demandes"].getPhysicalPath())
        self.assertEqual(
            len(self.catalog(portal_type="Request", path=folder)),
            plan_requests.anonymous_count(HOUSEHOLDS + 1),
        )

    def test_unfinished_household_is_made_again(self):
        """A household left without its checkpoint is removed and redone."""
        self.state["done"].remove(1)
        household_id = self.households[1].getId()
        login_name = api.user.get(userid=self.households[1].holder_id).getUserName()
        self.assertEqual(self.run_generator(HOUSEHOLDS)["households"], 1)
        redone = self.portal["foyers"][household_id]
        self.assertEqual(len(of_type(redone, "Request")), 6)
        user = api.user.get(userid=redone.holder_id)
        self.assertEqual(user.getUserName(), login_name)

    def test_conversation_of_household_0(self):
        """One household in 20 (here the first) has a conversation of 50
        messages on one request, in turn, 5 internal notes, a few read
        marks, dated in the past; the catalog counts them."""
        conversations = [
            request
            for household in self.households
            for request in of_type(household, "Request")
            if store.get(request) is not None
        ]
        (request,) = conversations
        self.assertEqual(request.aq_parent, self.households[0])
        self.assertEqual(self.totals["messages"], 50)
        messages = store.messages(request, store.AGENT)
        self.assertEqual(len(messages), 50)
        holder = self.households[0].holder_id
        self.assertEqual(
            [m.side for m in messages[:4]],
            [store.CITIZEN, store.AGENT, store.CITIZEN, store.AGENT],
        )
        self.assertTrue(all(m.author == holder for m in messages[::2]))
        internal = [m for m in messages if m.internal]
        self.assertEqual(len(internal), 5)
        self.assertTrue(all(m.side == store.AGENT for m in internal))
        agents = {m.author for m in messages if m.side == store.AGENT}
        (group,) = processors.processor_groups(request)
        members = self.portal.portal_groups.getGroupMembers(group)
        self.assertTrue(agents <= set(members), (agents, group))
        self.assertEqual(len(store.messages(request, store.CITIZEN)), 45)
        times = [m.time for m in messages]
        self.assertEqual(times, sorted(times))
        self.assertGreater(times[0], request.submitted.isoformat())
        self.assertLess(times[-1], datetime.now(UTC).isoformat())
        # read marks: the citizen up to the 40th message, the answering agent
        # up to the 45th: both have unread messages (dated in the past)
        unread = store.unread(request, holder, store.CITIZEN)
        self.assertEqual(len(unread), 4)
        answering = messages[1].author
        self.assertEqual(len(store.unread(request, answering, store.AGENT)), 2)
        for message in messages:
            for moment in message.read_by.values():
                self.assertLess(moment, datetime.now(UTC).isoformat())
        (brain,) = self.catalog(UID=request.UID())
        self.assertEqual(brain.conversation_summary, store.summary(request))
        self.assertEqual(
            store.unread_count(brain.conversation_summary, holder, store.CITIZEN), 4
        )
        self.assertEqual(len(self.catalog(conversation_size=50)), 1)

    def test_manifest_conversations_and_drafts(self):
        made = manifest.build_manifest(self.portal, HOUSEHOLDS, 2026, 1.0)
        (item,) = made["conversations"]
        request = self.portal.unrestrictedTraverse(item["path"])
        self.assertEqual(request.number, item["number"])
        self.assertEqual(item["messages"], {"citizen": 45, "agent": 50})
        self.assertEqual(
            item["last_text"]["citizen"], store.messages(request, "citizen")[-1].text
        )
        # the citizen and the agent see the page
        for login_name in (item["login"], item["agent_login"]):
            login(self.portal, login_name)
            self.assertTrue(api.user.has_permission("View", obj=request))
            logout()
        # no household 10 here: no drafts, and the manifest says why
        self.assertEqual(
            made["drafts"],
            {
                "per_household": 5,
                "citizens": [],
                "not_measured": drafts.NO_HOUSEHOLD,
            },
        )

    def generated_requests(self):
        return [
            brain._unrestrictedGetObject()
            for brain in self.catalog(portal_type="Request")
        ]

    def test_statistics_aggregates_are_the_catalogs(self):
        """#19: the generator fires none of the events that keep the
        aggregates; once the households are written they are rebuilt from
        the content: the requests per service and status are the catalog's,
        each request is filed on its day, each decision of the histories
        counted on its day; the Guichet's counts are read from them."""
        requests = self.generated_requests()
        self.assertEqual(
            aggregates.status_counts(),
            dict(Counter((r.service_uid, api.content.get_state(r)) for r in requests)),
        )
        days = (date(2000, 1, 1), date.today() + timedelta(days=1))
        filed = Counter()
        for day, fact, count in aggregates.facts(*days, aggregates.FILED):
            filed[(day, fact[1])] += count
        self.assertEqual(
            filed,
            Counter((recording.filing_day(r), r.service_uid) for r in requests),
        )
        decided = Counter()
        for day, fact, count in aggregates.facts(*days, aggregates.DECIDED):
            decided[(day, fact[1], fact[3])] += count
        expected = Counter(
            (
                recording.local_day(entry["time"]),
                r.service_uid,
                recording.DECISIONS[entry["action"].removeprefix("transition_")],
            )
            for r in requests
            for entry in entries(r)
            if entry["action"] in ("transition_accept", "transition_reject")
        )
        self.assertTrue(expected)
        self.assertEqual(decided, expected)
        # a year of filings and decisions for the dashboard to show
        year = (date.today() - timedelta(days=365), date.today())
        self.assertTrue(list(aggregates.facts(*year, aggregates.FILED)))
        self.assertTrue(list(aggregates.facts(*year, aggregates.DECIDED)))
        # the Guichet of a Manager: every request, counted from the aggregates
        by_state = Counter(api.content.get_state(r) for r in requests)
        utility = queue.status_counts_utility()
        self.assertIsNotNone(utility)
        kept = utility.counts(None)
        self.assertEqual({s: n for s, n in kept.items() if n}, dict(by_state))
        login(self.portal.aq_parent, SITE_OWNER_NAME)
        counted = queue.counts(queue.Filters(), scope=None)
        logout()
        self.assertEqual({s: n for s, n in counted.items() if n}, dict(by_state))
        self.assertGreater(self.totals["statistics_seconds"], 0)

    def test_statistics_equal_a_rebuild(self):
        """What the generation leaves is what a recount finds, and a rerun
        (nothing more written) rebuilds the same aggregates."""

        generated = snapshot()
        self.assertTrue(generated[1])
        rebuild(self.portal)
        self.assertEqual(snapshot(), generated)
        self.run_generator(HOUSEHOLDS)
        self.assertEqual(snapshot(), generated)

    def test_statistics_supervisor_in_the_manifest(self):
        """The dashboard is measured as a Supervisor « Responsable » the
        generator creates once, for the year of the generation's reference
        time."""
        made = manifest.build_manifest(self.portal, HOUSEHOLDS, 2026, 1.0)
        statistics = made["statistics"]
        self.assertIsNone(statistics["not_measured"])
        self.assertEqual(
            statistics["year"],
            datetime.fromisoformat(self.state["now"]).astimezone(TIMEZONE).year,
        )
        (supervisor,) = statistics["supervisors"]
        pas = self.portal.acl_users
        self.assertTrue(pas.source_users.authenticateCredentials(supervisor))
        user = api.user.get(username=supervisor["login"])
        self.assertIn("Supervisor", api.user.get_roles(user=user, obj=self.portal))
        self.assertTrue(
            api.user.has_permission(
                "illkirch.eservices: View statistics", user=user, obj=self.portal
            )
        )
        self.run_generator(HOUSEHOLDS)  # a rerun keeps the one account
        self.assertEqual(
            [u for u in pas.source_users.getUserIds() if u == dashboard.SUPERVISOR_ID],
            [dashboard.SUPERVISOR_ID],
        )

    def test_drafts_of_household_10(self):
        """One household in 20 (10, 30 …) has 5 drafts of a request to the
        service of its latest request, stored by the add-on's drafts store
        as the wizard keeps them, the holder's, saved in the last days (no
        reminder, no expiry yet); its citizen is in the manifest and its
        Accueil lists them."""
        totals = self.run_generator(11)
        self.assertEqual(totals["drafts"], 5)
        state = batches.checkpoint(self.portal, 2026)
        self.assertEqual(dict(state["drafts"]), {10: 5})
        household = self.portal["foyers"][state["households"][10]]
        ctx = context.Context(
            self.portal, 2026, datetime.fromisoformat(state["now"]), SITE_OWNER_NAME
        )
        with patches.cached_service_forms():
            plan = plan_households.plan_household(ctx, 10)
        service = plan.requests[-1].service.obj
        earlier = drafts.latest_request(household, service)
        raw = answers.raw_of(earlier.answers)
        made = drafts_store.drafts_of(household)
        self.assertEqual(len(made), 5)
        step_ids = {step.id for step in forms.steps(service)} | {"envoi"}
        now = datetime.now(UTC)
        for draft in made:
            self.assertEqual(draft.service_uid, service.UID())
            self.assertEqual(draft.owner, household.holder_id)
            self.assertEqual(draft.member, earlier.member_id)
            self.assertIn(draft.step, step_ids)
            self.assertTrue(draft.answers)
            for name, value in draft.answers.items():
                self.assertEqual(value, raw[name])
            self.assertEqual(
                drafts_store.check_answers(service, dict(draft.answers))[1], {}
            )
            self.assertLess(draft.created, draft.modified)
            self.assertLess(draft.modified, self.started.asdatetime())
            self.assertGreater(draft.modified, now - timedelta(days=6))
            self.assertIs(drafts_store.get(household, draft.id), draft)
            index = site_btree(drafts_store.INDEX_KEY)
            self.assertEqual(index[draft.id], household.UID())
        # the most advanced one keeps a small PDF for the first document
        kept = [f for d in made for f in d.files]
        if service.documents():
            (pdf,) = kept
            (with_file,) = [d for d in made if d.files]
            most = max(len(d.answers) for d in made)
            self.assertEqual(len(with_file.answers), most)
            self.assertEqual(pdf.document, service.documents()[0].getId())
            self.assertEqual(sniff(pdf.data()), "application/pdf")
        else:
            self.assertEqual(kept, [])
        # neither expired nor reminded by the daily task
        self.assertEqual(expiry.run(), {"expired": 0, "reminded": 0})
        self.assertEqual(len(drafts_store.drafts_of(household)), 5)
        # the manifest gives its citizen, whose Accueil lists the 5 drafts
        made = manifest.build_manifest(self.portal, 11, 2026, 1.0)
        login_name = api.user.get(userid=household.holder_id).getUserName()
        self.assertEqual(
            made["drafts"],
            {"per_household": 5, "citizens": [login_name], "not_measured": None},
        )
        login(self.portal, login_name)
        section = self.portal.restrictedTraverse("@@demandes-en-cours-de-saisie")()
        logout()
        self.assertEqual(section.count("@@supprimer-brouillon?brouillon="), 5)
        self.assertIn(service.Title(), section)

    def test_drafts_skipped_without_the_store(self):
        """An add-on without drafts store (older than the drafts): nothing is
        written, the reason is kept and given by the manifest."""
        plan = plan_households.plan_household(
            context.Context(self.portal, 2026, datetime.now(UTC), SITE_OWNER_NAME), 10
        )
        self.assertTrue(drafts.has_drafts(plan.index))
        with mock.patch.object(drafts, "STORE", "illkirch.eservices.drafts.absent"):
            self.assertIsNone(drafts.drafts_store())
            with self.assertRaises(drafts.DraftsUnavailable) as unavailable:
                drafts.add_drafts(self.households[0], plan.requests[-1].service.obj, 5)
            self.assertEqual(str(unavailable.exception), "drafts not available")
            self.assertEqual(
                batches.write_drafts(self.state, self.households[0], plan), 0
            )
        self.assertEqual(self.state["drafts_unavailable"], "drafts not available")
        self.assertNotIn("drafts", self.state)
        self.assertEqual(drafts_store.drafts_of(self.households[0]), [])
        made = manifest.build_manifest(self.portal, HOUSEHOLDS, 2026, 1.0)
        self.assertEqual(made["drafts"]["not_measured"], "drafts not available")


class SameAsThePortalTestCase(unittest.TestCase):
    maxDiff = None
    """Generated objects hold what the add-on's own code stores."""

    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        batches.generate(
            self.portal,
            1,
            seed=2026,
            batch=1,
            progress=False,
            commit=savepoint,
            importer_id=SITE_OWNER_NAME,
        )
        state = batches.checkpoint(self.portal, 2026)
        self.generated = self.portal["foyers"][state["households"][0]]

    def shape(self, obj, holder):
        """What is stored, with the people's ids replaced by their part."""

        def who(principal):
            return {holder: "holder", SITE_OWNER_NAME: "importer"}.get(
                principal, "group" if principal.startswith("agents-") else principal
            )

        history = getattr(obj, "workflow_history", {})
        return {
            "attributes": sorted(
                k
                for k in vars(obj)
                if not k.startswith(("_v_", "_p_")) and not k.endswith("_Permission")
            ),
            "permissions": sorted(
                (k, v) for k, v in vars(obj).items() if k.endswith("_Permission")
            ),
            "local_roles": sorted((who(p), tuple(r)) for p, r in obj.get_local_roles()),
            "creators": [who(c) for c in obj.creators],
            "owner": who(obj.getOwnerTuple()[1]) if obj.getOwnerTuple() else None,
            # the basket, once emptied by a checkout, stays
            "annotations": sorted(set(IAnnotations(obj)) - {BASKET_KEY}),
            "workflow": {wf: sorted(entries[-1]) for wf, entries in history.items()},
        }

    def assertSameIndexData(self, generated, real, *names):
        """The catalog holds the same indexes and metadata for both, with the
        same values for the security, state and type indexes and ``names``."""
        processQueue()
        catalog = self.portal.portal_catalog
        mine, theirs = (
            catalog.getIndexDataForUID("/".join(o.getPhysicalPath()))
            for o in (generated, real)
        )
        self.assertEqual(sorted(mine), sorted(theirs))
        for name in (
            "allowedRolesAndUsers",
            "review_state",
            "service_uid",
            "portal_type",
            *names,
        ):
            self.assertEqual(mine[name], theirs[name])

    def assertSameShape(self, generated, real, holder, real_holder, optional=()):
        mine, theirs = self.shape(generated, holder), self.shape(real, real_holder)
        for shape in (mine, theirs):
            shape["attributes"] = [a for a in shape["attributes"] if a not in optional]
        self.assertEqual(mine, theirs)

    def assertSameDocuments(self, generated, real):
        """The same issued documents (kinds in order, attributes, heading
        keys, file name pattern, a PDF), each in the index of codes."""

        def shape(obj):
            return [
                (
                    d.kind,
                    sorted(vars(d)),
                    sorted(d.heading),
                    d.filename.replace(obj.number, "<number>"),
                    d.file.contentType,
                    d.data()[:5],
                )
                for d in documents_store.documents(obj)
            ]

        self.assertEqual(shape(generated), shape(real))
        self.assertTrue(shape(real))
        codes = IAnnotations(self.portal)[documents_store.CODES_KEY]
        for document in documents_store.documents(generated):
            self.assertEqual(
                codes[document.code_digest], (generated.UID(), document.id)
            )

    def real_household(self):
        """A household registered (anonymous), then validated by an agent."""
        from illkirch.eservices.accounts import validation

        pas = self.portal.acl_users
        pas.source_users.addUser("zoe.reelle", "zoé.réelle", write_households.PASSWORD)
        user = api.user.get(userid="zoe.reelle")
        user.setMemberProperties({"email": "zoe@example.org", "fullname": "Zoé Réelle"})
        api.user.grant_roles(user=user, roles=["Member"])
        logout()
        household = households.create_household(
            "zoe.reelle",
            "Zoé Réelle",
            {
                "street": "1 rue Krafft",
                "postal_code": "67400",
                "city": "Illkirch-Graffenstaden",
                "contact_preference": "email",
                "mobile": "06 11 22 33 44",
            },
            [
                {
                    "member_type": "adult",
                    "civility": "mme",
                    "first_name": "Zoé",
                    "last_name": "Réelle",
                    "birth_date": datetime(1990, 1, 2).date(),
                    "relationship": "holder",
                    "email": "zoe@example.org",
                }
            ],
        )
        login(self.portal, "agent.accueil")
        validation.validate(household, "ILK-REEL", "Justificatif vérifié.")
        logout()
        return household

    def test_household_and_person(self):
        real = self.real_household()
        holder = self.generated.holder_id
        self.assertSameShape(
            self.generated,
            real,
            holder,
            "zoe.reelle",
            optional=("address_complement", "phone", "mobile"),
        )
        person = next(
            p for p in of_type(self.generated, "Person") if p.relationship == "holder"
        )
        self.assertSameShape(
            person,
            of_type(real, "Person")[0],
            holder,
            "zoe.reelle",
            optional=("phone", "birth_place"),
        )

    def test_request(self):
        holder = self.generated.holder_id
        login(self.portal, api.user.get(userid=holder).getUserName())
        service = self.portal["demarches"]["signalement-voie-publique"]
        real = submission.submit(service, dict(SIGNALEMENT_ANSWERS))
        logout()
        login(self.portal, "agent.voirie")
        for transition in ("mark_complete", "accept", "close"):
            processing.fire(real, transition)
        logout()
        generated = next(
            r
            for r in of_type(self.generated, "Request")
            if r is not real  # filed in the same household
            and r.service_uid == service.UID()
            and processing.state(r) == "closed"
            and not r.assignee
            and store.get(r) is None  # its conversation: conversation.store's own
        )
        self.assertSameShape(
            generated,
            real,
            holder,
            holder,
            optional=("tracking_digest", "requester_phone"),
        )
        self.assertSameIndexData(generated, real, "request_assignee")
        self.assertSameDocuments(generated, real)

    def test_account_less_request(self):
        """A civil-status request filed without an account, then processed
        by the agents who processed the generated one."""
        from illkirch.eservices.accounts import captcha
        from illkirch.eservices.accounts import registration

        generated = next(
            r
            for r in self.portal["demandes"].objectValues()
            if "resubmit"
            not in [e["action"] for e in r.workflow_history["request_workflow"]]
        )
        service = api.content.get(UID=generated.service_uid)
        logout()
        token = registration.new_captcha()
        real = submission.submit(
            service,
            answers.raw_of(generated.answers),
            requester={
                "first_name": "Paul",
                "last_name": "Martin",
                "email": "paul.martin@example.org",
                "phone": "",
            },
            captcha={
                "token": token,
                "answer": captcha.answer_for(registration.captcha_secret(), token),
            },
        )
        for entry in generated.workflow_history["request_workflow"][1:]:
            login(self.portal, api.user.get(userid=entry["actor"]).getUserName())
            processing.fire(real, entry["action"], entry["comments"])
            logout()
        self.assertEqual(processing.state(real), processing.state(generated))
        self.assertSameShape(generated, real, "", "", optional=("assignee",))
        self.assertSameIndexData(generated, real, "Creator")
        self.assertSameDocuments(generated, real)

    def test_invoice_and_payment(self):
        from illkirch.eservices.billing import basket
        from illkirch.eservices.billing import importer
        from illkirch.eservices.payments import checkout
        from illkirch.eservices.payments import notification
        from urllib.parse import urlencode

        household = self.generated
        holder = household.holder_id
        login(self.layer["app"], SITE_OWNER_NAME)
        today = datetime.now().date().isoformat()
        importer.import_file(
            "regie;numero;compte_facturation;domaine;beneficiaire;periode;"
            "date_emission;date_echeance;libelle;quantite;prix_unitaire\n"
            f"ville;V-REEL-1;{household.billing_account};Périscolaire;Léo;05/2026;"
            f"{today};;Restauration scolaire;12;4,50\n"
        )
        logout()
        real = household["facture-ville-v-reel-1"]
        login(self.portal, api.user.get(userid=holder).getUserName())
        basket.add(household, real.UID())
        payment, _url = checkout.start(
            household, "http://nowhere/ret", checkout.notify_url_base()
        )
        logout()
        notification.handle(
            payment.getId(),
            urlencode(
                {
                    "transaction_id": payment.transaction_id,
                    "signed": "1",
                    "ok": "1",
                    "amount": f"{real.total_cents / 100:.2f}",
                }
            ),
        )
        generated = next(
            i
            for i in of_type(household, "Invoice")
            if api.content.get_state(i) == "paid" and i is not real
        )
        self.assertSameShape(generated, real, holder, holder)
        mine = next(
            p
            for p in of_type(household, "Payment")
            if p.status == "paid" and p is not payment
        )
        self.assertSameShape(mine, payment, holder, holder)

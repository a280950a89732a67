"""What « Mon espace → Accueil » reads, in the domain packages: the invoices
to pay and the latest ones (``billing.overview``), the requests awaiting the
citizen, those in progress and the most used services
(``requests.overview``), the account's notice
(``accounts.household_input.account_notice``); each from the household's
own catalog entries only."""

from datetime import date
from datetime import timedelta
from illkirch.eservices.accounts import household_input
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts import validation
from illkirch.eservices.accounts.household_input import ACCOUNT_TITLES
from illkirch.eservices.billing import overview as billing_overview
from illkirch.eservices.requests import overview as requests_overview
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from Products.CMFPlone.CatalogTool import CatalogTool
from unittest import mock
from zope.i18n import translate

import unittest


# The demo citizen's unpaid invoices of the window (demo/billing.py):
# 76,00 € + 60,00 € + 62,00 €; C-2026-0012 (unpaid) is older than the window.
AMELIE_UNPAID = {"V-2026-0412", "V-2026-0388", "C-2026-0093"}


def french(message):
    return translate(message, target_language="fr")


class DashboardReadsTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.amelie = households.household_of("amelie.lire")
        self.jerome = households.household_of("jerome.attente")
        self.services = self.portal["demarches"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)

    def file_periscolaire(self):
        login(self.portal, "amélie.lire")
        child = next(p for p in self.amelie.persons() if p.member_type == "child")
        return submission.submit(
            self.services["inscription-periscolaire"],
            raw_answers=dict(PERISCOLAIRE_ANSWERS),
            member_id=child.getId(),
            files=[
                {
                    "document": "attestation-dassurance-scolaire",
                    "filename": "assurance.pdf",
                    "data": pdf(),
                },
                {
                    "document": "carnet-de-vaccination",
                    "filename": "vaccins.png",
                    "data": image("PNG"),
                },
            ],
        )

    def file_signalement(self, account="amélie.lire"):
        login(self.portal, account)
        return submission.submit(
            self.services["signalement-voie-publique"],
            raw_answers=dict(SIGNALEMENT_ANSWERS),
            files=[],
        )

    def as_agent(self, request_obj, transition, comment=""):
        login(self.portal, "agent.accueil")
        processing.fire(request_obj, transition, comment)


class TestInvoices(DashboardReadsTestCase):
    def test_to_pay_total_and_due_dates(self):
        to_pay = billing_overview.to_pay(self.amelie)
        numbers = [invoice.number for invoice in to_pay["invoices"]]
        self.assertEqual(set(numbers), AMELIE_UNPAID)
        dues = [invoice.due_date for invoice in to_pay["invoices"]]
        self.assertEqual(dues, sorted(dues))  # the soonest due first
        self.assertEqual(to_pay["next_due"], dues[0])
        self.assertEqual(to_pay["total_cents"], 7600 + 6000 + 6200)
        self.assertEqual(to_pay["total"], "198,00\u00a0€")

    def test_to_pay_counts_what_is_still_due(self):
        invoice = next(
            i
            for i in billing_overview.to_pay(self.amelie)["invoices"]
            if i.number == "V-2026-0412"
        )
        invoice.paid_cents = 1600
        self.assertEqual(billing_overview.to_pay(self.amelie)["total_cents"], 18200)
        invoice.paid_cents = invoice.total_cents  # nothing left to pay
        to_pay = billing_overview.to_pay(self.amelie)
        self.assertNotIn("V-2026-0412", [i.number for i in to_pay["invoices"]])

    def test_nothing_to_pay_before_validation(self):
        to_pay = billing_overview.to_pay(self.jerome)
        self.assertEqual(to_pay["invoices"], [])
        self.assertEqual(to_pay["total_cents"], 0)
        self.assertIsNone(to_pay["next_due"])
        self.assertEqual(billing_overview.latest(self.jerome), [])

    def test_latest_paid_or_not_newest_first(self):
        latest = billing_overview.latest(self.amelie, count=10)
        numbers = [invoice.number for invoice in latest]
        # the window's invoices, paid or not; the older ones are left out
        self.assertEqual(
            set(numbers),
            AMELIE_UNPAID | {"C-2026-0061", "V-2026-0351"},
        )
        issued = [invoice.issue_date for invoice in latest]
        self.assertEqual(issued, sorted(issued, reverse=True))
        self.assertEqual(len(billing_overview.latest(self.amelie)), 3)

    def test_cancelled_invoices_are_not_listed(self):
        invoice = billing_overview.latest(self.amelie, count=1)[0]
        with api.env.adopt_roles(["Manager"]):
            api.content.transition(invoice, "cancel")
        self.assertNotIn(invoice, billing_overview.latest(self.amelie, count=10))
        self.assertNotIn(invoice, billing_overview.to_pay(self.amelie)["invoices"])

    def test_overdue(self):
        invoice = billing_overview.to_pay(self.amelie)["invoices"][0]
        due = invoice.due_date
        self.assertFalse(billing_overview.is_overdue(invoice, due))
        self.assertTrue(billing_overview.is_overdue(invoice, due + timedelta(days=1)))
        invoice.due_date = None
        self.assertFalse(billing_overview.is_overdue(invoice, date.today()))


class TestRequests(DashboardReadsTestCase):
    def test_incomplete_request_awaits_the_citizen_with_the_message(self):
        request_obj = self.file_periscolaire()
        self.assertEqual(requests_overview.awaiting_citizen(self.amelie), [])
        self.as_agent(
            request_obj, "ask_documents", "Merci de joindre le carnet de vaccination."
        )
        awaiting = requests_overview.awaiting_citizen(self.amelie)
        self.assertEqual(len(awaiting), 1)
        self.assertEqual(awaiting[0]["request"].number, request_obj.number)
        self.assertEqual(awaiting[0]["review_state"], "incomplete")
        question = awaiting[0]["question"]
        self.assertEqual(question["text"], "Merci de joindre le carnet de vaccination.")
        self.assertTrue(question["time"])
        # once the citizen has completed it, nothing awaits her
        login(self.portal, "amélie.lire")
        processing.fire(request_obj, "resubmit")
        self.assertEqual(requests_overview.awaiting_citizen(self.amelie), [])

    def test_the_last_question_is_shown(self):
        request_obj = self.file_periscolaire()
        self.as_agent(request_obj, "ask_documents", "Première question.")
        login(self.portal, "amélie.lire")
        processing.fire(request_obj, "resubmit")
        self.as_agent(request_obj, "ask_documents", "Seconde question.")
        (awaiting,) = requests_overview.awaiting_citizen(self.amelie)
        self.assertEqual(awaiting["question"]["text"], "Seconde question.")

    def test_in_progress_leaves_out_refused_and_closed(self):
        kept = self.file_periscolaire()
        refused = self.file_signalement()
        login(self.portal, "agent.voirie")
        processing.fire(refused, "mark_complete")
        processing.fire(refused, "reject", "Hors du territoire de la commune.")
        numbers = [b.request_number for b in requests_overview.in_progress(self.amelie)]
        self.assertEqual(numbers, [kept.number])
        self.as_agent(kept, "ask_documents", "Une pièce manque.")
        numbers = [b.request_number for b in requests_overview.in_progress(self.amelie)]
        self.assertEqual(numbers, [kept.number])  # incomplete: still in progress

    def test_households_see_their_own_requests_only(self):
        mine = self.file_periscolaire()
        self.as_agent(mine, "ask_documents", "Une pièce manque.")
        self.file_signalement("jérôme.attente")
        self.assertEqual(requests_overview.awaiting_citizen(self.jerome), [])
        theirs = [b.request_number for b in requests_overview.in_progress(self.jerome)]
        self.assertNotIn(mine.number, theirs)
        self.assertEqual(len(theirs), 1)

    def test_most_used_services_then_the_catalogue(self):
        catalogue = [s.getId() for s in submission.services()]
        first = [s.getId() for s, _n in requests_overview.most_used_services(None)]
        self.assertEqual(first, catalogue[:4])
        self.file_signalement()
        self.file_signalement()
        self.file_periscolaire()
        used = requests_overview.most_used_services(self.amelie)
        self.assertEqual(
            [(s.getId(), n) for s, n in used[:2]],
            [("signalement-voie-publique", 2), ("inscription-periscolaire", 1)],
        )
        self.assertEqual(len(used), 4)
        rest = [s.getId() for s, n in used[2:]]
        self.assertEqual(
            rest,
            [
                i
                for i in catalogue
                if i not in ("signalement-voie-publique", "inscription-periscolaire")
            ][:2],
        )

    def test_the_shortcuts_brains_say_what_the_services_say(self):
        # #22: Accueil and GET /@dashboard show the brains' metadata
        self.file_signalement()
        brains = requests_overview.most_used_service_brains(self.amelie)
        objects = requests_overview.most_used_services(self.amelie)
        self.assertEqual(len(brains), len(objects))
        for (brain, count), (service, number) in zip(brains, objects, strict=True):
            self.assertEqual(count, number)
            self.assertEqual(brain.getId, service.getId())
            self.assertEqual(brain.getURL(), service.absolute_url())
            self.assertEqual(brain.Title, service.Title())
            self.assertEqual(brain.Description, service.Description())

    def test_the_shortcuts_count_from_the_catalog(self):
        # #22: the requests' service is read on their catalog metadata,
        # no request is woken; the counts are the objects'
        self.file_signalement()
        self.file_signalement()
        self.file_periscolaire()
        expected = {}
        for brain in households.own_brains(self.amelie, "Request"):
            uid = brain.getObject().service_uid
            expected[uid] = expected.get(uid, 0) + 1
        with mock.patch.object(
            households, "own_object", side_effect=AssertionError("woken")
        ):
            brains = requests_overview.most_used_service_brains(self.amelie)
        counted = {brain.UID: count for brain, count in brains if count}
        self.assertEqual(counted, expected)
        self.assertEqual(sum(counted.values()), 3)

    def test_state_and_user_as_plone_api(self):
        # #22: without plone.api's checks, the same answers
        for household in (self.amelie, self.jerome):
            self.assertEqual(
                households.state(household), api.content.get_state(household)
            )
        login(self.portal, "amélie.lire")
        self.assertEqual(households.current_userid(), api.user.get_current().getId())
        logout()
        self.assertTrue(api.user.is_anonymous())
        self.assertIsNone(households.current_userid())

    def test_a_retracted_service_is_no_shortcut(self):
        self.file_signalement()
        with api.env.adopt_roles(["Manager"]):
            api.content.transition(
                self.services["signalement-voie-publique"], "retract"
            )
        used = [
            s.getId() for s, _n in requests_overview.most_used_services(self.amelie)
        ]
        self.assertNotIn("signalement-voie-publique", used)


class TestAccountNotice(DashboardReadsTestCase):
    def test_validated_account_has_no_notice(self):
        self.assertIsNone(household_input.account_notice(self.amelie))
        self.assertIsNone(household_input.account_notice(None))

    def test_pending_account_is_told_what_happens_next(self):
        notice = household_input.account_notice(self.jerome)
        self.assertEqual(notice["state"], "pending")
        self.assertEqual(french(notice["title"]), "Votre compte attend sa validation")
        self.assertEqual(french(notice["state_title"]), "En attente de validation")
        message = french(notice["message"])
        self.assertIn("2 jours ouvrés", message)
        self.assertIn("déposer des démarches", message)

    def test_suspended_account(self):
        login(self.portal, "agent.accueil")
        validation.suspend(self.amelie, "Pièce d'identité à vérifier.")
        notice = household_input.account_notice(self.amelie)
        self.assertEqual(notice["state"], "suspended")
        self.assertEqual(french(notice["title"]), french(ACCOUNT_TITLES["suspended"]))
        self.assertIn("suspendu", french(notice["message"]))


class TestCostAtScale(DashboardReadsTestCase):
    """The reads ask the catalog for the household's own entries (path,
    depth 1) and the services only: never for the town's requests or
    invoices by type or state."""

    def test_catalog_queries(self):
        request_obj = self.file_periscolaire()
        self.as_agent(request_obj, "ask_documents", "Une pièce manque.")
        login(self.portal, "amélie.lire")
        queries = []

        def spy(name):
            original = getattr(CatalogTool, name)

            def search(catalog, query=None, **kw):
                queries.append(dict(query or {}, **kw))
                return original(catalog, query, **kw)

            return search

        with (
            mock.patch.object(CatalogTool, "searchResults", spy("searchResults")),
            mock.patch.object(
                CatalogTool,
                "unrestrictedSearchResults",
                spy("unrestrictedSearchResults"),
            ),
        ):
            billing_overview.to_pay(self.amelie)
            billing_overview.latest(self.amelie)
            requests_overview.awaiting_citizen(self.amelie)
            requests_overview.in_progress(self.amelie)
            requests_overview.most_used_services(self.amelie)
            household_input.account_notice(self.amelie)
        self.assertTrue(queries)
        own = "/".join(self.amelie.getPhysicalPath())
        for query in queries:
            if "path" in query:
                self.assertEqual(query["path"], {"query": own, "depth": 1}, query)
                self.assertEqual(set(query), {"path"}, query)
            else:  # the catalogue of services
                self.assertIn("object_provides", query, query)
                self.assertNotIn("portal_type", query, query)
                self.assertNotIn("review_state", query, query)

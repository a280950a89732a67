"""The nightly purge (issue #16, retention): each kind of data is kept until
its period ends and deleted or anonymised the day after, with a frozen
clock; invoices and paid payments stay; a second run does nothing more; the
log and the last runs hold counts, never personal data."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from illkirch.eservices.accounts import captcha
from illkirch.eservices.accounts import credentials
from illkirch.eservices.accounts import password_reset
from illkirch.eservices.accounts import registration
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.accounts.pas import PLUGIN_ID
from illkirch.eservices.jobs import registry
from illkirch.eservices.limits import RATE_LIMITS_KEY
from illkirch.eservices.limits import RateLimit
from illkirch.eservices.requests import submission
from illkirch.eservices.requests import tracking
from illkirch.eservices.retention import periods
from illkirch.eservices.retention import purge
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import BIRTH_ANSWERS
from illkirch.eservices.testing.requests import PAUL_MARTIN
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.dexterity.utils import createContentInContainer
from plone.keyring.interfaces import IKeyManager
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtility

import time_machine
import unittest


T0 = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def months_after(when, months):
    return periods.add_months(when, months)


def solved_captcha():
    token = registration.new_captcha()
    return {
        "token": token,
        "answer": captcha.answer_for(registration.captcha_secret(), token),
    }


class PurgeTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        _mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.amelie = household_of("amelie.lire")
        self.jerome = household_of("jerome.attente")
        self.catalog = api.portal.get_tool("portal_catalog")
        # the site's own counters start empty (the demo's installation or
        # other tests of the layer may have left some)
        annotations = IAnnotations(self.portal)
        for key in (
            RATE_LIMITS_KEY,
            tracking.FAILURES_KEY,
            registration.USED_CAPTCHAS_KEY,
            password_reset.RESETS_KEY,
            credentials.EMAIL_CHANGES_KEY,
            purge.RUNS_KEY,
        ):
            annotations.pop(key, None)
        self.portal.acl_users[PLUGIN_ID]._failures.clear()
        self.addCleanup(logout)

    def run_at(self, when):
        with time_machine.travel(when, tick=False):
            return purge.run()

    def fire(self, obj, *transitions, comment=""):
        workflow = api.portal.get_tool("portal_workflow")
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        login(self.portal, TEST_USER_NAME)
        for transition in transitions:
            workflow.doActionFor(obj, transition, comment=comment)
        logout()

    def file_periscolaire(self):
        login(self.portal, "amélie.lire")
        child = next(p for p in self.amelie.persons() if p.member_type == "child")
        request_obj = submission.submit(
            self.portal["demarches"]["inscription-periscolaire"],
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
        logout()
        return request_obj

    def file_birth_act(self):
        logout()
        return submission.submit(
            self.portal["demarches"]["acte-de-naissance"],
            BIRTH_ANSWERS,
            requester=PAUL_MARTIN,
            captcha=solved_captcha(),
        )

    def found(self, **query):
        return len(self.catalog.unrestrictedSearchResults(**query))

    def exists(self, obj):
        return self.found(UID=obj.UID()) == 1

    # requests ----------------------------------------------------------------

    def test_closed_request_and_its_documents_deleted_after_the_period(self):
        with time_machine.travel(T0, tick=False):
            closed = self.file_periscolaire()
            open_ = self.file_periscolaire()
            self.fire(closed, "mark_complete", "accept", "close")
        self.assertEqual(len(closed.attachments), 2)
        number, uid = closed.number, closed.UID()
        end = months_after(T0, periods.REQUEST_MONTHS)

        counts = self.run_at(end - DAY)
        self.assertEqual(counts["requests"], 0)
        self.assertTrue(self.exists(closed))

        counts = self.run_at(end + DAY)
        self.assertEqual(counts["requests"], 1)
        self.assertEqual(counts["documents"], 2)
        self.assertNotIn(number, self.amelie.objectIds())
        self.assertEqual(self.found(UID=uid), 0)
        self.assertEqual(self.found(request_number=number), 0)
        self.assertEqual(self.found(SearchableText=number), 0)
        # a request still in progress is never purged, however old
        counts = self.run_at(T0 + timedelta(days=5 * 365))
        self.assertEqual(counts["requests"], 0)
        self.assertTrue(self.exists(open_))

    def test_service_period_replaces_the_default(self):
        service = self.portal["demarches"]["inscription-periscolaire"]
        service.retention_months = 24
        with time_machine.travel(T0, tick=False):
            request_obj = self.file_periscolaire()
            self.fire(request_obj, "mark_complete", "accept", "close")
        self.assertEqual(
            self.run_at(months_after(T0, periods.REQUEST_MONTHS) + DAY)["requests"], 0
        )
        self.assertEqual(self.run_at(months_after(T0, 24) - DAY)["requests"], 0)
        self.assertTrue(self.exists(request_obj))
        self.assertEqual(self.run_at(months_after(T0, 24) + DAY)["requests"], 1)

    def test_requests_of_a_deleted_service_keep_the_default_period(self):
        with time_machine.travel(T0, tick=False):
            request_obj = self.file_periscolaire()
            self.fire(request_obj, "mark_complete", "accept", "close")
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        login(self.portal, TEST_USER_NAME)
        api.content.delete(
            obj=self.portal["demarches"]["inscription-periscolaire"],
            check_linkintegrity=False,
        )
        logout()
        end = months_after(T0, periods.REQUEST_MONTHS)
        self.assertEqual(self.run_at(end - DAY)["requests"], 0)
        self.assertTrue(self.exists(request_obj))
        self.assertEqual(self.run_at(end + DAY)["requests"], 1)
        self.assertNotIn(request_obj.getId(), self.amelie.objectIds())

    def test_refused_civil_status_request_deleted_after_its_period(self):
        with time_machine.travel(T0, tick=False):
            request_obj = self.file_birth_act()
            self.fire(
                request_obj, "mark_complete", "reject", comment="Acte introuvable."
            )
        number = request_obj.number
        folder = request_obj.__parent__
        self.assertEqual(self.found(SearchableText=number), 1)
        end = months_after(T0, periods.CIVIL_STATUS_MONTHS)
        self.assertEqual(self.run_at(end - DAY)["civil_status_requests"], 0)
        self.assertIn(number, folder.objectIds())
        counts = self.run_at(end + DAY)
        self.assertEqual(counts["civil_status_requests"], 1)
        self.assertEqual(counts["requests"], 0)
        self.assertNotIn(number, folder.objectIds())
        self.assertEqual(self.found(request_number=number), 0)
        self.assertEqual(self.found(SearchableText=number), 0)

    # links, captchas, attempts ---------------------------------------------------

    def test_expired_links_and_used_captchas_deleted(self):
        with time_machine.travel(T0, tick=False):
            reset = password_reset.LINKS.issue("amelie.lire")
            change = credentials.LINKS.issue(("amelie.lire", "a@example.org"))
            used = solved_captcha()
            registration.use_captcha(used["token"])
        links = password_reset.LINKS.tree()
        self.assertEqual(len(links), 1)
        # within their validity (24 hours, 30 minutes): kept
        counts = self.run_at(T0 + timedelta(minutes=29))
        self.assertEqual((counts["secret_links"], counts["used_captchas"]), (0, 0))
        counts = self.run_at(T0 + timedelta(hours=23))
        self.assertEqual((counts["secret_links"], counts["used_captchas"]), (0, 1))
        with time_machine.travel(T0 + timedelta(hours=23), tick=False):
            self.assertEqual(password_reset.LINKS.peek(reset), "amelie.lire")
        counts = self.run_at(T0 + DAY + DAY)
        self.assertEqual(counts["secret_links"], 2)
        self.assertEqual(len(password_reset.LINKS.tree()), 0)
        self.assertEqual(len(credentials.LINKS.tree()), 0)
        self.assertIsNone(credentials.LINKS.peek(change))

    def test_attempt_counters_forgotten_after_a_day(self):
        with time_machine.travel(T0, tick=False):
            with self.assertRaises(tracking.TrackingRefused):
                tracking.lookup("2027-000001", "WRONGCODE", "198.51.100.20")
            RateLimit("registration-email", 3, 3600).take("someone@example.org")
            self.portal.acl_users[PLUGIN_ID].failures().record_failure("amelie.lire")
        failures = IAnnotations(self.portal)[tracking.FAILURES_KEY]
        self.assertIn("address:198.51.100.20", failures)
        counts = self.run_at(T0 + DAY - timedelta(minutes=1))
        self.assertEqual(
            (
                counts["tracking_attempts"],
                counts["rate_limits"],
                counts["failed_logins"],
            ),
            (0, 0, 0),
        )
        self.assertIn("number:2027-000001", failures)
        counts = self.run_at(T0 + DAY + DAY)
        self.assertEqual(
            (
                counts["tracking_attempts"],
                counts["rate_limits"],
                counts["failed_logins"],
            ),
            (2, 1, 1),
        )
        self.assertEqual(list(failures.keys()), [])
        self.assertEqual(list(IAnnotations(self.portal)[RATE_LIMITS_KEY].keys()), [])
        self.assertEqual(list(self.portal.acl_users[PLUGIN_ID]._failures.keys()), [])

    # payments and invoices -------------------------------------------------------

    def add_payment(self, id_, status):
        with time_machine.travel(T0, tick=False):
            payment = createContentInContainer(
                self.amelie, "Payment", checkConstraints=False, id=id_
            )
        payment.transaction_id = id_
        payment.regie = "ville"
        payment.amount_cents = 4200
        payment.status = status
        payment.created_at = payment.updated_at = T0
        payment.reindexObject()
        return payment

    def test_unpaid_payments_deleted_invoices_and_paid_payments_kept(self):
        pending = self.add_payment("abandonne", "pending")
        failed = self.add_payment("refuse", "failed")
        paid = self.add_payment("paye", "paid")
        invoices = self.found(portal_type="Invoice")
        self.assertGreater(invoices, 0)
        end = months_after(T0, periods.UNPAID_PAYMENT_MONTHS)
        self.assertEqual(self.run_at(end - DAY)["unpaid_payments"], 0)
        self.assertTrue(self.exists(pending) and self.exists(failed))
        counts = self.run_at(end + DAY)
        self.assertEqual(counts["unpaid_payments"], 2)
        self.assertEqual(
            set(self.amelie.objectIds()) & {"abandonne", "refuse", "paye"}, {"paye"}
        )
        self.assertEqual(self.found(portal_type="Payment"), 1)
        # ten years on and more: accounting documents stay
        self.run_at(T0 + timedelta(days=11 * 366))
        self.assertTrue(self.exists(paid))
        self.assertEqual(self.found(portal_type="Invoice"), invoices)

    # accounts ---------------------------------------------------------------------

    def test_rejected_account_closed_then_household_deleted(self):
        self.assertEqual(api.content.get_state(self.jerome), "pending")
        with time_machine.travel(T0, tick=False):
            self.fire(
                self.jerome, "reject", comment="Justificatif de Jérôme illisible."
            )
        path = "/".join(self.jerome.getPhysicalPath())
        self.assertGreater(self.found(SearchableText="Attente", path=path), 0)
        end = months_after(T0, periods.REJECTED_ACCOUNT_MONTHS)
        self.assertEqual(self.run_at(end - DAY)["rejected_accounts"], 0)
        self.assertEqual(api.content.get_state(self.jerome), "rejected")

        counts = self.run_at(end + DAY)
        self.assertEqual(counts["rejected_accounts"], 1)
        household = self.portal.unrestrictedTraverse(path)
        self.assertEqual(api.content.get_state(household), "closed")
        self.assertIsNone(api.user.get(userid="jerome.attente"))
        self.assertIsNone(household.street)
        self.assertIsNone(household.holder_id)
        self.assertEqual(household.objectIds(), [])
        # its catalog entries no longer hold the names
        self.assertEqual(self.found(SearchableText="Attente", path=path), 0)
        self.assertEqual(self.found(SearchableText="Jérôme", path=path), 0)

        # a year after its closure, the empty household goes
        closed_end = months_after(end + DAY, periods.CLOSED_ACCOUNT_MONTHS)
        self.assertEqual(self.run_at(closed_end - DAY)["closed_households"], 0)
        counts = self.run_at(closed_end + DAY)
        self.assertEqual(counts["closed_households"], 1)
        self.assertIsNone(self.portal.unrestrictedTraverse(path, None))
        self.assertEqual(self.found(path=path), 0)

    def test_closed_account_sessions_forgotten_the_next_night(self):
        users = self.portal.acl_users
        for user_id in ("amelie.lire", "jerome.attente"):
            users.jwt_auth.create_token(user_id)
            users.session._getSigningSecret(user_id)
        rings = getUtility(IKeyManager)
        ring = users.session._getSecretKey("amelie.lire")
        self.assertIn(ring, rings)
        with time_machine.travel(T0, tick=False):
            self.assertEqual(self.run_at(T0)["closed_account_sessions"], 0)
            self.fire(self.amelie, "close", comment="Demande de l'usagère.")
        counts = self.run_at(T0 + DAY)
        self.assertEqual(counts["closed_account_sessions"], 1)
        self.assertNotIn("amelie.lire", users.jwt_auth._tokens)
        self.assertNotIn(ring, rings)
        # the other citizens stay logged in
        self.assertIn("jerome.attente", users.jwt_auth._tokens)
        self.assertIn(users.session._getSecretKey("jerome.attente"), rings)
        self.assertEqual(self.run_at(T0 + DAY + DAY)["closed_account_sessions"], 0)

    def test_expired_rest_tokens_forgotten(self):
        tokens = self.portal.acl_users.jwt_auth
        with time_machine.travel(T0, tick=False):
            short = tokens.create_token("amelie.lire", timeout=3600)
            long_ = tokens.create_token("amelie.lire", timeout=30 * 86400)
        counts = self.run_at(T0 + timedelta(minutes=59))
        self.assertEqual(counts["expired_tokens"], 0)
        counts = self.run_at(T0 + timedelta(hours=1, minutes=1))
        self.assertEqual(counts["expired_tokens"], 1)
        self.assertEqual(list(tokens._tokens["amelie.lire"].keys()), [long_])
        self.assertNotEqual(short, long_)
        self.assertEqual(self.run_at(T0 + DAY)["expired_tokens"], 0)

    def test_closed_account_with_invoices_loses_the_agents_comments(self):
        with time_machine.travel(T0, tick=False):
            self.fire(self.amelie, "close", comment="Courrier de Mme Lire du 2 mars.")
        history = self.amelie.workflow_history["household_workflow"]
        self.assertEqual(history[-1]["comments"], "Courrier de Mme Lire du 2 mars.")
        end = months_after(T0, periods.CLOSED_ACCOUNT_MONTHS)
        self.assertEqual(self.run_at(end - DAY)["closed_account_comments"], 0)
        counts = self.run_at(end + DAY)
        self.assertEqual(counts["closed_account_comments"], 1)
        self.assertEqual(counts["closed_households"], 0)
        history = self.amelie.workflow_history["household_workflow"]
        self.assertEqual(
            [entry["comments"] for entry in history if entry["comments"]], []
        )
        self.assertEqual(history[-1]["review_state"], "closed")
        # the invoices stay, so does the household
        self.assertIn(
            "Invoice", {obj.portal_type for obj in self.amelie.objectValues()}
        )
        self.assertEqual(self.run_at(end + DAY + DAY)["closed_account_comments"], 0)

    # the run ------------------------------------------------------------------------

    def test_idempotent_logged_and_recorded_without_personal_data(self):
        with time_machine.travel(T0, tick=False):
            request_obj = self.file_periscolaire()
            self.fire(request_obj, "mark_complete", "accept", "close")
            self.add_payment("abandonne", "pending")
            password_reset.LINKS.issue("amelie.lire")
        number = request_obj.number
        when = months_after(T0, periods.UNPAID_PAYMENT_MONTHS) + DAY
        with self.assertLogs("illkirch.eservices.retention", "INFO") as logs:
            first = self.run_at(when)
        self.assertEqual(
            {kind: n for kind, n in first.items() if n},
            {"requests": 1, "documents": 2, "unpaid_payments": 1, "secret_links": 1},
        )
        text = "\n".join(logs.output)
        self.assertIn("requests 1", text)
        self.assertIn("documents 2", text)
        self.assertIn("unpaid_payments 1", text)
        for personal in (number, "amelie", "Lire", "abandonne", "@"):
            self.assertNotIn(personal, text)

        site = "/".join(self.portal.getPhysicalPath())
        objects = self.found(path=site)
        second = self.run_at(when + timedelta(minutes=5))
        self.assertEqual(set(second.values()), {0})
        self.assertEqual(self.found(path=site), objects)

        runs = purge.last_runs()
        self.assertEqual([run["counts"] for run in runs], [second, first])
        self.assertEqual(runs[1]["time"], when.isoformat(timespec="seconds"))

    def test_nightly_periodic_task_registered(self):
        self.assertIs(registry.PERIODIC["retention.purge"], purge.nightly)
        self.assertEqual(purge.nightly.job_schedule, {"hour": "3", "minute": "0"})
        self.assertIn("Idempotent", purge.nightly.__doc__)

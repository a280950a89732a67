"""Validation of accounts by the agents: the queue, the waiting time, the
reasons required, the history and the emails (accounts/validation.py)."""

from DateTime import DateTime
from datetime import date
from email import message_from_bytes
from email import message_from_string
from email import policy
from illkirch.eservices import history
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts import validation
from illkirch.eservices.accounts.validation import TransitionRefused
from illkirch.eservices.folding import fold
from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.rest.interfaces import IAPIRequest
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.statusmessages.interfaces import IStatusMessage
from zope.component import getMultiAdapter
from zope.interface import alsoProvides

import json
import unittest


def paris(text):
    return DateTime(f"{text} Europe/Paris")


class ValidationTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        self.jerome = households.household_of("jerome.attente")
        self.amelie = households.household_of("amelie.lire")
        self.mailhost = self.use_mock_mailhost()

    def use_mock_mailhost(self):
        mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        return mailhost

    def mails(self):
        result = []
        for text in self.mailhost.messages:
            parse = (
                message_from_bytes if isinstance(text, bytes) else message_from_string
            )
            result.append(parse(text, policy=policy.default))
        return result

    def as_user(self, login_name):
        login(self.portal, login_name)
        self.addCleanup(logout)

    def add_pending_household(self, first_name, last_name, email, created):
        userid = fold(f"{first_name}.{last_name}")
        api.user.create(
            email=email,
            username=userid,
            password="Secret-Password-2026",
            properties={"fullname": f"{first_name} {last_name}"},
        )
        household = households.create_household(
            userid,
            f"{first_name} {last_name}",
            {
                "street": "1 rue du Test",
                "postal_code": "67400",
                "city": "Illkirch-Graffenstaden",
                "contact_preference": "email",
            },
            [
                {
                    "member_type": "adult",
                    "civility": "mme",
                    "first_name": first_name,
                    "last_name": last_name,
                    "birth_date": date(1990, 1, 1),
                    "relationship": "holder",
                    "email": email,
                }
            ],
        )
        self.set_created(household, created)
        return household

    def set_created(self, household, when):
        household.creation_date = when
        household.reindexObject()


class TestQueue(ValidationTestCase):
    def test_only_pending_households_oldest_first(self):
        beatrice = self.add_pending_household(
            "Béatrice",
            "Ordonneau",
            "b.ordonneau@example.net",
            paris("2026/11/02 09:00"),
        )
        self.set_created(self.jerome, paris("2026/11/10 09:00"))
        self.assertEqual(list(validation.pending_households()), [beatrice, self.jerome])
        # the order is the creation date's, not the order of creation
        self.set_created(self.jerome, paris("2026/10/30 09:00"))
        self.assertEqual(list(validation.pending_households()), [self.jerome, beatrice])
        self.assertNotIn(self.amelie, validation.pending_households())
        self.assertEqual(
            list(validation.households_in_state("validated")), [self.amelie]
        )
        with self.assertRaises(ValueError):
            validation.households_in_state("published")

    def test_search_ignores_case_and_accents(self):
        beatrice = self.add_pending_household(
            "Béatrice",
            "Ordonneau",
            "b.ordonneau@example.net",
            paris("2026/11/02 09:00"),
        )
        search = validation.pending_households
        self.assertEqual(search("jerome"), [self.jerome])
        self.assertEqual(search("ATTENTE"), [self.jerome])
        self.assertEqual(search("JÉRÔME attente"), [self.jerome])
        self.assertEqual(search("jerome.attente@example.org"), [self.jerome])
        self.assertEqual(search("jérôme.attente"), [self.jerome])  # identifier
        self.assertEqual(search("beatrice"), [beatrice])
        self.assertEqual(search("EXAMPLE.NET"), [beatrice])
        self.assertEqual(search("example"), [beatrice, self.jerome])
        self.assertEqual(search("amelie"), [])  # validated: not in the queue
        self.assertEqual(search("nobody"), [])
        self.assertEqual(list(search("  ")), [beatrice, self.jerome])

    def test_holder_info(self):
        info = validation.holder_info(self.jerome)
        self.assertEqual(
            info,
            {
                "holder_id": "jerome.attente",
                "identifier": "jérôme.attente",
                "fullname": "Jérôme Attente",
                "email": "jerome.attente@example.org",
            },
        )


waited = validation.waiting_business_days


class TestWaitingTime(ValidationTestCase):
    def test_weekend_and_christmas(self):
        # Thursday 24 December; 25 and 26 (Saint Stephen, Alsace) are
        # holidays, then the weekend: Monday 28 is the first working day.
        self.set_created(self.jerome, paris("2026/12/24 16:30"))
        cases = (
            (date(2026, 12, 24), 0, False),
            (date(2026, 12, 27), 0, False),
            (date(2026, 12, 28), 1, False),
            (date(2026, 12, 29), 2, False),
            (date(2026, 12, 30), 3, True),
        )
        for today, days, late in cases:
            self.assertEqual(waited(self.jerome, today), days, today)
            self.assertEqual(validation.is_late(self.jerome, today), late, today)

    def test_good_friday_and_easter_monday(self):
        # Thursday 2 April 2026; Good Friday (Alsace) and Easter Monday off.
        self.set_created(self.jerome, paris("2026/04/02 10:00"))
        self.assertEqual(waited(self.jerome, date(2026, 4, 8)), 2)
        self.assertFalse(validation.is_late(self.jerome, date(2026, 4, 8)))
        self.assertTrue(validation.is_late(self.jerome, date(2026, 4, 9)))

    def test_days_are_counted_in_paris_time(self):
        # Monday 00:30 in Paris is still Sunday in UTC: Monday is the day of
        # creation, not a day waited.
        self.set_created(self.jerome, paris("2026/11/23 00:30"))
        self.assertEqual(waited(self.jerome, date(2026, 11, 23)), 0)
        self.assertEqual(waited(self.jerome, date(2026, 11, 25)), 2)
        self.assertFalse(validation.is_late(self.jerome, date(2026, 11, 25)))
        self.assertTrue(validation.is_late(self.jerome, date(2026, 11, 26)))
        self.assertEqual(validation.VALIDATION_DELAY_DAYS, 2)

    def test_default_today(self):
        self.set_created(self.jerome, DateTime() - 30)
        self.assertTrue(validation.is_late(self.jerome))
        self.set_created(self.jerome, DateTime())
        self.assertEqual(waited(self.jerome), 0)
        self.assertFalse(validation.is_late(self.jerome))

    def test_not_waiting_once_decided(self):
        self.set_created(self.amelie, paris("2026/01/05 09:00"))
        self.assertIsNone(waited(self.amelie, date(2026, 2, 2)))
        self.assertFalse(validation.is_late(self.amelie, date(2026, 2, 2)))


class TestDecisions(ValidationTestCase):
    def test_reject_without_reason_refused(self):
        self.as_user("agent.accueil")
        for reason in ("", "   \n"):
            with self.assertRaises(TransitionRefused) as error:
                validation.reject(self.jerome, reason)
            self.assertIn("motif", str(error.exception))
            self.assertEqual(error.exception.url, self.jerome.absolute_url())
            self.assertEqual(households.state(self.jerome), "pending")
        # through the workflow tool too (REST @workflow, Plone's state menu)
        workflow = api.portal.get_tool("portal_workflow")
        with self.assertRaises(WorkflowException) as error:
            workflow.doActionFor(self.jerome, "reject")
        self.assertIsInstance(error.exception, TransitionRefused)
        self.assertEqual(
            str(error.exception),
            "Indiquez le motif du refus de ce compte : il est envoyé au citoyen.",
        )
        self.assertEqual(households.state(self.jerome), "pending")
        self.assertEqual(self.mails(), [])
        self.assertNotIn(
            "transition_reject", [e["action"] for e in history.entries(self.jerome)]
        )

    def test_suspend_without_reason_refused(self):
        self.as_user("agent.accueil")
        with self.assertRaises(TransitionRefused) as error:
            validation.suspend(self.amelie, "")
        self.assertIn("suspension", str(error.exception))
        self.assertEqual(households.state(self.amelie), "validated")

    def test_validate_with_billing_account_history_and_email(self):
        self.as_user("agent.accueil")
        validation.validate(
            self.jerome, billing_account=" ILK-000777 ", comment="Pièces vérifiées."
        )
        self.assertEqual(households.state(self.jerome), "validated")
        self.assertEqual(self.jerome.billing_account, "ILK-000777")
        entries = history.entries(self.jerome)[::-1]
        self.assertEqual(
            [(e["action"], e["text"], e["actor"]) for e in entries[:2]],
            [
                ("transition_validate", "Pièces vérifiées.", "agent.accueil"),
                ("household_updated", "billing_account", "agent.accueil"),
            ],
        )
        [message] = self.mails()
        self.assertEqual(message["To"], "jerome.attente@example.org")
        self.assertEqual(message["Subject"], "Votre compte est validé")
        body = message.get_body(("plain",)).get_content()
        self.assertIn("Bonjour Jérôme Attente,", body)
        self.assertIn("Vous pouvez désormais modifier votre compte", body)
        self.assertIn("ILK-000777", body)
        self.assertIn("vos factures apparaîtront", body)
        self.assertIn(f"{self.portal.absolute_url()}/@@mon-espace", body)
        self.assertIn("Message de la mairie : Pièces vérifiées.", body)

    def test_validate_without_billing_account(self):
        self.as_user("agent.accueil")
        validation.validate(self.jerome)
        self.assertFalse(self.jerome.billing_account)
        [message] = self.mails()
        self.assertIn(
            "dès que la ville aura rattaché votre foyer",
            message.get_body(("plain",)).get_content(),
        )

    def test_reject_with_reason(self):
        self.as_user("agent.accueil")
        validation.reject(self.jerome, "Justificatif de domicile illisible.")
        self.assertEqual(households.state(self.jerome), "rejected")
        entry = history.entries(self.jerome)[-1]
        self.assertEqual(
            (entry["action"], entry["text"]),
            ("transition_reject", "Justificatif de domicile illisible."),
        )
        [message] = self.mails()
        self.assertEqual(message["Subject"], "Votre demande de compte est refusée")
        self.assertIn(
            "Motif : Justificatif de domicile illisible.",
            message.get_body(("plain",)).get_content(),
        )

    def test_suspend_then_reactivate(self):
        self.as_user("agent.accueil")
        validation.suspend(self.amelie, "Courriels revenus en erreur.")
        self.assertEqual(households.state(self.amelie), "suspended")
        validation.validate(self.amelie)
        self.assertEqual(households.state(self.amelie), "validated")
        actions = [
            (e["action"], e["text"]) for e in reversed(history.entries(self.amelie))
        ]
        self.assertEqual(
            actions[:2],
            [
                ("transition_validate", ""),
                ("transition_suspend", "Courriels revenus en erreur."),
            ],
        )
        suspended, reactivated = self.mails()
        self.assertEqual(suspended["To"], "amelie.lire@example.org")
        self.assertEqual(suspended["Subject"], "Votre compte est suspendu")
        self.assertIn(
            "Motif : Courriels revenus en erreur.",
            suspended.get_body(("plain",)).get_content(),
        )
        self.assertEqual(reactivated["Subject"], "Votre compte est réactivé")
        self.assertIn("de nouveau", reactivated.get_body(("plain",)).get_content())

    def test_decision_not_available_twice(self):
        self.as_user("agent.accueil")
        validation.validate(self.jerome)
        with self.assertRaises(TransitionRefused):
            validation.reject(self.jerome, "Trop tard.")
        with self.assertRaises(TransitionRefused):
            validation.validate(self.jerome, billing_account="ILK-1")
        self.assertFalse(self.jerome.billing_account)

    def test_billing_account_too_long(self):
        self.as_user("agent.accueil")
        with self.assertRaises(households.HouseholdError) as error:
            validation.validate(self.jerome, billing_account="X" * 41)
        self.assertEqual(error.exception.field, "billing_account")
        self.assertEqual(households.state(self.jerome), "pending")

    def test_citizen_cannot_decide(self):
        self.as_user("jérôme.attente")
        with self.assertRaises(TransitionRefused):
            validation.validate(self.jerome, billing_account="ILK-1")
        self.assertEqual(households.state(self.jerome), "pending")
        self.assertFalse(self.jerome.billing_account)
        self.assertEqual(self.mails(), [])

    def test_no_mailhost_does_not_block_the_decision(self):
        api.portal.set_registry_record("plone.email_from_address", "")
        self.as_user("agent.accueil")
        validation.validate(self.jerome)
        self.assertEqual(households.state(self.jerome), "validated")
        self.assertEqual(self.mails(), [])


class TestRefusalInTheClassicUI(ValidationTestCase):
    def error_view(self, api_request=False):
        alsoProvides(self.request, IIllkirchEservicesLayer)
        if api_request:
            alsoProvides(self.request, IAPIRequest)
        error = TransitionRefused("Indiquez le motif.", self.jerome.absolute_url())
        # CMF's workflow tool re-raises as type(exc)(exc): details are kept
        error = type(error)(error)
        return getMultiAdapter((error, self.request), name="index.html")

    def test_error_shown_on_the_state_form(self):
        self.error_view()()
        self.assertEqual(
            self.request.response.getHeader("Location"),
            f"{self.jerome.absolute_url()}/content_status_history",
        )
        [message] = IStatusMessage(self.request).show()
        self.assertEqual(
            (message.message, message.type), ("Indiquez le motif.", "error")
        )

    def test_error_as_json_for_a_rest_call(self):
        body = self.error_view(api_request=True)()
        self.assertEqual(self.request.response.getStatus(), 400)
        self.assertEqual(json.loads(body)["error"]["message"], "Indiquez le motif.")

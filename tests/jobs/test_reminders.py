"""Reminders of incomplete requests (requests/reminders.py), on a frozen
clock: one reminder per step of the service's setting (7 then 14 days by
default), never twice, with what is missing and the link to complete the
request; the flag of the Guichet (page and REST) after the last one."""

from datetime import datetime
from datetime import timedelta
from email import message_from_bytes
from email import policy
from illkirch.eservices import business_days
from illkirch.eservices import history
from illkirch.eservices.accounts import households
from illkirch.eservices.content.service import BadReminderDays
from illkirch.eservices.content.service import IService
from illkirch.eservices.content.service import check_reminder_days
from illkirch.eservices.content.service import reminder_steps
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import reminders
from illkirch.eservices.requests import submission
from illkirch.eservices.restapi.requests.get import queue_listing
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.demo import EDITOR
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.sessions import rest_session
from illkirch.eservices.testing.site import plain_text
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from zope.i18n import translate

import lxml.html
import requests
import time_machine
import unittest


PARIS = business_days.TIMEZONE
# Monday 2 March 2026, 10:00 in Illkirch: the agent asks for a document.
ASKED = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
MISSING = "Il manque un justificatif de domicile de moins de trois mois."
PUBLIC = "https://demarches.illkirch.example"


def at(days, hour=8):
    """``days`` after the request for documents, at ``hour`` (the task's
    time: 8:00)."""
    day = ASKED.date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS)


body_of = plain_text


class RemindersTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        api.portal.set_registry_record("illkirch.eservices.public_url", PUBLIC)
        self.passport = self.portal["demarches"]["rendez-vous-passeport-cni"]
        amelie = households.household_of("amelie.lire")
        adult = next(p for p in amelie.persons() if p.member_type == "adult")
        with time_machine.travel(ASKED - timedelta(days=1), tick=False):
            login(self.portal, "amélie.lire")
            self.filed = submission.submit(
                self.passport, dict(PASSPORT_ANSWERS), member_id=adult.getId()
            )
        with time_machine.travel(ASKED, tick=False):
            login(self.portal, "agent.accueil")
            processing.fire(self.filed, "ask_documents", MISSING)
        self.mailhost.reset()

    def run_task(self, days, hour=8):
        """The daily task, ``days`` after the request for documents: the
        emails it sent (parsed)."""
        self.mailhost.reset()
        with time_machine.travel(at(days, hour), tick=False):
            reminders.remind_all()
        return [
            message_from_bytes(raw, policy=policy.default)
            for raw in self.mailhost.messages
        ]

    def flag_of(self, request_obj):
        return reminders.unanswered(request_obj)


class TestSteps(RemindersTestCase):
    def test_day_6_nothing_day_7_first_day_8_nothing_day_14_second_day_20_nothing(
        self,
    ):
        self.assertEqual(self.run_task(6), [])
        first = self.run_task(7)
        self.assertEqual(len(first), 1)
        self.assertEqual(self.run_task(7, hour=18), [], "twice the same day")
        self.assertEqual(self.run_task(8), [])
        self.assertEqual(self.flag_of(self.filed), 0, "one step is left")
        second = self.run_task(14)
        self.assertEqual(len(second), 1)
        self.assertEqual(self.run_task(14, hour=9), [])
        self.assertEqual(self.run_task(20), [])
        self.assertEqual(self.flag_of(self.filed), 2)
        entries = [
            entry
            for entry in history.entries(self.filed)
            if entry["action"] == reminders.ACTION
        ]
        self.assertEqual(
            [entry["text"] for entry in entries],
            [
                "Relance 1 sur 2, 7 jours après la demande de pièces ou "
                "d'informations.",
                "Relance 2 sur 2, 14 jours après la demande de pièces ou "
                "d'informations.",
            ],
        )
        self.assertEqual({entry["state"] for entry in entries}, {"incomplete"})

    def test_the_email_says_what_is_missing_and_links_to_the_request(self):
        (message,) = self.run_task(7)
        self.assertEqual(message["To"], "amelie.lire@example.org")
        self.assertEqual(
            message["Subject"],
            f"Rappel : votre demande {self.filed.number} attend votre réponse",
        )
        self.assertEqual(message["Auto-Submitted"], "auto-generated")
        text = body_of(message)
        self.assertIn("Le 02/03/2026, les services de la ville", text)
        self.assertIn(f"n° {self.filed.number}", text)
        self.assertIn(f"Ce qui manque :\n{MISSING}\n", text)
        path = "/".join(
            self.filed.getPhysicalPath()[len(self.portal.getPhysicalPath()) :]
        )
        self.assertIn(f"Complétez votre demande à l'adresse :\n{PUBLIC}/{path}\n", text)
        self.assertNotIn("nohost", text)

    def test_the_latest_request_for_documents_is_the_one_reminded(self):
        self.assertEqual(len(self.run_task(7)), 1)
        with time_machine.travel(at(9, hour=11), tick=False):
            login(self.portal, "amélie.lire")
            processing.fire(self.filed, "resubmit")
        self.assertEqual(self.run_task(14), [], "the citizen answered")
        self.assertEqual(self.flag_of(self.filed), 0)
        with time_machine.travel(at(10, hour=11), tick=False):
            login(self.portal, "agent.accueil")
            processing.fire(self.filed, "ask_documents", "Et la photo d'identité.")
        self.assertEqual(self.run_task(16), [], "6 days after the new request")
        (message,) = self.run_task(17)
        text = body_of(message)
        self.assertIn("Et la photo d'identité.", text)
        self.assertNotIn(MISSING, text)
        self.assertIn("Le 12/03/2026", text)

    def test_a_late_task_sends_one_reminder_for_the_steps_it_missed(self):
        self.assertEqual(len(self.run_task(15)), 1)
        self.assertEqual(self.run_task(16), [])
        self.assertEqual(self.flag_of(self.filed), 1, "the last step is reached")

    def test_the_services_own_steps(self):
        self.passport.reminder_days = "3"
        self.assertEqual(self.run_task(2), [])
        self.assertEqual(len(self.run_task(3)), 1)
        self.assertEqual(self.flag_of(self.filed), 1)
        self.assertEqual(self.run_task(7), [])

    def test_no_reminder_when_the_service_has_none(self):
        self.passport.reminder_days = None
        self.assertEqual(self.run_task(7), [])
        self.assertEqual(self.run_task(14), [])
        self.assertEqual(self.flag_of(self.filed), 0)

    def test_a_completed_request_is_not_reminded(self):
        with time_machine.travel(at(1, hour=11), tick=False):
            login(self.portal, "amélie.lire")
            processing.fire(self.filed, "resubmit")
        self.assertEqual(self.run_task(7), [])
        self.assertEqual(self.run_task(14), [])


class TestGuichetFlag(RemindersTestCase):
    def guichet(self):
        login(self.portal, "agent.accueil")
        return self.portal.restrictedTraverse("@@guichet")()

    def test_the_guichet_flags_the_request_after_the_last_reminder(self):
        flag = "Relancé 2 fois, sans réponse"
        self.run_task(7)
        self.assertNotIn(flag, self.guichet())
        self.run_task(14)
        self.assertIn(flag, self.guichet())
        login(self.portal, "agent.accueil")
        with time_machine.travel(at(15), tick=False):
            items = queue_listing(self.request)["items"]
        (item,) = [i for i in items if i["number"] == self.filed.number]
        self.assertEqual(item["reminded_unanswered"], 2)
        self.assertEqual(item["reminded_flag"], flag)
        with time_machine.travel(at(15, hour=11), tick=False):
            login(self.portal, "amélie.lire")
            processing.fire(self.filed, "resubmit")
        self.assertNotIn(flag, self.guichet())
        items = queue_listing(self.request)["items"]
        (item,) = [i for i in items if i["number"] == self.filed.number]
        self.assertEqual(item["reminded_unanswered"], 0)
        self.assertIsNone(item["reminded_flag"])


class TestSetting(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def test_default_and_valid_values(self):
        self.assertEqual(reminder_steps("7, 14"), (7, 14))
        self.assertEqual(reminder_steps(" 3,10 ,30"), (3, 10, 30))
        self.assertEqual(reminder_steps(""), ())
        self.assertEqual(reminder_steps(None), ())
        self.assertEqual(IService["reminder_days"].default, "7, 14")
        service = self.layer["portal"]["demarches"]["rendez-vous-passeport-cni"]
        self.assertEqual(service.reminder_days, "7, 14")

    def test_refused_values_have_a_french_message(self):
        for value in ("14, 7", "7, 7", "0", "sept", "7, 14, 21, 28, 35, 42", "400"):
            with self.subTest(value=value), self.assertRaises(BadReminderDays) as info:
                check_reminder_days(value)
            self.assertIn(
                "Écrivez les nombres de jours après lesquels le citoyen est relancé",
                translate(info.exception.doc(), target_language="fr"),
            )


class TestSettingOverHTTP(unittest.TestCase):
    """The setting « Relances » of a service: REST and the edit form refuse
    what is not increasing days, in French."""

    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.service_url = f"{self.url}/demarches/rendez-vous-passeport-cni"

    def days(self):
        session = rest_session(self.url, *EDITOR)
        return session.get(self.service_url).json()["reminder_days"]

    def test_rest_patch(self):
        editor = rest_session(self.url, *EDITOR)
        self.assertEqual(self.days(), "7, 14")
        for value in ("14, 7", "dix", "0"):
            response = editor.patch(self.service_url, json={"reminder_days": value})
            self.assertEqual(response.status_code, 400, response.text)
            self.assertIn(
                "Écrivez les nombres de jours après lesquels le citoyen est relancé",
                response.json()["message"],
            )
        self.assertEqual(self.days(), "7, 14")
        response = editor.patch(self.service_url, json={"reminder_days": "3, 10"})
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(self.days(), "3, 10")

    def test_the_edit_form_has_its_fieldset(self):
        browser = requests.Session()
        self.addCleanup(browser.close)
        browser.auth = EDITOR
        page = browser.get(f"{self.service_url}/@@edit")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Relances", page.text)
        document = lxml.html.fromstring(page.text)
        form = next(
            f
            for f in document.forms
            if f.get_element_by_id("form-widgets-reminder_days", None) is not None
        )
        values = [
            (name, value)
            for name, value in form.form_values()
            if name != "form.widgets.reminder_days"
        ] + [("form.buttons.save", "Enregistrer")]
        response = browser.post(
            f"{self.service_url}/@@edit",
            data=[*values, ("form.widgets.reminder_days", "14, 7")],
        )
        self.assertIn(
            "Écrivez les nombres de jours après lesquels le citoyen est relancé",
            response.text,
        )
        self.assertEqual(self.days(), "7, 14")
        browser.post(
            f"{self.service_url}/@@edit",
            data=[*values, ("form.widgets.reminder_days", "5")],
        )
        self.assertEqual(self.days(), "5")

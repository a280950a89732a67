"""The agents' daily digest (requests/digest.py) on a frozen clock: business
days only (Good Friday and 26 December are holidays in Alsace-Moselle),
nothing when there is nothing to say, nothing for an agent who did not ask
for it, each agent their own groups only; the preference « Mes
notifications » (page with its token, ``GET``/``PATCH /@notifications``)."""

from DateTime import DateTime
from datetime import datetime
from email import message_from_bytes
from email import policy
from illkirch.eservices import business_days
from illkirch.eservices.accounts import households
from illkirch.eservices.requests import digest
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session
from illkirch.eservices.testing.site import plain_text
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from unittest import mock
from zExceptions import Forbidden

import re
import time_machine
import unittest


PARIS = business_days.TIMEZONE
PUBLIC = "https://demarches.illkirch.example"
ACCUEIL = "agent.accueil"  # enfance, population; validates accounts
VOIRIE = "agent.voirie"  # the public space only


def paris(year, month, day, hour=7, minute=30):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


body_of = plain_text


class DigestTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        api.portal.set_registry_record("illkirch.eservices.public_url", PUBLIC)
        services = self.portal["demarches"]
        self.passport = services["rendez-vous-passeport-cni"]  # population
        self.signalement = services["signalement-voie-publique"]  # voirie
        amelie = households.household_of("amelie.lire")
        self.adult = next(p for p in amelie.persons() if p.member_type == "adult")

    def path(self, obj):
        return "/".join(obj.getPhysicalPath()[len(self.portal.getPhysicalPath()) :])

    def subscribe(self, *userids):
        for userid in userids:
            digest.set_wanted(userid, True)

    def file_passport(self, when):
        with time_machine.travel(when, tick=False):
            login(self.portal, "amélie.lire")
            return submission.submit(
                self.passport, dict(PASSPORT_ANSWERS), member_id=self.adult.getId()
            )

    def file_signalement(self, when):
        with time_machine.travel(when, tick=False):
            login(self.portal, "amélie.lire")
            return submission.submit(self.signalement, dict(SIGNALEMENT_ANSWERS))

    def run_task(self, when):
        """The task at ``when``: ``{recipient: text}`` of the digests sent."""
        self.mailhost.reset()
        with time_machine.travel(when, tick=False):
            digest.send_digests()
        sent = {}
        for raw in self.mailhost.messages:
            message = message_from_bytes(raw, policy=policy.default)
            self.assertNotIn(message["To"], sent, "one digest per agent")
            self.assertEqual(message["Auto-Submitted"], "auto-generated")
            sent[message["To"]] = (message["Subject"], body_of(message))
        return sent


ACCUEIL_EMAIL = "agent.accueil@illkirch.example"
VOIRIE_EMAIL = "agent.voirie@illkirch.example"


class TestBusinessDays(DigestTestCase):
    def test_good_friday_and_easter_monday_send_nothing_tuesday_covers_them(self):
        self.subscribe(ACCUEIL, VOIRIE)
        self.assertEqual(self.run_task(paris(2026, 4, 1)), {}, "nothing to say")
        passport = self.file_passport(paris(2026, 4, 1, 10))
        sent = self.run_task(paris(2026, 4, 2))
        self.assertEqual(set(sent), {ACCUEIL_EMAIL}, "voirie: nothing to say")
        subject, text = sent[ACCUEIL_EMAIL]
        self.assertEqual(subject, "Votre résumé du 02/04/2026")
        self.assertIn("dans vos groupes depuis le 01/04/2026 07:30.", text)
        self.assertIn("== Agents — Population et citoyenneté ==", text)
        self.assertNotIn("Enfance", text, "a group with nothing to say")
        self.assertIn(
            f"Nouvelles demandes (1) :\n- {passport.number}, "
            f"{passport.service_title} (En cours) : "
            f"{PUBLIC}/{self.path(passport)}\n",
            text,
        )
        self.assertIn(f"Votre Guichet :\n{PUBLIC}/@@guichet", text)
        self.assertIn(f"Pour ne plus le recevoir : {PUBLIC}/@@mes-notifications", text)
        self.assertEqual(self.run_task(paris(2026, 4, 2, 9)), {}, "once a day")
        street = self.file_signalement(paris(2026, 4, 2, 11))
        later = self.file_signalement(paris(2026, 4, 4, 11))  # a Saturday
        self.assertEqual(self.run_task(paris(2026, 4, 3)), {}, "Good Friday")
        self.assertEqual(self.run_task(paris(2026, 4, 4)), {}, "Saturday")
        self.assertEqual(self.run_task(paris(2026, 4, 6)), {}, "Easter Monday")
        sent = self.run_task(paris(2026, 4, 7))
        self.assertEqual(set(sent), {VOIRIE_EMAIL})
        subject, text = sent[VOIRIE_EMAIL]
        self.assertEqual(subject, "Votre résumé du 07/04/2026")
        self.assertIn("dans vos groupes depuis le 02/04/2026 07:30.", text)
        self.assertIn("== Agents — Cadre de vie ==\n\nNouvelles demandes (2) :", text)
        self.assertIn(street.number, text)
        self.assertIn(later.number, text)
        self.assertNotIn(passport.number, text)

    def test_26_december_is_a_holiday(self):
        self.subscribe(VOIRIE)
        self.assertEqual(self.run_task(paris(2025, 12, 24)), {})
        street = self.file_signalement(paris(2025, 12, 24, 15))
        self.assertEqual(self.run_task(paris(2025, 12, 25)), {}, "Christmas")
        self.assertEqual(self.run_task(paris(2025, 12, 26)), {}, "Saint Stephen")
        sent = self.run_task(paris(2025, 12, 29))
        self.assertIn(street.number, sent[VOIRIE_EMAIL][1])
        self.assertIn("depuis le 24/12/2025 07:30.", sent[VOIRIE_EMAIL][1])


class TestWhatIsSaid(DigestTestCase):
    def test_nothing_is_sent_when_there_is_nothing_to_say(self):
        self.subscribe(ACCUEIL, VOIRIE)
        self.assertEqual(self.run_task(paris(2026, 3, 2)), {})
        self.assertEqual(self.run_task(paris(2026, 3, 3)), {})

    def test_an_agent_without_the_preference_gets_nothing(self):
        self.subscribe(ACCUEIL)
        self.file_signalement(paris(2026, 3, 2, 10))
        self.file_passport(paris(2026, 3, 2, 11))
        self.assertEqual(set(self.run_task(paris(2026, 3, 3))), {ACCUEIL_EMAIL})
        digest.set_wanted(ACCUEIL, False)
        self.file_passport(paris(2026, 3, 3, 11))
        self.assertEqual(self.run_task(paris(2026, 3, 4)), {})

    def test_a_long_list_ends_with_the_guichet(self):
        self.subscribe(VOIRIE)
        first = self.file_signalement(paris(2026, 3, 2, 10))
        second = self.file_signalement(paris(2026, 3, 2, 11))
        with mock.patch.object(digest, "MAX_ITEMS", 1):
            text = self.run_task(paris(2026, 3, 3))[VOIRIE_EMAIL][1]
        self.assertIn(
            f"Nouvelles demandes (2) :\n- {first.number}, "
            f"{first.service_title} (En cours) : {PUBLIC}/{self.path(first)}\n"
            "… et 1 autre(s) dans le Guichet.\n",
            text,
        )
        self.assertNotIn(second.number, text)

    def test_each_agent_sees_only_their_groups(self):
        self.subscribe(ACCUEIL, VOIRIE)
        street = self.file_signalement(paris(2026, 3, 2, 10))
        passport = self.file_passport(paris(2026, 3, 2, 11))
        sent = self.run_task(paris(2026, 3, 3))
        accueil, voirie = sent[ACCUEIL_EMAIL][1], sent[VOIRIE_EMAIL][1]
        # a first digest: since the previous business day
        self.assertIn("dans vos groupes depuis le 02/03/2026 00:00.", voirie)
        self.assertIn(passport.number, accueil)
        self.assertNotIn(street.number, accueil)
        self.assertNotIn("Cadre de vie", accueil)
        self.assertIn(street.number, voirie)
        self.assertNotIn(passport.number, voirie)
        self.assertNotIn("Population", voirie)

    def test_completed_and_late_requests(self):
        self.subscribe(ACCUEIL)
        passport = self.file_passport(paris(2026, 3, 2, 9))
        other = self.file_passport(paris(2026, 3, 2, 9, 5))
        with time_machine.travel(paris(2026, 3, 2, 10), tick=False):
            login(self.portal, ACCUEIL)
            processing.fire(passport, "ask_documents", "Il manque la photo.")
        self.run_task(paris(2026, 3, 3))
        with time_machine.travel(paris(2026, 3, 3, 14), tick=False):
            login(self.portal, "amélie.lire")
            processing.fire(passport, "resubmit")
        other.due_date = business_days.add_business_days(paris(2026, 3, 2), 1)
        other.reindexObject()
        (subject, text), *_rest = self.run_task(paris(2026, 3, 4)).values()
        self.assertIn(f"Demandes complétées (1) :\n- {passport.number}, ", text)
        self.assertNotIn("Nouvelles demandes", text)
        # due on 3 March: late from 4 March (a business day has passed)
        self.assertIn(f"Demandes en retard (1) :\n- {other.number}, ", text)
        (subject, text), *_rest = self.run_task(paris(2026, 3, 5)).values()
        self.assertNotIn("Demandes complétées", text, "told once")
        self.assertIn(f"Demandes en retard (1) :\n- {other.number}, ", text)

    def test_accounts_waiting_beyond_two_business_days(self):
        self.subscribe(ACCUEIL)
        household = households.household_of("jerome.attente")
        household.creation_date = DateTime(paris(2026, 3, 2, 9))
        household.reindexObject()
        # Monday: Tuesday and Wednesday are the 2 days; late on Thursday
        self.assertEqual(self.run_task(paris(2026, 3, 4)), {})
        sent = self.run_task(paris(2026, 3, 5))
        text = sent[ACCUEIL_EMAIL][1]
        self.assertIn(
            "Comptes en attente de validation depuis plus de 2 jours ouvrés (1) :\n"
            f"- {household.Title()} (02/03/2026)\n",
            text,
        )
        self.assertIn(f"Validez-les à l'adresse :\n{PUBLIC}/@@comptes-a-valider", text)
        self.assertNotIn("==", text, "no group has anything to say")


class TestPreferencePage(DigestTestCase):
    def test_the_page_records_the_choice_with_its_token(self):
        login(self.portal, ACCUEIL)
        view = self.portal.restrictedTraverse("@@mes-notifications")
        html = view()
        self.assertIn("Mes notifications", html)
        self.assertNotIn('checked="checked"', html)
        self.assertIn("Agents — Enfance et éducation", html)
        self.request.method = "POST"
        self.request.form["digest"] = "1"
        with self.assertRaises(Forbidden):
            self.portal.restrictedTraverse("@@mes-notifications")()
        self.assertFalse(digest.wants(ACCUEIL))
        from plone.protect.authenticator import createToken

        self.request.form["_authenticator"] = createToken()
        self.portal.restrictedTraverse("@@mes-notifications")()
        self.assertTrue(digest.wants(ACCUEIL))
        del self.request.form["digest"]
        self.portal.restrictedTraverse("@@mes-notifications")()
        self.assertFalse(digest.wants(ACCUEIL))


class TestPreferenceHTTP(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()

    def test_rest_get_and_patch(self):
        agent = rest_session(self.url, *AGENT)
        answer = agent.get(f"{self.url}/@notifications")
        self.assertEqual(answer.status_code, 200, answer.text)
        self.assertEqual(answer.json()["digest"], False)
        self.assertEqual(
            {g["id"] for g in answer.json()["groups"]},
            {"Agents", "agents-enfance", "agents-population"},
        )
        answer = agent.patch(f"{self.url}/@notifications", json={"digest": True})
        self.assertEqual(answer.status_code, 200, answer.text)
        self.assertIs(answer.json()["digest"], True)
        self.assertIs(agent.get(f"{self.url}/@notifications").json()["digest"], True)
        answer = agent.patch(f"{self.url}/@notifications", json={"digest": "oui"})
        self.assertEqual(answer.status_code, 400)
        self.assertEqual(
            answer.json()["error"]["errors"],
            [
                {
                    "field": "digest",
                    "message": "Répondez par vrai (true) ou faux (false).",
                }
            ],
        )
        answer = agent.patch(
            f"{self.url}/@notifications",
            data="digest=false",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        self.assertEqual(answer.status_code, 415)
        self.assertIs(agent.get(f"{self.url}/@notifications").json()["digest"], True)

    def test_citizens_have_no_notifications(self):
        citizen = rest_session(self.url, *AMELIE)
        self.assertIn(citizen.get(f"{self.url}/@notifications").status_code, (401, 403))
        answer = citizen.patch(f"{self.url}/@notifications", json={"digest": True})
        self.assertIn(answer.status_code, (401, 403))
        page = cookie_session(self.url, *AMELIE).get(f"{self.url}/@@mes-notifications")
        self.assertNotIn('id="notifications-form"', page.text)

    def test_the_page_in_the_user_menu(self):
        session = cookie_session(self.url, *AGENT)
        page = session.get(f"{self.url}/@@guichet")
        self.assertIn(f'href="{self.url}/@@mes-notifications"', page.text)
        page = session.get(f"{self.url}/@@mes-notifications")
        self.assertEqual(page.status_code, 200)
        token = re.search(r'name="_authenticator" value="([^"]+)"', page.text)[1]
        refused = session.post(f"{self.url}/@@mes-notifications", data={"digest": "1"})
        self.assertEqual(refused.status_code, 403)
        saved = session.post(
            f"{self.url}/@@mes-notifications",
            data={"digest": "1", "_authenticator": token},
        )
        self.assertEqual(saved.status_code, 200)
        self.assertIn("Votre choix est enregistré.", saved.text)
        self.assertIn('checked="checked"', saved.text)
        answer = rest_session(self.url, *AGENT).get(f"{self.url}/@notifications")
        self.assertIs(answer.json()["digest"], True)

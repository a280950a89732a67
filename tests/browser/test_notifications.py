"""Browser test (Chromium): an agent asks for the daily digest from the
user menu (« Mes notifications »), and sees in the Guichet the request
whose citizen was reminded twice without answering. Both pages are checked
by axe-core at WCAG 2.1 AA."""

from datetime import datetime
from illkirch.eservices import business_days
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.requests import digest
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import reminders
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from playwright.sync_api import expect
from plone.app.testing import login
from plone.app.testing import logout

import time_machine
import transaction


PARIS = business_days.TIMEZONE


class TestNotificationsInBrowser(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        passport = portal["demarches"]["rendez-vous-passeport-cni"]
        adult = next(
            p for p in household_of("amelie.lire").persons() if p.member_type == "adult"
        )
        with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=PARIS), tick=False):
            login(portal, "amélie.lire")
            self.filed = submission.submit(
                passport, dict(PASSPORT_ANSWERS), member_id=adult.getId()
            )
            login(portal, "agent.accueil")
            processing.fire(self.filed, "ask_documents", "La photo manque.")
        for day in (9, 16):
            with time_machine.travel(datetime(2026, 3, day, 8, tzinfo=PARIS)):
                reminders.remind_all()
        logout()
        transaction.commit()
        super().setUp()

    def test_the_digest_preference_and_the_reminded_flag(self):
        page = self.page
        self.login(*AGENT)
        page.locator("#personaltools-menulink").click()
        page.locator("#personaltools-mes-notifications").click()
        expect(page.locator("h1")).to_have_text("Mes notifications")
        box = page.get_by_label(
            "Recevoir chaque jour ouvré un résumé des demandes de mes groupes"
        )
        expect(box).not_to_be_checked()
        self.assert_accessible("Mes notifications")
        box.check()
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_text("Votre choix est enregistré.")).to_be_visible()
        expect(box).to_be_checked()
        transaction.begin()
        self.assertTrue(digest.wants("agent.accueil"))

        page.goto(f"{self.portal_url}/@@guichet")
        row = page.locator(f"#demande-{self.filed.number}")
        expect(row.locator(".eservices-reminded")).to_have_text(
            "Relancé 2 fois, sans réponse"
        )
        self.assert_accessible("Guichet avec une demande relancée")

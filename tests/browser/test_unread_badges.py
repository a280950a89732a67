"""Browser test (Chromium): the unread messages' badges. A citizen's
message puts « 1 message non lu » on the request's row of the Guichet for
the agents of its group; the filter « Messages non lus » keeps it and
leaves the others; once the agent has read it (``store.mark_read``: the
request's page marks it, which is the conversation's part) the badge and
the filtered row go. An agent's reply shows on the citizen's « Mon espace »:
on the Demandes tab (every tab of « Mon espace »), on the request's row of
Accueil and of Demandes. axe-core clean with the badges at 1280 and 320 px."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.conversation import store
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.unread import agent_says
from illkirch.eservices.testing.unread import citizen_says
from playwright.sync_api import expect
from plone.app.testing import login
from plone.app.testing import logout

import transaction


def adult(userid):
    return next(
        p for p in household_of(userid).persons() if p.member_type == "adult"
    ).getId()


class TestUnreadBadges(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        passport = portal["demarches"]["rendez-vous-passeport-cni"]
        login(portal, "amélie.lire")
        self.asked = submission.submit(
            passport, dict(PASSPORT_ANSWERS), member_id=adult("amelie.lire")
        )
        self.other = submission.submit(
            passport, dict(PASSPORT_ANSWERS), member_id=adult("amelie.lire")
        )
        logout()
        transaction.commit()
        super().setUp()

    def row(self, number):
        return self.page.locator(f"#demande-{number}")

    def test_guichet_badge_filter_and_reading(self):
        page = self.page
        citizen_says(self.asked, "amelie.lire", "Puis-je venir avec mon fils ?")
        transaction.commit()
        self.login(*AGENT)
        page.goto(f"{self.portal_url}/@@guichet")
        badge = self.row(self.asked.number).locator(".eservices-unread")
        expect(badge).to_have_text("1 message non lu")
        expect(badge.locator("svg")).to_have_attribute("aria-hidden", "true")
        expect(self.row(self.other.number).locator(".eservices-unread")).to_have_count(
            0
        )
        self.assert_accessible("Guichet, un message non lu")

        # the filter « Messages non lus »
        page.get_by_label("Messages non lus seulement").check()
        page.locator("#guichet-filter").click()
        self.assertIn("unread=1", page.url)
        expect(page.locator("#guichet-unread")).to_be_checked()
        expect(self.row(self.asked.number)).to_be_visible()
        expect(self.row(self.other.number)).to_have_count(0)
        expect(page.locator("#guichet-total")).to_have_text("1 demande(s).")
        self.assert_accessible("Guichet, messages non lus")

        # read by the agent: the badge goes, the filter keeps nothing
        store.mark_read(self.asked, "agent.accueil", store.AGENT)
        transaction.commit()
        page.reload()
        expect(self.row(self.asked.number)).to_have_count(0)
        expect(page.locator(".eservices-empty")).to_be_visible()
        page.goto(f"{self.portal_url}/@@guichet")
        expect(self.row(self.asked.number)).to_be_visible()
        expect(self.row(self.asked.number).locator(".eservices-unread")).to_have_count(
            0
        )

    def test_citizen_sees_the_agents_reply(self):
        page = self.page
        agent_says(self.asked, "agent.accueil", "Oui, venez ensemble.")
        agent_says(self.asked, "agent.accueil", "Apportez sa photo.")
        agent_says(self.other, "agent.accueil", "Note interne", internal=True)
        transaction.commit()
        self.login(*AMELIE)
        page.goto(f"{self.portal_url}/@@mon-espace")
        tab = page.locator(".eservices-tabs").get_by_role("link", name="Demandes")
        expect(tab).to_have_text("Demandes 2 messages non lus")
        row = page.locator("#demandes-en-cours li", has_text=self.asked.number)
        expect(row.locator(".eservices-unread")).to_have_text("2 messages non lus")
        other = page.locator("#demandes-en-cours li", has_text=self.other.number)
        expect(other.locator(".eservices-unread")).to_have_count(0)  # a note
        self.assert_accessible("Mon espace, messages non lus")

        page.goto(f"{self.portal_url}/@@mon-espace-demandes")
        row = page.locator("table.eservices-requests tr", has_text=self.asked.number)
        expect(row.locator(".eservices-unread")).to_have_text("2 messages non lus")
        expect(tab).to_have_attribute("aria-current", "page")
        expect(tab.locator(".eservices-unread")).to_have_text("2 messages non lus")
        self.assert_accessible("Mes demandes, messages non lus")

        store.mark_read(self.asked, "amelie.lire", store.CITIZEN)
        transaction.commit()
        page.reload()
        expect(page.locator(".eservices-unread")).to_have_count(0)

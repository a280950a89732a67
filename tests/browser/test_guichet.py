"""Browser test (Chromium): an agent works through the « Guichet »: filters
by service and status, assigns two requests to herself, accepts both at once
with one message (each citizen gets the email), exports the list as CSV and
reads it back. The page is checked by axe-core at WCAG 2.1 AA."""

from datetime import date
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import queue
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from playwright.sync_api import expect
from plone.app.testing import login
from plone.app.testing import logout

import csv
import io
import transaction


PASSPORT = "Demande de rendez-vous passeport / carte d'identité"
COMMENT = "Le service vous appellera pour fixer l'heure du rendez-vous."


def member(userid, member_type):
    return next(
        p for p in household_of(userid).persons() if p.member_type == member_type
    ).getId()


class TestGuichetInBrowser(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        services = portal["demarches"]
        passport = services["rendez-vous-passeport-cni"]
        login(portal, "amélie.lire")
        self.amelie = submission.submit(
            passport, dict(PASSPORT_ANSWERS), member_id=member("amelie.lire", "adult")
        )
        self.leo = submission.submit(
            services["inscription-periscolaire"],
            dict(PERISCOLAIRE_ANSWERS),
            by_post=True,
            member_id=member("amelie.lire", "child"),
        )
        login(portal, "jérôme.attente")
        self.jerome = submission.submit(
            passport,
            dict(PASSPORT_ANSWERS),
            member_id=member("jerome.attente", "adult"),
        )
        login(portal, "agent.accueil")
        for request_obj in (self.amelie, self.jerome):
            processing.fire(request_obj, "mark_complete")
        self.jerome.due_date = date(2026, 4, 7)  # long past: « En retard »
        self.jerome.reindexObject()
        self.numbers = (self.amelie.number, self.jerome.number)
        logout()
        transaction.commit()
        super().setUp()

    def rows(self):
        return self.page.locator("table.eservices-guichet-table tbody tr")

    def test_filter_assign_accept_in_bulk_and_export(self):
        page = self.page
        self.login(*AGENT)
        page.locator("#personaltools-menulink").click()  # the user menu
        page.locator("#personaltools-guichet").click()
        expect(page.locator("h1")).to_have_text("Guichet")
        for number in (*self.numbers, self.leo.number):
            expect(page.locator(f"#demande-{number}")).to_be_visible()
        self.assert_accessible("Guichet")

        # filter by service and status (the périscolaire request goes away)
        page.locator("#guichet-service").select_option(label=PASSPORT)
        page.locator("#guichet-review_state").select_option("complete")
        page.locator("#guichet-filter").click()
        expect(self.rows()).to_have_count(2)
        expect(page.locator(f"#demande-{self.leo.number}")).to_have_count(0)
        expect(page.locator("#guichet-count-complete")).to_have_attribute(
            "aria-current", "true"
        )
        for number in self.numbers:
            row = page.locator(f"#demande-{number}")
            expect(row.locator(".eservices-status")).to_have_text("Complète")
        late = page.locator(f"#demande-{self.jerome.number}").get_by_text("En retard")
        expect(late).to_be_visible()  # a word, not only a colour
        expect(page.locator(f"#demande-{self.amelie.number}")).not_to_contain_text(
            "En retard"
        )
        self.assertIn("review_state=complete", page.url)
        self.assert_accessible("Guichet filtré")

        # assign both to herself
        for number in self.numbers:
            page.locator(f"#select-{number}").check()
        page.locator("#guichet-assign-me").click()
        expect(page.locator(".portalMessage").first).to_contain_text("2")
        self.assertIn("review_state=complete", page.url)
        for number in self.numbers:
            expect(page.locator(f"#demande-{number}")).to_contain_text(
                "Claire Guichet (agent)"
            )
        page.locator("#guichet-assignee").select_option("me")
        page.locator("#guichet-filter").click()
        expect(self.rows()).to_have_count(2)

        # accept both with one message
        for number in self.numbers:
            page.locator(f"#select-{number}").check()
        page.locator("#guichet-transition").select_option("accept")
        page.locator("#guichet-comment").fill(COMMENT)
        page.locator("#guichet-apply").click()
        expect(page.locator(".portalMessage").first).to_contain_text("2")
        expect(self.rows()).to_have_count(0)  # no longer « Complète »
        for to, number in (
            ("amelie.lire@example.org", self.amelie.number),
            ("jerome.attente@example.org", self.jerome.number),
        ):
            message = self.wait_for_mail(to, "Validée")
            self.assertIn(number, message["Subject"])
            self.assertIn(COMMENT, message.get_body(("plain",)).get_content())

        # the accepted ones, exported as CSV
        page.locator("#guichet-count-accepted").click()
        expect(self.rows()).to_have_count(2)
        self.assert_accessible("Guichet, demandes validées")
        with page.expect_download() as download_info:
            page.locator("#guichet-export").click()
        download = download_info.value
        self.assertRegex(download.suggested_filename, r"^guichet-\d{4}-\d\d-\d\d\.csv$")
        with open(download.path(), "rb") as exported:
            data = exported.read()
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(rows[0], list(queue.CSV_HEADER))
        by_number = {row[0]: row for row in rows[1:]}
        self.assertEqual(set(by_number), set(self.numbers))
        amelie = by_number[self.amelie.number]
        self.assertEqual(amelie[1], PASSPORT)
        self.assertEqual(amelie[3], "Amélie Lire")
        self.assertEqual(amelie[5], "Validée")
        self.assertEqual(amelie[7], "Non")
        self.assertEqual(amelie[8], "Claire Guichet (agent)")
        jerome = by_number[self.jerome.number]
        self.assertEqual((jerome[3], jerome[4]), ("Jérôme Attente", "Jérôme Attente"))
        self.assertEqual((jerome[6], jerome[7]), ("07/04/2026", "Non"))  # accepted

"""Browser test (Chromium): the statistics dashboard ``@@tableau-de-bord``.

A Supervisor « Responsable » opens it from the user menu after requests were
filed and decided through the real paths, reads the figures, changes the
period (the figures follow), downloads the CSV and finds in it the figures
shown; the page is checked by axe-core at 1280 and 320 px, in its error
state too, and never scrolls sideways at 320 px (its tables scroll in their
own regions). An agent sees their groups' services only; a citizen is
refused."""

from datetime import timedelta
from illkirch.eservices import business_days
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import submission
from illkirch.eservices.statistics.periods import day_label
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from playwright.sync_api import expect
from plone import api
from plone.app.testing import login
from plone.app.testing import logout

import csv
import io
import re
import transaction


SUPERVISOR = ("claude.responsable", "Responsable-Demo-2026")
PASSPORT = "Demande de rendez-vous passeport / carte d'identité"
SIGNALEMENT = "Signalement sur la voie publique"


def member(userid, member_type):
    return next(
        p for p in household_of(userid).persons() if p.member_type == member_type
    ).getId()


class TestStatisticsDashboard(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        services = portal["demarches"]
        passport = services["rendez-vous-passeport-cni"]
        login(portal, "amélie.lire")
        filed = [
            submission.submit(
                passport,
                dict(PASSPORT_ANSWERS),
                member_id=member("amelie.lire", "adult"),
            )
            for _index in range(3)
        ]
        submission.submit(
            services["inscription-periscolaire"],
            dict(PERISCOLAIRE_ANSWERS),
            by_post=True,
            member_id=member("amelie.lire", "child"),
        )
        submission.submit(
            services["signalement-voie-publique"], dict(SIGNALEMENT_ANSWERS)
        )
        login(portal, "agent.accueil")
        for request_obj in filed[:2]:
            processing.fire(request_obj, "mark_complete")
        processing.fire(filed[0], "accept")
        processing.fire(filed[1], "reject", "La photo d'identité n'est pas conforme.")
        logout()
        api.user.create(
            email="claude.responsable@illkirch.example",
            username=SUPERVISOR[0],
            password=SUPERVISOR[1],
            properties={"fullname": "Claude Responsable"},
        )
        api.group.add_user(groupname="Responsables", username=SUPERVISOR[0])
        self.passport_uid = passport.UID()
        self.today = business_days.today()
        transaction.commit()
        super().setUp()

    def figure(self, name):
        return self.page.locator(f"#chiffre-{name} dd")

    def assert_no_sideways_scroll(self, what):
        page = self.page
        size = page.viewport_size
        page.set_viewport_size({"width": 320, "height": 640})
        try:
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth,"
                " document.documentElement.clientWidth]"
            )
            self.assertLessEqual(widths[0], widths[1], f"{what} scrolls sideways")
        finally:
            page.set_viewport_size(size)

    def show(self):
        self.page.locator("#statistiques-afficher").click()
        expect(self.page.locator("h1")).to_have_text("Tableau de bord statistique")

    def test_supervisor_changes_the_period_and_downloads_the_csv(self):
        page = self.page
        page.set_viewport_size({"width": 1280, "height": 900})
        self.login(*SUPERVISOR)
        page.goto(self.portal_url)
        page.locator("#personaltools-menulink").click()
        page.locator("#personaltools-tableau-de-bord").click()
        expect(page.locator("h1")).to_have_text("Tableau de bord statistique")

        # this year (the default): the five requests, one accepted, one refused
        expect(self.figure("deposees")).to_have_text("5")
        expect(self.figure("acceptees")).to_have_text("1")
        expect(self.figure("refusees")).to_have_text("1")
        passport = page.locator(f"#service-{self.passport_uid}")
        expect(passport.locator("td").nth(2)).to_have_text("3")  # filed
        expect(page.locator("#statut-rejected td")).to_have_text("1")
        chart = page.locator("svg#graphique-demandes")
        expect(chart).to_have_attribute("role", "img")
        expect(chart).to_have_attribute(
            "aria-labelledby", "graphique-demandes-title graphique-demandes-desc"
        )
        # on a phone the chart scrolls in its own region, named by its title
        region = page.get_by_role(
            "region", name=re.compile(r"^Demandes déposées et décidées \(Du ")
        )
        expect(region).to_have_attribute("tabindex", "0")
        expect(region.locator("svg")).to_have_count(1)
        expect(page.locator("#tableau-paiements")).to_be_visible()
        expect(page.locator("#chiffre-comptes-crees")).to_be_visible()
        self.assert_accessible("Tableau de bord, année en cours")
        self.assert_no_sideways_scroll("Tableau de bord")

        # last month (or January, last year's December): none of them
        earlier = self.today.replace(day=1) - timedelta(days=1)
        page.locator("#statistiques-period-month").check()
        page.locator("#statistiques-month").fill(f"{earlier:%Y-%m}")
        self.show()
        self.assertIn("period=month", page.url)
        expect(self.figure("deposees")).to_have_text("0")
        expect(self.figure("acceptees")).to_have_text("0")
        expect(page.locator("#statut-rejected td")).to_have_text("1")  # today's
        # a month's series is by day: its first day is the first row
        expect(page.locator("#tableau-series tbody tr").first).to_have_attribute(
            "id", f"periode-{earlier:%Y-%m}-01"
        )

        # this month, the passport service only
        page.locator("#statistiques-month").fill(f"{self.today:%Y-%m}")
        page.locator("#statistiques-service").select_option(label=PASSPORT)
        self.show()
        expect(self.figure("deposees")).to_have_text("3")
        expect(page.locator("#tableau-services tbody tr")).to_have_count(1)
        today_row = page.locator(f"#periode-{self.today.isoformat()}")
        expect(today_row.locator("td").nth(0)).to_have_text("3")  # filed
        expect(today_row.locator("td").nth(1)).to_have_text("2")  # decided
        self.assert_accessible("Tableau de bord, un mois, un service")

        # the CSV of the same figures
        with page.expect_download() as download_info:
            page.locator("#statistiques-csv").click()
        download = download_info.value
        self.assertEqual(
            download.suggested_filename,
            f"statistiques-{self.today.replace(day=1).isoformat()}-"
            f"{_month_end(self.today).isoformat()}.csv",
        )
        with open(download.path(), "rb") as exported:
            data = exported.read()
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        found = sections(data.decode("utf-8-sig"))
        self.assertEqual(found["Période"]["Démarche"], [PASSPORT])
        self.assertEqual(
            found["Période"]["Du"], [self.today.replace(day=1).isoformat()]
        )
        requests = found["Demandes"]
        for label, shown in (
            ("Déposées", "deposees"),
            ("Acceptées", "acceptees"),
            ("Refusées", "refusees"),
        ):
            self.assertEqual(requests[label], [self.figure(shown).inner_text()])
        by_service = found["Par démarche"]
        self.assertEqual(list(by_service), [PASSPORT])
        self.assertEqual(by_service[PASSPORT][2:5], ["3", "1", "1"])
        days = found["Évolution"][day_label(self.today)]
        self.assertEqual(days[2:5], ["3", "1", "1"])

        # a wrong period: the error beside its field, the figures withheld
        page.goto(
            f"{self.portal_url}/@@tableau-de-bord?period=custom"
            "&from=2026-03-10&to=2026-03-01"
        )
        error = page.locator("#statistiques-to-error")
        expect(error).to_be_visible()
        expect(page.locator("#statistiques-to")).to_have_attribute(
            "aria-describedby", "statistiques-to-error"
        )
        expect(page.locator("#statistiques-errors a")).to_have_attribute(
            "href", "#statistiques-to"
        )
        expect(page.locator("#tableau-services")).to_have_count(0)
        self.assert_accessible("Tableau de bord, période erronée")

    def test_agent_sees_their_groups_services(self):
        page = self.page
        self.login(*VOIRIE)
        page.goto(f"{self.portal_url}/@@tableau-de-bord")
        expect(page.locator("h1")).to_have_text("Tableau de bord statistique")
        expect(self.figure("deposees")).to_have_text("1")  # the street report
        options = page.locator("#statistiques-service option")
        expect(options.filter(has_text=PASSPORT)).to_have_count(0)
        expect(options.filter(has_text=SIGNALEMENT)).to_have_count(1)
        expect(page.locator("#tableau-paiements")).to_have_count(0)
        expect(page.locator(f"#service-{self.passport_uid}")).to_have_count(0)
        self.assert_accessible("Tableau de bord d'un agent")
        self.logout()
        self.login(*AGENT)
        page.goto(f"{self.portal_url}/@@tableau-de-bord")
        expect(self.figure("deposees")).to_have_text("4")  # enfance, population

    def test_citizen_refused(self):
        page = self.page
        self.login(*AMELIE)
        expect(page.locator("a[href$='/@@tableau-de-bord']")).to_have_count(0)
        page.goto(f"{self.portal_url}/@@tableau-de-bord")
        expect(page.locator("#statistiques-form")).to_have_count(0)
        expect(page.locator("h1")).not_to_have_text("Tableau de bord statistique")
        response = page.request.get(
            f"{self.portal_url}/@@tableau-de-bord/csv", max_redirects=0
        )
        self.assertNotEqual(response.status, 200)


def sections(text):
    """The CSV's sections (a heading, column titles, rows, a blank line) as
    ``{heading: {first cell: the other cells}}``."""
    found = {}
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    while rows:
        heading, _header = rows[0][0], rows[1]
        end = rows.index([]) if [] in rows else len(rows)
        found[heading] = {row[0]: row[1:] for row in rows[2:end]}
        rows = rows[end + 1 :]
    return found


def _month_end(day):
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)

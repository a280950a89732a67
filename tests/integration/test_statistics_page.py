"""The dashboard's view ``@@tableau-de-bord`` (browser/statistics.py): the
form's fields read into a period (errors beside the fields, in French), the
figures of requests filed and decided through the real paths, the scope of
a Supervisor and of an agent, the downloads' headers and file names, and the
charts' markup (browser/charts.py)."""

from illkirch.eservices import business_days
from illkirch.eservices.accounts import households
from illkirch.eservices.browser import charts
from illkirch.eservices.browser import statistics
from illkirch.eservices.requests import assignment
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from zExceptions import Unauthorized
from zope.publisher.interfaces import NotFound

import lxml.html
import unittest


SUPERVISOR = "claude.responsable"


def person(household, member_type):
    return next(p for p in household.persons() if p.member_type == member_type)


def add_supervisor():
    api.user.create(
        email="claude.responsable@illkirch.example",
        username=SUPERVISOR,
        password="Responsable-Demo-2026",
        properties={"fullname": "Claude Responsable"},
    )
    api.group.add_user(groupname="Responsables", username=SUPERVISOR)


class StatisticsPageTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        _mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        services = self.portal["demarches"]
        self.periscolaire = services["inscription-periscolaire"]
        self.passport = services["rendez-vous-passeport-cni"]
        amelie = households.household_of("amelie.lire")
        login(self.portal, "amélie.lire")
        filed = [
            submission.submit(
                self.passport,
                dict(PASSPORT_ANSWERS),
                member_id=person(amelie, "adult").getId(),
            )
            for _index in range(3)
        ]
        submission.submit(
            self.periscolaire,
            dict(PERISCOLAIRE_ANSWERS),
            member_id=person(amelie, "child").getId(),
            by_post=True,
        )
        submission.submit(
            services["signalement-voie-publique"], dict(SIGNALEMENT_ANSWERS)
        )
        login(self.portal, "agent.accueil")
        for request_obj in filed[:2]:
            assignment.assign(request_obj, "me")
            processing.fire(request_obj, "mark_complete")
        processing.fire(filed[0], "accept")
        processing.fire(filed[1], "reject", "Pièce d'identité illisible.")
        logout()
        add_supervisor()
        self.today = business_days.today()

    def render(self, userid, **form):
        login(self.portal, userid)
        self.request.form.clear()
        self.request.form.update(form)
        view = self.portal.restrictedTraverse("@@tableau-de-bord")
        return view, lxml.html.fromstring(view())

    def text(self, html, selector):
        return " ".join(html.cssselect(selector)[0].text_content().split())

    def test_supervisor_sees_every_service_and_the_figures(self):
        view, html = self.render(SUPERVISOR)
        self.assertEqual(self.text(html, "#chiffre-deposees dd"), "5")
        self.assertEqual(self.text(html, "#chiffre-acceptees dd"), "1")
        self.assertEqual(self.text(html, "#chiffre-refusees dd"), "1")
        row = html.cssselect(f"#service-{self.passport.UID()} td")
        # group, announced delay, filed, accepted, refused
        self.assertEqual([cell.text_content() for cell in row[2:5]], ["3", "1", "1"])
        self.assertEqual(self.text(html, "#statut-rejected td"), "1")
        options = html.cssselect("#statistiques-service option")
        self.assertGreater(len(options), 3)  # every service, and « all »
        self.assertTrue(html.cssselect("#tableau-paiements"))
        self.assertTrue(html.cssselect("#chiffre-comptes-crees"))
        month = f"{self.today.year}-{self.today.month:02d}"
        series = html.cssselect(f"#periode-{month} td")
        self.assertEqual([cell.text_content() for cell in series[:2]], ["5", "2"])
        # two decisions by one agent: « < 5 », without processing times
        cells = html.cssselect("#tableau-agents tbody tr")[0]
        self.assertEqual(cells[0].text_content(), "Claire Guichet (agent)")
        self.assertEqual(
            [cell.text_content() for cell in cells[1:]],
            ["< 5", "< 5", "< 5", "–", "–"],
        )
        self.assertIn(
            f"{view.base_url()}/csv?period=year&year={self.today.year}",
            html.cssselect("#statistiques-csv")[0].get("href"),
        )

    def test_one_service(self):
        _view, html = self.render(SUPERVISOR, service=self.periscolaire.UID())
        self.assertEqual(self.text(html, "#chiffre-deposees dd"), "1")
        self.assertEqual(len(html.cssselect("#tableau-services tbody tr")), 1)
        self.assertIn(
            f"service={self.periscolaire.UID()}",
            html.cssselect("#statistiques-ods")[0].get("href"),
        )

    def test_another_period_has_none_of_them(self):
        _view, html = self.render(
            SUPERVISOR, period="year", year=str(self.today.year - 1)
        )
        self.assertEqual(self.text(html, "#chiffre-deposees dd"), "0")
        # the statuses are today's, whatever the period
        self.assertEqual(self.text(html, "#statut-rejected td"), "1")

    def test_errors_beside_the_fields(self):
        _view, html = self.render(SUPERVISOR, period="custom", to="2026-02-10")
        self.assertTrue(html.cssselect("#statistiques-from-error"))
        field = html.cssselect("#statistiques-from")[0]
        self.assertEqual(field.get("aria-invalid"), "true")
        self.assertEqual(field.get("aria-describedby"), "statistiques-from-error")
        self.assertFalse(html.cssselect("#tableau-services"))
        _view, html = self.render(
            SUPERVISOR, period="custom", **{"from": "2026-02-10", "to": "31/02/2026"}
        )
        self.assertTrue(html.cssselect("#statistiques-to-error"))
        self.assertFalse(html.cssselect("#statistiques-from-error"))
        _view, html = self.render(SUPERVISOR, period="month", month="2026-13")
        self.assertEqual(
            self.text(html, "#statistiques-month-error"),
            "Indiquez un mois sous la forme AAAA-MM, par exemple 2026-03.",
        )
        links = html.cssselect("#statistiques-errors a")
        self.assertEqual(links[0].get("href"), "#statistiques-month")
        _view, html = self.render(SUPERVISOR, period="quarter", quarter="5", year="26")
        self.assertTrue(html.cssselect("#statistiques-quarter-error"))
        self.assertTrue(html.cssselect("#statistiques-year-error"))
        _view, html = self.render(SUPERVISOR, service="nothing-of-the-kind")
        self.assertTrue(html.cssselect("#statistiques-service-error"))

    def test_agent_sees_their_groups_services_only(self):
        _view, html = self.render("agent.voirie")
        titles = [
            option.text for option in html.cssselect("#statistiques-service option")
        ]
        self.assertNotIn(self.passport.Title(), titles)
        self.assertEqual(self.text(html, "#chiffre-deposees dd"), "1")
        self.assertFalse(html.cssselect("#tableau-paiements"))
        _view, html = self.render("agent.voirie", service=self.passport.UID())
        self.assertTrue(html.cssselect("#statistiques-service-error"))
        _view, html = self.render("agent.accueil")
        self.assertEqual(self.text(html, "#chiffre-deposees dd"), "4")

    def test_citizen_refused(self):
        login(self.portal, "amélie.lire")
        with self.assertRaises(Unauthorized):
            self.portal.restrictedTraverse("@@tableau-de-bord")

    def download(self, kind, **form):
        login(self.portal, SUPERVISOR)
        self.request.form.clear()
        self.request.form.update(form)
        view = self.portal.restrictedTraverse("@@tableau-de-bord")
        return view.publishTraverse(self.request, kind)()

    def test_downloads(self):
        response = self.request.response
        data = self.download("csv", period="month", month="2026-03")
        self.assertEqual(response.getHeader("Content-Type"), "text/csv; charset=utf-8")
        self.assertEqual(
            response.getHeader("Content-Disposition"),
            'attachment; filename="statistiques-2026-03-01-2026-03-31.csv"',
        )
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        data = self.download(
            "ods",
            period="quarter",
            quarter="2",
            year="2026",
            service=self.passport.UID(),
        )
        self.assertEqual(
            response.getHeader("Content-Type"),
            "application/vnd.oasis.opendocument.spreadsheet",
        )
        self.assertEqual(
            response.getHeader("Content-Disposition"),
            'attachment; filename="statistiques-2026-04-01-2026-06-30.ods"',
        )
        self.assertTrue(data.startswith(b"PK"))  # a zip: OpenDocument
        text = self.download("csv", period="year", year="deux mille")
        self.assertEqual(response.getStatus(), 400)
        self.assertEqual(
            text, "Indiquez une année en quatre chiffres, par exemple 2026."
        )

    def test_unknown_download(self):
        login(self.portal, SUPERVISOR)
        view = self.portal.restrictedTraverse("@@tableau-de-bord")
        with self.assertRaises(NotFound):
            view.publishTraverse(self.request, "xls")

    def test_short_labels_under_the_bars(self):
        def series(*days):
            return [{"from": day} for day in days]

        self.assertEqual(
            statistics.short_labels("month", series("2026-01-01", "2026-02-01")),
            ["janv.", "févr."],
        )
        self.assertEqual(
            statistics.short_labels("quarter", series("2025-10-01", "2026-01-01")),
            ["T4 25", "T1 26"],
        )
        self.assertEqual(statistics.short_labels("day", series("2026-03-05")), ["5/03"])
        self.assertEqual(charts._scale_top([5]), 8)
        self.assertEqual(charts._scale_top(["< 5", None]), 4)
        self.assertEqual(charts._scale_top([37]), 40)

    def test_charts_are_named_images(self):
        svg = charts.column_chart(
            "c", "Demandes <x>", "Barres", ["janvier", "février"], [("A", [1, "< 5"])]
        )
        tree = lxml.html.fromstring(svg)
        self.assertEqual(tree.get("role"), "img")
        self.assertEqual(tree.get("aria-labelledby"), "c-title c-desc")
        self.assertEqual(tree.findtext("title"), "Demandes <x>")
        self.assertIn("&lt; 5", svg)

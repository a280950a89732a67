"""``GET /@statistics`` over HTTP: anonymous visitors and citizens are
refused; an agent gets the figures of their groups' services only, without
the town's payments and accounts; a Supervisor (« Responsables ») every
service's; bad parameters are refused field by field, in French; the same
figures as CSV and ODS downloads."""

from illkirch.eservices.requests import queue
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.sessions import ACCEPT_JSON
from illkirch.eservices.testing.sessions import rest_session
from plone import api

import requests
import transaction
import unittest


SUPERVISOR = ("chef.service", "Responsable-Mairie-2026")
STREET = "signalement-voie-publique"


class TestStatisticsHTTP(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        self.url = portal.absolute_url()
        api.user.create(
            email="chef.service@illkirch.example",
            username=SUPERVISOR[0],
            password=SUPERVISOR[1],
        )
        api.group.add_user(groupname="Responsables", username=SUPERVISOR[0])
        services = queue.all_services()
        self.uids = {service.getId(): service.UID() for service in services}
        self.groups = {service.UID(): service.agents_group for service in services}
        transaction.commit()
        self.sessions = {}

    def session(self, account):
        if account not in self.sessions:
            self.sessions[account] = rest_session(self.url, *account)
            self.addCleanup(self.sessions[account].close)
        return self.sessions[account]

    def statistics(self, account, status=200, **params):
        response = self.session(account).get(f"{self.url}/@statistics", params=params)
        self.assertEqual(response.status_code, status, response.text)
        if status == 200:
            self.assertEqual(response.headers["Cache-Control"], "private, no-store")
        return response.json()

    def row(self, result, service_id):
        return next(
            r for r in result["by_service"] if r["uid"] == self.uids[service_id]
        )

    def test_anonymous_and_citizens_are_refused(self):
        response = requests.get(f"{self.url}/@statistics", headers=ACCEPT_JSON)
        self.assertEqual(response.status_code, 401)
        response = self.session(AMELIE).get(f"{self.url}/@statistics")
        self.assertEqual(response.status_code, 401)
        self.assertNotIn("by_service", response.text)

    def test_an_agent_sees_their_groups_services_only(self):
        result = self.statistics(VOIRIE)
        self.assertEqual(
            [row["uid"] for row in result["by_service"]],
            [uid for uid, group in self.groups.items() if group == "agents-voirie"],
        )
        self.assertIn(self.uids[STREET], [r["uid"] for r in result["by_service"]])
        self.assertIsNone(result["payments"])
        self.assertIsNone(result["accounts"])
        self.assertEqual([g["group"] for g in result["by_group"]], ["agents-voirie"])
        town = self.statistics(SUPERVISOR)
        self.assertEqual(self.row(result, STREET), self.row(town, STREET))
        self.assertEqual(
            result["requests"]["filed"],
            sum(
                r["filed"] for r in town["by_service"] if r["group"] == "agents-voirie"
            ),
        )
        # another group's service is not theirs to ask for
        refused = self.statistics(VOIRIE, 400, service="inscription-periscolaire")
        self.assertEqual(
            refused["error"]["errors"],
            [
                {
                    "field": "service",
                    "message": "Démarche inconnue, ou dont vous ne voyez pas "
                    "les statistiques.",
                }
            ],
        )
        accueil = self.statistics(AGENT)
        self.assertEqual(
            {row["uid"] for row in accueil["by_service"]},
            {
                uid
                for uid, group in self.groups.items()
                if group in ("agents-enfance", "agents-population")
            },
        )

    def test_a_supervisor_sees_every_service_and_a_filing_counts(self):
        before = self.statistics(SUPERVISOR, period="month")
        self.assertEqual(
            {r["uid"] for r in before["by_service"]}, set(self.uids.values())
        )
        self.assertIsNotNone(before["payments"])
        self.assertIsNotNone(before["accounts"])
        response = self.session(AMELIE).post(
            f"{self.url}/@requests",
            json={"service": STREET, "answers": SIGNALEMENT_ANSWERS},
        )
        self.assertEqual(response.status_code, 201, response.text)
        after = self.statistics(SUPERVISOR, period="month", service=STREET)
        self.assertEqual(after["service"], self.uids[STREET])
        self.assertEqual([r["uid"] for r in after["by_service"]], [self.uids[STREET]])
        self.assertEqual(
            after["requests"]["filed"], self.row(before, STREET)["filed"] + 1
        )
        self.assertEqual(
            after["requests"]["status_now"]["submitted"],
            self.row(before, STREET)["status_now"]["submitted"] + 1,
        )
        self.assertEqual(after["period"]["group_by"], "day")
        self.assertEqual(
            sum(b["filed"] for b in after["requests"]["series"]),
            after["requests"]["filed"],
        )

    def test_bad_parameters_in_french(self):
        result = self.statistics(
            SUPERVISOR,
            400,
            period="semaine",
            group_by="siecle",
            **{"from": "31/02/2026"},
        )
        messages = {e["field"]: e["message"] for e in result["error"]["errors"]}
        self.assertEqual(
            messages,
            {
                "from": "Indiquez une date au format JJ/MM/AAAA (ou AAAA-MM-JJ).",
                "group_by": "Regroupez par jour, semaine, mois, trimestre ou année.",
                "period": "Choisissez un mois, un trimestre, une année ou des dates.",
            },
        )
        result = self.statistics(
            SUPERVISOR,
            400,
            period="custom",
            **{"from": "2026-05-01", "to": "2026-04-01"},
        )
        self.assertEqual(
            result["error"]["errors"][0]["message"],
            "La date de début ne doit pas être après la date de fin.",
        )

    def test_csv_and_ods_downloads(self):
        session = self.session(SUPERVISOR)
        json_figures = self.statistics(SUPERVISOR, period="year")
        response = session.get(
            f"{self.url}/@statistics", params={"period": "year", "format": "csv"}
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))
        text = response.content.decode("utf-8-sig")
        self.assertIn(f"Déposées;{json_figures['requests']['filed']}\r\n", text)
        self.assertIn("Paiements en ligne", text)
        response = session.get(
            f"{self.url}/@statistics", params={"period": "year", "format": "ods"}
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            response.headers["Content-Type"],
            "application/vnd.oasis.opendocument.spreadsheet",
        )
        self.assertTrue(response.content.startswith(b"PK"))
        agent = self.session(VOIRIE).get(
            f"{self.url}/@statistics", params={"format": "csv"}
        )
        self.assertEqual(agent.status_code, 200)
        self.assertNotIn("Paiements en ligne", agent.content.decode("utf-8-sig"))

    def test_accept_csv(self):
        response = requests.get(
            f"{self.url}/@statistics",
            params={"period": "month"},
            headers={"Accept": "text/csv"},
            auth=SUPERVISOR,
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertEqual(response.headers["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("Démarche;Groupe d'agents", response.content.decode("utf-8-sig"))

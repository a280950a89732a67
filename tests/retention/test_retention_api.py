"""``GET /@retention`` over HTTP: the periods, the services' own periods and
the purge's last runs, for site administrators only."""

from illkirch.eservices.retention import periods
from illkirch.eservices.retention import purge
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import EDITOR
from illkirch.eservices.testing.demo import REGIE
from illkirch.eservices.testing.sessions import ACCEPT_JSON
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import requests
import transaction
import unittest


class TestRetentionApi(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = f"{self.portal.absolute_url()}/@retention"

    def manager(self):
        session = requests.Session()
        session.headers.update(ACCEPT_JSON)
        session.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        return session

    def test_managers_see_periods_services_and_last_runs(self):
        base = self.portal.absolute_url()
        editor = rest_session(base, *EDITOR)
        service_url = f"{base}/demarches/signalement-voie-publique"
        response = editor.patch(service_url, json={"retention_months": 0})
        self.assertEqual(response.status_code, 400, response.text)
        response = editor.patch(service_url, json={"retention_months": 6})
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(editor.get(service_url).json()["retention_months"], 6)
        transaction.begin()
        counts = purge.run()
        transaction.commit()
        response = self.manager().get(self.url)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Cache-Control"], "private, no-store")
        data = response.json()
        self.assertEqual(data["@id"], self.url)
        table = {row["kind"]: row for row in data["periods"]}
        self.assertEqual(table["requests"]["period"]["months"], periods.REQUEST_MONTHS)
        self.assertEqual(table["accounting"]["period"], {"years": 10})
        self.assertEqual(table["accounting"]["then"], "kept")
        self.assertEqual(table["unpaid_payments"]["period"], {"months": 13})
        self.assertIn("Demandes d'état civil", table["civil_status_requests"]["title"])
        services = {s["@id"].rsplit("/", 1)[-1]: s for s in data["services"]}
        self.assertEqual(
            services["acte-de-naissance"],
            {
                "@id": f"{self.portal.absolute_url()}/demarches/acte-de-naissance",
                "title": services["acte-de-naissance"]["title"],
                "retention_months": periods.CIVIL_STATUS_MONTHS,
                "default": True,
            },
        )
        self.assertEqual(
            services["inscription-periscolaire"]["retention_months"],
            periods.REQUEST_MONTHS,
        )
        self.assertEqual(services["signalement-voie-publique"]["retention_months"], 6)
        self.assertFalse(services["signalement-voie-publique"]["default"])
        # back to the portal's default
        response = editor.patch(service_url, json={"retention_months": None})
        self.assertEqual(response.status_code, 204, response.text)
        data = self.manager().get(self.url).json()
        services = {s["@id"].rsplit("/", 1)[-1]: s for s in data["services"]}
        self.assertTrue(services["signalement-voie-publique"]["default"])
        self.assertEqual(
            services["signalement-voie-publique"]["retention_months"],
            periods.REQUEST_MONTHS,
        )
        self.assertEqual(len(data["runs"]), 1)
        self.assertEqual(data["runs"][0]["counts"], counts)

    def test_citizens_agents_editors_and_anonymous_refused(self):
        base = self.portal.absolute_url()
        for who in (AMELIE, AGENT, REGIE, EDITOR):
            response = rest_session(base, *who).get(self.url)
            self.assertEqual(response.status_code, 401, who[0])
            self.assertNotIn("periods", response.text)
        response = requests.get(self.url, headers=ACCEPT_JSON)
        self.assertEqual(response.status_code, 401)
        self.assertNotIn("periods", response.text)

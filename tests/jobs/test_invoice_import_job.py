"""A large invoice import runs in the background (#16, item 5), over HTTP.

``POST @invoices-import`` with a file of ``BACKGROUND_ROWS`` rows or more
answers 202 and the job's address; ``GET`` on it gives the progress then the
report, or the errors (nothing stored). The test layers run the job at once
(eager mode), but the 202 + GET flow is the one a client follows; the
threshold is lowered so that a test file of a few rows counts as large.
"""

from illkirch.eservices.billing import import_jobs
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import REGIE
from illkirch.eservices.testing.sessions import rest_session
from plone import api
from unittest import mock

import transaction
import unittest


HEADER = (
    "regie;numero;compte_facturation;domaine;beneficiaire;periode;"
    "date_emission;date_echeance;libelle;quantite;prix_unitaire;statut"
)
ROW = (
    "ville;{number};{account};Périscolaire;Léo Lire;07/2026;01/07/2026;"
    "31/07/2026;Restauration scolaire;10;{price};a_payer"
)


def csv(*rows):
    return "\n".join((HEADER, *(ROW.format(**row) for row in rows))) + "\n"


def row(number, account="ILK-000123", price="4,50"):
    return {"number": number, "account": account, "price": price}


class TestBackgroundImport(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = f"{self.portal.absolute_url()}/@invoices-import"
        threshold = mock.patch.object(import_jobs, "BACKGROUND_ROWS", 3)
        threshold.start()
        self.addCleanup(threshold.stop)

    def session(self, account=None):
        return rest_session(self.portal.absolute_url(), *(account or ()))

    def numbers(self):
        transaction.begin()  # see what the server committed
        catalog = api.portal.get_tool("portal_catalog")
        return {
            b._unrestrictedGetObject().number
            for b in catalog.unrestrictedSearchResults(portal_type="Invoice")
        }

    def post(self, data, session=None):
        return (session or self.session(REGIE)).post(
            self.url, data=data.encode("utf-8"), headers={"Content-Type": "text/csv"}
        )

    def test_large_file_answers_202_then_the_job_gives_the_report(self):
        session = self.session(REGIE)
        numbers = [f"V-2026-08{n:02d}" for n in range(1, 5)]
        response = self.post(csv(*(row(n) for n in numbers)), session)
        self.assertEqual(response.status_code, 202, response.text)
        started = response.json()
        job_url = started["@id"]
        self.assertEqual(response.headers["Location"], job_url)
        self.assertEqual(job_url, f"{self.url}/{started['job']}")
        self.assertEqual((started["state"], started["rows"]), ("queued", 4))
        response = session.get(job_url)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        job = response.json()
        self.assertEqual(job["state"], "done")
        self.assertEqual(job["percent"], 100)
        self.assertEqual((job["rows"], job["checked"]), (4, 4))
        self.assertEqual((job["written"], job["total"]), (4, 4))
        self.assertEqual(job["report"]["created"], 4)
        self.assertEqual(job["report"]["invoices"], 4)
        self.assertEqual(job["errors"], [])
        self.assertTrue(set(numbers) <= self.numbers())
        # the same file again: a new job, nothing changes
        again = self.post(csv(*(row(n) for n in numbers)), session).json()
        self.assertNotEqual(again["job"], started["job"])
        report = session.get(again["@id"]).json()["report"]
        self.assertEqual((report["created"], report["unchanged"]), (0, 4))

    def test_refused_file_gives_the_errors_and_stores_nothing(self):
        session = self.session(REGIE)
        data = csv(
            row("V-2026-0811"),
            row("V-2026-0812", account="ILK-999999"),
            row("V-2026-0813", price="quatre"),
        )
        response = self.post(data, session)
        self.assertEqual(response.status_code, 202, response.text)
        job = session.get(response.json()["@id"]).json()
        self.assertEqual(job["state"], "refused")
        self.assertIsNone(job["report"])
        self.assertEqual(
            {(e["row"], e["column"]) for e in job["errors"]},
            {(3, "compte_facturation"), (4, "prix_unitaire")},
        )
        self.assertTrue(all(e["message"] for e in job["errors"]))
        self.assertFalse({"V-2026-0811", "V-2026-0812"} & self.numbers())

    def test_small_file_still_imported_at_once(self):
        response = self.post(csv(row("V-2026-0821"), row("V-2026-0822")))
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["created"], 2)

    def test_unknown_job_and_other_roles(self):
        session = self.session(REGIE)
        response = session.get(f"{self.url}/0123456789abcdef")
        self.assertEqual(response.status_code, 404, response.text)
        self.assertEqual(response.json()["error"]["type"], "NotFound")
        self.assertEqual(session.get(self.url).status_code, 404)
        job_url = self.post(csv(*(row(f"V-2026-083{n}") for n in range(3)))).json()[
            "@id"
        ]
        for account in (None, AMELIE, AGENT):
            response = self.session(account).get(job_url)
            self.assertIn(response.status_code, (401, 403), (account, response.text))
            self.assertNotIn("V-2026-083", response.text)

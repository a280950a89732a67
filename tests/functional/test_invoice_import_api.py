"""``POST /@invoices-import`` over HTTP: only the Finance role imports."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import REGIE
from illkirch.eservices.testing.sessions import rest_session
from plone import api

import transaction
import unittest


HEADER = (
    "regie;numero;compte_facturation;domaine;beneficiaire;periode;"
    "date_emission;date_echeance;libelle;quantite;prix_unitaire;statut"
)
GOOD = (
    HEADER + "\n"
    "ville;V-2026-0701;ILK-000123;Périscolaire;Léo Lire;07/2026;01/07/2026;"
    "31/07/2026;Restauration scolaire;10;4,50;a_payer\n"
)
BAD = (
    HEADER + "\n"
    "ville;V-2026-0702;ILK-000123;Périscolaire;Léo Lire;07/2026;01/07/2026;"
    "31/07/2026;Restauration scolaire;10;4,50;a_payer\n"
    "ville;V-2026-0703;ILK-999999;Périscolaire;Léo Lire;07/2026;01/07/2026;"
    "31/07/2026;Restauration scolaire;10;quatre;a_payer\n"
)


class TestInvoiceImportAPI(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = f"{self.portal.absolute_url()}/@invoices-import"

    def session(self, account=None):
        return rest_session(self.portal.absolute_url(), *(account or ()))

    def numbers(self):
        transaction.begin()  # see what the server committed
        catalog = api.portal.get_tool("portal_catalog")
        return {
            b._unrestrictedGetObject().number
            for b in catalog.unrestrictedSearchResults(portal_type="Invoice")
        }

    def test_finance_imports_csv_then_reimport_is_noop(self):
        session = self.session(REGIE)
        response = session.post(
            self.url, data=GOOD.encode("utf-8"), headers={"Content-Type": "text/csv"}
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["created"], 1)
        self.assertIn("V-2026-0701", self.numbers())
        response = session.post(self.url, json={"format": "csv", "data": GOOD})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["unchanged"], 1)
        self.assertEqual(response.json()["created"], 0)

    def test_finance_imports_json(self):
        row = dict(zip(HEADER.split(";"), GOOD.splitlines()[1].split(";"), strict=True))
        row["numero"] = "V-2026-0704"
        response = self.session(REGIE).post(
            self.url, json={"format": "json", "invoices": [row]}
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertIn("V-2026-0704", self.numbers())

    def test_errors_by_row_and_column_nothing_stored(self):
        response = self.session(REGIE).post(
            self.url, data=BAD.encode("utf-8"), headers={"Content-Type": "text/csv"}
        )
        self.assertEqual(response.status_code, 400, response.text)
        error = response.json()["error"]
        self.assertEqual(error["type"], "ValidationError")
        self.assertEqual(
            {(e["row"], e["column"]) for e in error["errors"]},
            {(3, "compte_facturation"), (3, "prix_unitaire")},
        )
        self.assertTrue(all(e["message"] for e in error["errors"]))
        self.assertNotIn("V-2026-0702", self.numbers())

    def test_bad_body(self):
        response = self.session(REGIE).post(self.url, json={"format": "xml"})
        self.assertEqual(response.status_code, 400, response.text)

    def test_others_may_not_import(self):
        for account in (None, AMELIE, AGENT):
            response = self.session(account).post(
                self.url,
                data=GOOD.encode("utf-8"),
                headers={"Content-Type": "text/csv"},
            )
            self.assertIn(response.status_code, (401, 403), (account, response.text))
        self.assertNotIn("V-2026-0701", self.numbers())

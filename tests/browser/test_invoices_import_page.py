"""Browser test (Chromium): « Importer des factures » (#16, item 5).

A small file is imported at once and the page shows the report; a large one
goes to the background and the page follows its job: the progress bar and
its live text update themselves (the page's script asks
``GET @invoices-import/<job>``) while the job's state moves in the jobs'
store, as the worker moves it, then the page shows the report. Checked by
axe-core at WCAG 2.1 AA.
"""

from illkirch.eservices.billing import import_jobs
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import REGIE
from playwright.sync_api import expect
from unittest import mock

import re


HEADER = (
    "regie;numero;compte_facturation;domaine;beneficiaire;periode;"
    "date_emission;date_echeance;libelle;quantite;prix_unitaire;statut"
)
ROW = (
    "ville;{};ILK-000123;Périscolaire;Léo Lire;07/2026;01/07/2026;"
    "31/07/2026;Restauration scolaire;10;4,50;a_payer"
)


def csv_file(*numbers):
    data = "\n".join((HEADER, *(ROW.format(n) for n in numbers))) + "\n"
    return {"name": "factures.csv", "mimeType": "text/csv", "buffer": data.encode()}


class TestInvoicesImportPage(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        super().setUp()
        threshold = mock.patch.object(import_jobs, "BACKGROUND_ROWS", 3)
        threshold.start()
        self.addCleanup(threshold.stop)
        self.login(*REGIE)

    def send(self, *numbers):
        page = self.page
        page.goto(f"{self.portal_url}/@@import-factures")
        page.get_by_label("Fichier du logiciel de facturation").set_input_files(
            csv_file(*numbers)
        )
        page.get_by_role("button", name="Importer").click()

    def test_small_then_large_file(self):
        page = self.page
        page.goto(f"{self.portal_url}/@@import-factures")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Importer des factures"
        )
        self.assert_accessible("Importer des factures")
        self.send("V-2026-0901")
        expect(page.get_by_role("heading", name="L'import est terminé")).to_be_visible()
        expect(page.get_by_text("1 facture(s) créée(s)")).to_be_visible()
        # a large file: the page follows its job (run at once by the tests'
        # eager mode), then shows the report
        self.send("V-2026-0902", "V-2026-0903", "V-2026-0904")
        expect(page).to_have_url(re.compile(r"/@@import-factures\?job=[0-9a-f]{32}$"))
        expect(page.get_by_role("progressbar")).to_have_attribute("value", "100")
        expect(page.get_by_role("status")).to_have_text("L'import est terminé.")
        expect(page.get_by_text("3 facture(s) créée(s)")).to_be_visible()
        self.assert_accessible("Import terminé")

    def test_progress_updates_itself(self):
        page = self.page
        job_id = "0123456789abcdef0123456789abcdef"
        state = dict(
            job=job_id,
            state="checking",
            rows=200,
            checked=100,
            written=0,
            total=None,
            report=None,
            errors=[],
            user="agent.regie",
        )
        import_jobs._put(job_id, **state)
        page.goto(f"{self.portal_url}/@@import-factures?job={job_id}")
        bar = page.get_by_role("progressbar", name="Factures importées")
        expect(bar).to_have_attribute("value", "5")
        status = page.get_by_role("status")
        expect(status).to_have_text("Vérification des lignes : 100 sur 200…")
        expect(page.get_by_role("button", name="Importer")).to_have_count(0)
        self.assert_accessible("Import en cours")
        import_jobs._put(job_id, state="importing", checked=200, written=20, total=200)
        expect(bar).to_have_attribute("value", "19")
        expect(status).to_have_text(
            "200 lignes vérifiées ; 20 factures enregistrées sur 200."
        )
        # the worker writes on: the bar and its text follow, without reload
        import_jobs._put(job_id, written=180)
        expect(bar).to_have_attribute("value", "91")
        expect(status).to_have_text(
            "200 lignes vérifiées ; 180 factures enregistrées sur 200."
        )
        # finished: the page shows the report
        report = {"created": 150, "updated": 40, "cancelled": 0, "unchanged": 10}
        import_jobs._put(job_id, state="done", written=200, report=report)
        expect(page.get_by_text("150 facture(s) créée(s)")).to_be_visible()
        expect(page.get_by_text("40 facture(s) modifiée(s)")).to_be_visible()
        expect(status).to_have_text("L'import est terminé.")
        expect(page.get_by_role("button", name="Importer")).to_be_visible()

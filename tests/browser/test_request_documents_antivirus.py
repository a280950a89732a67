"""Browser test (Chromium) of the antivirus on a request's documents (#21):
the citizen adds an infected PDF with « Ajouter des pièces » on her
request's page; the real ``clamd`` refuses it, and the page says which file
was refused and invites her to send another; checked by axe-core."""

from illkirch.eservices.accounts import households
from illkirch.eservices.testing import ANTIVIRUS_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.files import infected_pdf
from illkirch.eservices.testing.requests import periscolaire_filing
from illkirch.eservices.testing.sessions import rest_session
from playwright.sync_api import expect


class TestRequestDocumentsAntivirus(BrowserTestCase):
    layer = ANTIVIRUS_FUNCTIONAL_TESTING

    def file_request(self):
        child = next(
            p
            for p in households.household_of("amelie.lire").persons()
            if p.member_type == "child"
        )
        session = rest_session(self.portal_url, *AMELIE)
        self.addCleanup(session.close)
        response = session.post(
            f"{self.portal_url}/@requests", json=periscolaire_filing(child.getId())
        )
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()["@id"]

    def test_citizen_sees_the_refused_file(self):
        url = self.file_request()
        page = self.page
        self.login(*AMELIE)
        page.goto(url)
        page.get_by_label("Pièce", exact=True).select_option(
            label="Carnet de vaccination"
        )
        page.get_by_label("Fichiers (PDF, JPEG ou PNG)").set_input_files(
            {
                "name": "carnet-eicar.pdf",
                "mimeType": "application/pdf",
                "buffer": infected_pdf(),
            }
        )
        page.get_by_role("button", name="Ajouter", exact=True).click()
        notice = page.locator(".eservices-quarantined")
        expect(notice).to_contain_text(
            "Fichier refusé par l'antivirus : carnet-eicar.pdf"
        )
        expect(notice).to_contain_text("Merci d'envoyer un autre fichier")
        expect(page.locator("#documents ul").first).not_to_contain_text(
            "carnet-eicar.pdf"
        )
        self.assert_accessible("demande avec un fichier refusé (usager)")
        self.wait_for_mail("amelie.lire@example.org", "carnet-eicar.pdf")

        # the agents are warned on the request's page
        self.logout()
        self.login(*AGENT)
        page.goto(url)
        expect(page.locator(".eservices-quarantined")).to_contain_text(
            "Fichier refusé par l'antivirus : carnet-eicar.pdf"
        )
        self.assert_accessible("demande avec un fichier refusé (agent)")

"""Browser test (Chromium): « Vérifier un document » (#18), as a third
party without an account sees it: the QR code's address of a real payment
certificate says « Document authentique » with the document's heading
only; a wrong code typed in the form says « Document inconnu »; a file
that is not a PDF is refused with the form's error pattern; the PDF itself
is found identical. axe-core finds nothing on each state, at 1280 px and
320 px; each state has its own title."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.verification import paid_certificate
from playwright.sync_api import expect

import re


class TestVerification(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def test_real_code_unknown_code_and_upload(self):
        payment, data, code = paid_certificate(self.portal)
        page = self.page
        titles = set()

        page.goto(f"{self.portal_url}/@@verifier/{code}")
        result = page.locator("#verify-result")
        expect(result.get_by_role("heading", level=2)).to_have_text(
            "Document authentique"
        )
        expect(result).to_contain_text("Attestation de paiement")
        expect(result).to_contain_text(payment.transaction_id)
        expect(result).not_to_contain_text("Amélie")
        expect(result).not_to_contain_text("V-2026-0412")
        expect(page).to_have_title(re.compile(r"^Document authentique — Vérifier"))
        titles.add(page.title())
        self.assert_accessible("Vérifier un document, document authentique")

        page.get_by_label("Code de vérification", exact=True).first.fill(
            "ABCD-EFGH-JKMN-PQRS"
        )
        page.get_by_role("button", name="Vérifier", exact=True).click()
        expect(result.get_by_role("heading", level=2)).to_have_text("Document inconnu")
        expect(result).not_to_contain_text("Attestation de paiement")
        expect(page).to_have_title(re.compile(r"^Document inconnu — Vérifier"))
        titles.add(page.title())
        self.assert_accessible("Vérifier un document, document inconnu")

        # the upload form: a file that is not a PDF
        form = page.locator("#verify-file-form")
        form.get_by_label("Code de vérification").fill(code)
        form.get_by_label("Fichier PDF").set_input_files(
            files=[
                {
                    "name": "photo.pdf",
                    "mimeType": "application/pdf",
                    "buffer": b"GIF89a",
                }
            ]
        )
        form.get_by_role("button", name="Comparer le fichier").click()
        alert = page.locator(".alert-danger")
        expect(alert).to_contain_text("n'est pas un document PDF")
        expect(alert).to_be_focused()
        expect(page).to_have_title(re.compile(r"^Erreur : Vérifier un document — "))
        titles.add(page.title())
        self.assert_accessible("Vérifier un document, fichier refusé")
        alert.get_by_role("link").click()
        expect(page.locator("#upload-file")).to_be_focused()

        # the PDF as issued
        form.get_by_label("Fichier PDF").set_input_files(
            files=[
                {
                    "name": "attestation.pdf",
                    "mimeType": "application/pdf",
                    "buffer": data,
                }
            ]
        )
        form.get_by_role("button", name="Comparer le fichier").click()
        expect(page.locator("#verify-identical")).to_be_visible()
        expect(page).to_have_title(re.compile(r"^Fichier identique — Vérifier"))
        titles.add(page.title())
        self.assert_accessible("Vérifier un document, fichier identique")
        self.assertEqual(len(titles), 4)

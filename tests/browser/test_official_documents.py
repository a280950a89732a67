"""Browser tests (Chromium) of the official documents' downloads (#18): the
citizen downloads the filing receipt from « Demandes » (the bytes issued),
another household gets 404 for its URL; « Demandes », the request page
with its « Documents officiels » (citizen and agent) and « Mes comptes »
with a payment certificate pass axe."""

from illkirch.eservices.official_documents import store
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.conversation import file_over_rest
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.official_documents import by_url
from illkirch.eservices.testing.official_documents import issue
from illkirch.eservices.testing.official_documents import paid_payment
from illkirch.eservices.testing.official_documents import sync
from illkirch.eservices.testing.sessions import rest_session
from pathlib import Path
from playwright.sync_api import expect

import re
import transaction


class TestOfficialDocuments(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        super().setUp()
        citizen = rest_session(self.portal_url, *AMELIE)
        self.addCleanup(citizen.close)
        self.request_url = file_over_rest(self.portal_url, citizen)
        sync(self.portal)
        self.request_obj = by_url(self.portal, self.request_url)
        self.number = self.request_obj.number
        # the receipt the queue issued when the request was filed (#18)
        (self.receipt,) = store.of_kind(self.request_obj, store.RECEIPT)
        self.receipt_url = f"{self.request_url}/@@document-officiel/{self.receipt.id}"

    def test_the_citizen_downloads_the_receipt_from_her_requests(self):
        page = self.page
        self.login(*AMELIE)
        page.goto(f"{self.portal_url}/@@mon-espace-demandes")
        link = page.get_by_role(
            "link",
            name=re.compile(
                rf"^Télécharger le récépissé de la demande {self.number} "
                r"\(PDF, \d+ ko\)$"
            ),
        )
        expect(link).to_have_attribute("href", self.receipt_url)
        expect(link).to_have_text(re.compile("Récépissé \\(PDF\\)"))
        self.assert_accessible("Demandes, avec un récépissé")
        with page.expect_download() as info:
            link.click()
        download = info.value
        data = Path(download.path()).read_bytes()
        self.assertTrue(data.startswith(b"%PDF"))
        self.assertEqual(data, self.receipt.data())
        self.assertEqual(download.suggested_filename, self.receipt.filename)

        # the request's page lists it in « Documents officiels »
        page.goto(self.request_url)
        section = page.locator("#documents-officiels")
        expect(section.get_by_role("heading")).to_have_text("Documents officiels")
        expect(section.get_by_role("link")).to_have_attribute("href", self.receipt_url)
        self.assert_accessible("une demande avec ses documents officiels")

        # another household: 404 for its URL
        self.logout()
        self.login(*JEROME)
        response = page.request.get(self.receipt_url)
        self.assertEqual(response.status, 404)
        self.assertFalse(response.body().startswith(b"%PDF"))

    def test_the_agent_sees_the_documents_on_the_guichets_request_page(self):
        page = self.page
        self.login(*AGENT)
        page.goto(self.request_url)
        section = page.locator("#documents-officiels")
        expect(section.get_by_role("heading", level=2)).to_have_text(
            "Documents officiels"
        )
        link = section.get_by_role(
            "link", name=re.compile(f"récépissé de la demande {self.number}")
        )
        with page.expect_download() as info:
            link.click()
        self.assertEqual(Path(info.value.path()).read_bytes(), self.receipt.data())
        self.assert_accessible("une demande au Guichet, avec ses documents officiels")

    def test_my_accounts_links_the_payment_certificate(self):
        payment = paid_payment(self.portal)
        certificate, _code = issue(
            payment, store.PAYMENT_CERTIFICATE, payment.transaction_id
        )
        transaction.commit()
        page = self.page
        self.login(*AMELIE)
        page.goto(f"{self.portal_url}/@@mon-espace-factures")
        section = page.locator("#attestations")
        expect(section.get_by_role("heading")).to_have_text("Attestations de paiement")
        link = section.get_by_role(
            "link", name=re.compile(r"^Télécharger l'attestation de paiement du ")
        )
        expect(link).to_have_attribute(
            "href",
            f"{payment.absolute_url()}/@@document-officiel/{certificate.id}",
        )
        self.assert_accessible("Mes comptes, avec une attestation de paiement")
        with page.expect_download() as info:
            link.click()
        self.assertEqual(Path(info.value.path()).read_bytes(), certificate.data())

"""Who lists and downloads the official documents (#18), over HTTP: a
request's are its household's citizen's and its service's agents', a
payment's its household's citizen's and the régie staff's. Another
household, an agent of another group (or any agent, for a payment) and an
anonymous visitor get 401, 403 or 404 on the page download, the REST list
and the REST download; nothing of the documents is searchable, and the
catalog's column shows only kind, id and size."""

from illkirch.eservices.official_documents import store
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.conversation import file_over_rest
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import REGIE
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.official_documents import by_url
from illkirch.eservices.testing.official_documents import catalog_record
from illkirch.eservices.testing.official_documents import issue
from illkirch.eservices.testing.official_documents import paid_payment
from illkirch.eservices.testing.official_documents import sync
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import lxml.html
import re
import transaction
import unittest


REFUSED = (401, 403, 404)


class TestIssuedDocumentsAccess(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.amelie = self.session(AMELIE)
        self.request_url = file_over_rest(self.url, self.amelie)
        sync(self.portal)
        self.request_obj = by_url(self.portal, self.request_url)
        self.number = self.request_obj.number
        self.receipt, self.receipt_code = issue(
            self.request_obj, store.RECEIPT, self.number
        )
        self.payment = paid_payment(self.portal)
        self.certificate, self.certificate_code = issue(
            self.payment, store.PAYMENT_CERTIFICATE, self.payment.transaction_id
        )
        self.payment_url = self.payment.absolute_url()
        transaction.commit()

    def session(self, account=None):
        session = rest_session(self.url, *(account or ()))
        self.addCleanup(session.close)
        return session

    def browser(self, account):
        session = cookie_session(self.url, *account)
        self.addCleanup(session.close)
        return session

    def routes(self):
        """(what, URL, the document) of every way to a document."""
        return (
            (
                "request page download",
                f"{self.request_url}/@@document-officiel/{self.receipt.id}",
                self.receipt,
            ),
            ("request REST list", f"{self.request_url}/@documents", None),
            (
                "request REST download",
                f"{self.request_url}/@documents/{self.receipt.id}",
                self.receipt,
            ),
            (
                "payment page download",
                f"{self.payment_url}/@@document-officiel/{self.certificate.id}",
                self.certificate,
            ),
            ("payment REST list", f"{self.payment_url}/@documents", None),
            (
                "payment REST download",
                f"{self.payment_url}/@documents/{self.certificate.id}",
                self.certificate,
            ),
        )

    def assert_download(self, response, document, what):
        self.assertEqual(response.status_code, 200, f"{what}: {response.text[:300]}")
        self.assertEqual(response.content, document.data(), what)
        self.assertTrue(response.content.startswith(b"%PDF"), what)
        headers = response.headers
        self.assertEqual(headers["Content-Type"], "application/pdf", what)
        self.assertEqual(headers["Content-Length"], str(document.size), what)
        self.assertTrue(headers["Content-Disposition"].startswith("attachment;"), what)
        self.assertIn(document.filename, headers["Content-Disposition"], what)
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff", what)
        self.assertEqual(
            headers["Content-Security-Policy"], "default-src 'none'; sandbox", what
        )
        self.assertIn("no-store", headers["Cache-Control"], what)

    def assert_refused(self, response, what):
        self.assertIn(response.status_code, REFUSED, f"{what}: {response.text[:300]}")
        self.assertNotIn(b"%PDF", response.content, what)
        # (the document's id is in the URL asked, and may be said back)
        for secret in (
            self.receipt.sha256,
            self.certificate.sha256,
            self.receipt.filename,
            self.certificate.filename,
        ):
            self.assertNotIn(secret, response.text, what)

    def assert_locked_out(self, session, who, allowed=(), anonymous=False):
        """Every route refused; the pages' downloads answer 404 to a logged-in
        person (not even the document's existence), the login form to an
        anonymous visitor (Plone's challenge)."""
        for route, url, _document in self.routes():
            if route in allowed:
                continue
            response = session.get(url, allow_redirects=False)
            what = f"{who}: {route}"
            if response.status_code == 302:  # Plone's challenge
                self.assertTrue(anonymous, what)
                self.assertIn("require_login", response.headers["Location"], what)
                self.assertNotIn(b"%PDF", response.content, what)
                continue
            if route.endswith("page download") and not anonymous:
                self.assertEqual(response.status_code, 404, what)
            self.assert_refused(response, what)

    # who may ----------------------------------------------------------------

    def test_the_citizen_lists_and_downloads_her_documents(self):
        listing = self.amelie.get(f"{self.request_url}/@documents")
        self.assertEqual(listing.status_code, 200, listing.text)
        self.assertIn("no-store", listing.headers["Cache-Control"])
        data = listing.json()
        self.assertEqual(data["@id"], f"{self.request_url}/@documents")
        mine = [item for item in data["items"] if item["id"] == self.receipt.id]
        self.assertEqual(len(mine), 1, data)
        item = mine[0]
        self.assertEqual(item["kind"], "receipt")
        self.assertEqual(item["title"], "Récépissé de dépôt")
        self.assertEqual(
            item["@id"], f"{self.request_url}/@documents/{self.receipt.id}"
        )
        self.assertEqual(
            item["download"],
            f"{self.request_url}/@@document-officiel/{self.receipt.id}",
        )
        self.assertEqual(item["filename"], self.receipt.filename)
        self.assertEqual(item["size"], self.receipt.size)
        self.assertEqual(item["sha256"], self.receipt.sha256)
        self.assertEqual(item["issued"], self.receipt.issued)
        self.assertNotIn(self.receipt_code, listing.text)  # the code is the paper's
        self.assert_download(self.amelie.get(item["@id"]), self.receipt, "REST")
        page = self.browser(AMELIE)
        self.assert_download(page.get(item["download"]), self.receipt, "page")

        # a REST client finds its payments' URLs by @search (docs/api.md)
        found = self.amelie.get(
            f"{self.url}/@search", params={"portal_type": "Payment"}
        ).json()
        self.assertIn(self.payment_url, [item["@id"] for item in found["items"]])
        payments = self.amelie.get(f"{self.payment_url}/@documents").json()
        certificate = next(
            i for i in payments["items"] if i["id"] == self.certificate.id
        )
        self.assertEqual(certificate["title"], "Attestation de paiement")
        self.assert_download(
            self.amelie.get(certificate["@id"]), self.certificate, "payment REST"
        )
        self.assert_download(
            page.get(certificate["download"]), self.certificate, "payment page"
        )

    def test_the_agents_of_the_service_list_and_download_the_requests(self):
        agent = self.session(AGENT)
        items = agent.get(f"{self.request_url}/@documents").json()["items"]
        self.assertIn(self.receipt.id, [item["id"] for item in items])
        self.assert_download(
            agent.get(f"{self.request_url}/@documents/{self.receipt.id}"),
            self.receipt,
            "agent REST",
        )
        self.assert_download(
            self.browser(AGENT).get(
                f"{self.request_url}/@@document-officiel/{self.receipt.id}"
            ),
            self.receipt,
            "agent page",
        )
        # the Guichet's request page shows the section with the link
        page = self.browser(AGENT).get(self.request_url)
        section = lxml.html.fromstring(page.text).get_element_by_id(
            "documents-officiels"
        )
        links = [a.get("href") for a in section.iter("a")]
        self.assertIn(
            f"{self.request_url}/@@document-officiel/{self.receipt.id}", links
        )
        # but not a household's payments
        self.assert_locked_out(
            agent,
            "agent.accueil",
            allowed=(
                "request page download",
                "request REST list",
                "request REST download",
            ),
        )

    def test_the_regie_staff_list_and_download_the_payments(self):
        regie = self.session(REGIE)
        items = regie.get(f"{self.payment_url}/@documents").json()["items"]
        self.assertIn(self.certificate.id, [item["id"] for item in items])
        self.assert_download(
            regie.get(f"{self.payment_url}/@documents/{self.certificate.id}"),
            self.certificate,
            "régie REST",
        )
        # not the requests
        self.assert_locked_out(
            regie,
            "agent.regie",
            allowed=(
                "payment page download",
                "payment REST list",
                "payment REST download",
            ),
        )

    # who may not ------------------------------------------------------------

    def test_another_household(self):
        self.assert_locked_out(self.session(JEROME), "jérôme (REST)")
        self.assert_locked_out(self.browser(JEROME), "jérôme (pages)")

    def test_an_agent_of_another_group(self):
        self.assert_locked_out(self.session(VOIRIE), "agent.voirie (REST)")
        self.assert_locked_out(self.browser(VOIRIE), "agent.voirie (pages)")

    def test_anonymous(self):
        self.assert_locked_out(self.session(), "anonymous (REST)", anonymous=True)
        anonymous = self.session()
        anonymous.headers.clear()
        self.assert_locked_out(anonymous, "anonymous (pages)", anonymous=True)

    def test_an_unknown_document_is_not_found(self):
        page = self.browser(AMELIE)
        for session, url in (
            (page, f"{self.request_url}/@@document-officiel/0000000000000000"),
            (page, f"{self.request_url}/@@document-officiel"),
            (self.amelie, f"{self.request_url}/@documents/0000000000000000"),
            (self.amelie, f"{self.request_url}/@documents/{self.receipt.id}/x"),
            # a document of the payment is not one of the request's
            (self.amelie, f"{self.request_url}/@documents/{self.certificate.id}"),
        ):
            response = session.get(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn(b"%PDF", response.content, url)

    # nothing searchable -----------------------------------------------------

    def test_nothing_of_the_documents_is_searchable(self):
        admin = self.session()
        admin.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        for session, who in ((admin, "admin"), (self.amelie, "amélie")):
            for term in (
                self.receipt_code,
                self.receipt.id,
                self.receipt.sha256,
                self.certificate.id,
                self.certificate_code,
            ):
                found = session.get(
                    f"{self.url}/@search", params={"SearchableText": term}
                ).json()
                self.assertEqual(found["items_total"], 0, (who, term))
        # the catalog's indexes hold nothing of them; its column only the
        # kind, id and size of each (what the object's View gives anyway)
        sync(self.portal)
        secrets = []
        for document, code in (
            (self.receipt, self.receipt_code),
            (self.certificate, self.certificate_code),
        ):
            secrets += [code, document.sha256, document.filename, document.id]
        for obj, document in (
            (self.request_obj, self.receipt),
            (self.payment, self.certificate),
        ):
            indexes, metadata = catalog_record(obj)
            for secret in secrets:
                self.assertNotIn(secret, repr(indexes), obj)
            self.assertIn(
                (document.kind, document.id, document.size),
                metadata["issued_documents"],
            )
            for secret in secrets:
                if secret != document.id:
                    self.assertNotIn(secret, repr(metadata), obj)

    def test_search_never_shows_the_column(self):
        for account in (AMELIE, AGENT):
            response = self.session(account).get(
                f"{self.url}/@search",
                params={
                    "portal_type": "Request",
                    "request_number": self.number,
                    "metadata_fields": ["_all", "issued_documents"],
                },
            )
            self.assertEqual(response.status_code, 200)
            [item] = response.json()["items"]
            self.assertNotIn("issued_documents", item, account)
            self.assertEqual(item["request_number"], self.number, "the others stay")
            for secret in (
                self.receipt.id,
                self.receipt_code,
                self.receipt.sha256,
                self.receipt.filename,
            ):
                self.assertNotIn(secret, response.text, account)
        for session in (self.session(JEROME), self.session(VOIRIE), self.session()):
            found = session.get(
                f"{self.url}/@search",
                params={"request_number": self.number, "metadata_fields": "_all"},
            ).json()
            self.assertEqual(found["items_total"], 0)

    # the pages' links -------------------------------------------------------

    def test_the_requests_tab_links_the_receipt_from_the_catalog(self):
        page = self.browser(AMELIE).get(f"{self.url}/@@mon-espace-demandes")
        self.assertEqual(page.status_code, 200)
        html = lxml.html.fromstring(page.text)
        link = next(
            a
            for a in html.cssselect("a.eservices-receipt-link")
            if a.get("href")
            == f"{self.request_url}/@@document-officiel/{self.receipt.id}"
        )
        text = re.sub(r"\s+", " ", link.text_content()).strip()
        size = f"{max(1, round(self.receipt.size / 1024))} ko"
        self.assertIn(
            f"Télécharger le récépissé de la demande {self.number} (PDF, {size})",
            text,
        )
        self.assertIn("Récépissé (PDF)", text)

    def test_the_requests_tab_wakes_no_request_up(self):
        """The rows' links come from the catalog's column: listing the
        household's requests with their receipts loads none of them (reading
        each one's annotation would load the request and its documents)."""
        from illkirch.eservices.accounts.households import household_of
        from illkirch.eservices.browser.requests import request_rows
        from illkirch.eservices.requests import processing

        for _ in range(2):
            url = file_over_rest(self.url, self.amelie)
            sync(self.portal)
            other = by_url(self.portal, url)
            issue(other, store.RECEIPT, other.number)
            transaction.commit()
        household = household_of("amelie.lire")
        brains = processing.household_requests(household)
        requests = [household._getOb(brain.getId) for brain in brains]
        self.assertGreaterEqual(len(requests), 3)
        connection = self.portal._p_jar
        connection.cacheMinimize()
        self.assertTrue(all(obj._p_changed is None for obj in requests))
        connection.getTransferCounts(True)
        rows = request_rows(brains, "amelie.lire", self.layer["request"])
        loads = connection.getTransferCounts(True)[0]
        self.assertTrue(all(row["receipt"] for row in rows), rows)
        self.assertTrue(all(obj._p_changed is None for obj in requests))
        # reading each request's annotation instead: 4 loads a row (the
        # request, its annotations, their list, the document) on top
        connection.cacheMinimize()
        connection.getTransferCounts(True)
        for obj in requests:
            store.of_kind(obj, store.RECEIPT)
        self.assertGreaterEqual(
            connection.getTransferCounts(True)[0], 3 * len(requests), loads
        )

    def test_my_accounts_links_the_payment_certificate(self):
        page = self.browser(AMELIE).get(f"{self.url}/@@mon-espace-factures")
        html = lxml.html.fromstring(page.text)
        section = html.get_element_by_id("attestations")
        link = section.cssselect("a")[0]
        self.assertEqual(
            link.get("href"),
            f"{self.payment_url}/@@document-officiel/{self.certificate.id}",
        )
        self.assertIn("Télécharger l'attestation de paiement du", link.text_content())
        self.assertIn("TEST-REF-0412", section.text_content())
        # another household's « Mes comptes » has none of it
        other = self.browser(JEROME).get(f"{self.url}/@@mon-espace-factures")
        self.assertNotIn(self.certificate.id, other.text)

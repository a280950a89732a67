"""Verifying official documents over HTTP (#18, « Vérifiable »): the page
``@@verifier`` and ``GET``/``POST /@verify/<code>``, for the code of a
real payment certificate (paid through the bank's signed notification,
``testing/verification.paid_certificate``) and for wrong codes: the same
structure and status, only the heading shown (never the household, its
address, the invoices or the amounts), the uploaded PDF compared byte for
byte, the rate limit per client address (429, French), and the same
answer time for a known and an unknown code."""

from illkirch.eservices.official_documents import verification
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.sessions import rest_session
from illkirch.eservices.testing.verification import forget_verifications
from illkirch.eservices.testing.verification import paid_certificate
from plone import api

import base64
import re
import requests
import statistics
import time
import transaction
import unittest


# The documented limit (docs/security.md): verifications an hour per address.
PER_ADDRESS = 100
WRONG = "ABCD-EFGH-JKMN-PQRS"  # well formed, never issued
# What the public must never see of a payment certificate.
PRIVATE = (
    "Amélie",
    "amelie",
    "Lire",
    "rue de la Poste",
    "V-2026-0412",
    "76,00",
    "A1B2C3",
    "Régie Ville",
)


def structure(html):
    """The page's skeleton: its headings' and forms' ids, in order."""
    return re.findall(r'<(?:h[1-6]|form|section)\b[^>]*\bid="([^"]+)"', html)


def modified(data):
    """The PDF with one byte of its middle changed (still a PDF)."""
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]


class VerificationTestCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.payment, self.pdf, self.code = paid_certificate(self.portal)
        self.rest = rest_session(self.url)
        self.browser = requests.Session()

    def forget(self):
        transaction.begin()
        forget_verifications(self.portal)
        transaction.commit()

    def page(self, code, status=200):
        response = self.browser.get(f"{self.url}/@@verifier/{code}")
        self.assertEqual(response.status_code, status, response.text[:500])
        return response.text

    def token(self):
        html = self.browser.get(f"{self.url}/@@verifier").text
        return re.search(r'name="_authenticator" value="([^"]+)"', html).group(1)

    def upload(self, code, data, token=True):
        form = {"code": code}
        if token:
            form["_authenticator"] = self.token()
        return self.browser.post(
            f"{self.url}/@@verifier",
            data=form,
            files={"file": ("document.pdf", data, "application/pdf")},
        )


class TestVerificationPage(VerificationTestCase):
    def assert_nothing_private(self, html):
        for text in PRIVATE:
            self.assertNotIn(text, html)

    def test_a_real_code_and_wrong_codes_same_structure(self):
        known = self.page(self.code)
        self.assertIn("Document authentique", known)
        self.assertIn("Attestation de paiement", known)
        self.assertIn(self.payment.transaction_id, known)
        self.assertIn("<dd>Ville d'Illkirch-Graffenstaden</dd>", known)
        self.assertIn("<title>Document authentique — Vérifier un document", known)
        self.assert_nothing_private(known)
        for wrong in (WRONG, "abc", "0000-1111-OOOO-IIII"):
            unknown = self.page(wrong)
            self.assertIn("Document inconnu", unknown)
            self.assertNotIn("Document authentique", unknown)
            self.assertNotIn("Attestation de paiement", unknown)
            self.assertIn("<title>Document inconnu — Vérifier un document", unknown)
            self.assertEqual(structure(unknown), structure(known))
        # typed as printed, in lower case, through the form
        typed = self.browser.get(
            f"{self.url}/@@verifier",
            params={"code": "-".join(re.findall("....", self.code)).lower()},
        ).text
        self.assertIn("Document authentique", typed)
        # the form alone: no result
        empty = self.browser.get(f"{self.url}/@@verifier").text
        self.assertNotIn("verify-result-title", empty)
        self.assertIn("<title>Vérifier un document", empty)

    def test_uploaded_pdf_identical_or_not(self):
        response = self.upload(self.code, self.pdf)
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="verify-identical"', response.text)
        self.assertIn("identique, octet pour octet", response.text)
        self.assertIn("<title>Fichier identique — Vérifier", response.text)
        self.assert_nothing_private(response.text)
        changed = modified(self.pdf)
        response = self.upload(self.code, changed)
        self.assertIn('id="verify-different"', response.text)
        self.assertIn("<title>Fichier différent — Vérifier", response.text)
        # the right file with a wrong code: unknown, not identical
        response = self.upload(WRONG, self.pdf)
        self.assertIn("Document inconnu", response.text)
        self.assertIn('id="verify-different"', response.text)

    def test_upload_refused_not_a_pdf_or_without_token(self):
        response = self.upload(self.code, b"GIF89a not a pdf")
        self.assertEqual(response.status_code, 200)
        self.assertIn("n'est pas un document PDF", response.text)
        self.assertIn("<title>Erreur : Vérifier un document", response.text)
        self.assertIn('href="#upload-file"', response.text)
        self.assertNotIn("verify-result-title", response.text)
        response = self.upload(self.code, self.pdf, token=False)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("verify-identical", response.text)

    def test_rate_limit_per_address(self):
        self.forget()
        for _ in range(PER_ADDRESS):
            self.page(WRONG)
        html = self.page(self.code, status=429)
        self.assertIn("Trop de vérifications depuis votre connexion", html)
        self.assertNotIn("Document authentique", html)
        response = self.rest.get(f"{self.url}/@verify/{self.code}")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.headers["Retry-After"], "3600")
        self.assertIn("Trop de vérifications", response.json()["error"]["message"])
        self.forget()
        self.assertIn("Document authentique", self.page(self.code))


class TestVerifyApi(VerificationTestCase):
    def test_get_real_and_wrong_codes(self):
        response = self.rest.get(f"{self.url}/@verify/{self.code}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        answer = response.json()
        self.assertEqual(
            sorted(answer), ["authentic", "date", "kind", "number", "title", "town"]
        )
        self.assertEqual(answer["authentic"], True)
        self.assertEqual(answer["kind"], "payment_certificate")
        self.assertEqual(answer["title"], "Attestation de paiement")
        self.assertEqual(answer["number"], self.payment.transaction_id)
        self.assertRegex(answer["date"], r"^\d{4}-\d{2}-\d{2}$")
        self.assertEqual(answer["town"], "Ville d'Illkirch-Graffenstaden")
        for wrong in (WRONG, "abc"):
            response = self.rest.get(f"{self.url}/@verify/{wrong}")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.json(), {"authentic": False})
        response = self.rest.get(f"{self.url}/@verify")
        self.assertEqual(response.json(), {"authentic": False})

    def test_post_compares_the_file(self):
        def post(code, data):
            return self.rest.post(
                f"{self.url}/@verify/{code}",
                json={"data": base64.b64encode(data).decode()},
            )

        response = post(self.code, self.pdf)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["identical"], True)
        self.assertEqual(response.json()["authentic"], True)
        changed = modified(self.pdf)
        self.assertEqual(post(self.code, changed).json()["identical"], False)
        self.assertEqual(
            post(WRONG, self.pdf).json(), {"authentic": False, "identical": False}
        )
        response = post(self.code, b"not a pdf")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["error"]["errors"],
            [
                {
                    "field": "data",
                    "message": "Le fichier envoyé n'est pas un document PDF.",
                }
            ],
        )
        response = self.rest.post(
            f"{self.url}/@verify/{self.code}", json={"data": "%%% not base64"}
        )
        self.assertEqual(response.status_code, 400)
        # JSON only
        response = requests.post(
            f"{self.url}/@verify/{self.code}",
            data={"data": base64.b64encode(self.pdf).decode()},
            headers={"Accept": "application/json"},
        )
        self.assertEqual(response.status_code, 415)

    def test_post_too_large_a_file(self):
        api.portal.set_registry_record("illkirch.eservices.max_attachment_mb", 1)
        transaction.commit()
        big = b"%PDF-1.7\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n"
        response = self.rest.post(
            f"{self.url}/@verify/{self.code}",
            json={"data": base64.b64encode(big).decode()},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["error"]["errors"][0]["message"],
            "Le fichier envoyé est trop volumineux : 1 Mo au maximum.",
        )

    def test_deleted_payment_code_is_unknown(self):
        self.assertTrue(
            self.rest.get(f"{self.url}/@verify/{self.code}").json()["authentic"]
        )
        with api.env.adopt_roles(["Manager"]):
            api.content.delete(self.payment, check_linkintegrity=False)
        transaction.commit()
        response = self.rest.get(f"{self.url}/@verify/{self.code}")
        self.assertEqual(response.json(), {"authentic": False})
        self.assertIn("Document inconnu", self.page(self.code))


# Allowed gap (as in test_tracking_limits and test_account_timing): within
# 25 % of the slower median, or 4 ms, whichever is larger; measured as the
# median of the differences within each round (two calls a few milliseconds
# apart see the same load).
ROUNDS = 30
RATIO = 1.25
ABSOLUTE = 0.004


class TestVerificationTiming(VerificationTestCase):
    def timed(self, url):
        start = time.perf_counter()
        response = self.browser.get(url, headers={"Accept": "application/json"})
        seconds = time.perf_counter() - start
        self.assertEqual(response.status_code, 200, response.text[:300])
        return seconds

    def assert_same_time(self, name, known_url, unknown_url):
        known, unknown = [], []
        for index in range(ROUNDS + 2):
            self.forget()  # within the rate limit, the same write each time
            order = [known_url, unknown_url]
            if index % 2:
                order.reverse()
            times = {url: self.timed(url) for url in order}
            if index >= 2:  # the first rounds warm the caches
                known.append(times[known_url])
                unknown.append(times[unknown_url])
        a, b = statistics.median(known), statistics.median(unknown)
        pairs = zip(known, unknown, strict=True)
        gap = statistics.median([x - y for x, y in pairs])
        print(
            f"\n{name}: medians {a * 1000:.1f} ms / {b * 1000:.1f} ms,"
            f" median gap {gap * 1000:.1f} ms"
        )
        self.assertLessEqual(abs(gap), max(ABSOLUTE, max(a, b) * (1 - 1 / RATIO)))

    def test_known_and_unknown_codes_same_time(self):
        self.assertEqual(verification.PER_ADDRESS, PER_ADDRESS)
        self.assert_same_time(
            "GET /@verify",
            f"{self.url}/@verify/{self.code}",
            f"{self.url}/@verify/{WRONG.replace('-', '')}",
        )
        self.assert_same_time(
            "@@verifier",
            f"{self.url}/@@verifier/{self.code}",
            f"{self.url}/@@verifier/{WRONG}",
        )

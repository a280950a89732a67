"""The layout of the official documents (#18) rendered to PDF and read
back (pypdf, zxing-cpp): text, PDF/UA marks (tags, /Lang fr, MarkInfo,
title shown), fonts embedded, the QR code of the verification URL, A4, page
numbers, escaping; and the guard: no PDF is rendered in a web request, only
in the background job that issues it."""

from illkirch.eservices.official_documents import layout
from illkirch.eservices.official_documents import pdf
from illkirch.eservices.official_documents import store
from illkirch.eservices.testing import FUNCTIONAL_TESTING
from illkirch.eservices.testing import INTEGRATION_TESTING
from illkirch.eservices.testing import jobs as test_jobs
from illkirch.eservices.testing import pdfs
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.pdfs import read_pdf
from plone import api
from plone.formwidget.namedfile.converter import b64encode_file

import re
import requests
import unittest


INJECTED = "<img src=x onerror=alert(1)>"


def sample(code, url, answers=3, **more):
    """A document with a heading, an answer list, a table with a total, a
    letter and the given code."""
    return layout.document_html(
        "Récépissé de dépôt",
        number="2026-00042",
        date="27/11/2026 08:17",
        details=[("Service", "Occupation du domaine public"), ("Demandeur", INJECTED)],
        sections=[
            layout.Section(
                "Vos réponses",
                [
                    layout.Definitions(
                        [(f"Question {n}", f"Réponse {n}") for n in range(answers)]
                        + [("Commentaire", INJECTED)]
                    )
                ],
            ),
            layout.Section(
                "Factures payées",
                [
                    layout.Table(
                        ["Facture", "Montant"],
                        [["F-2026-00001", "12,50 €"], ["F-2026-00002", "7,00 €"]],
                        caption="Factures",
                        footer=["Total", "19,50 €"],
                        numeric=(1,),
                    )
                ],
            ),
            layout.Section("Lettre", layout.paragraphs("Madame,\n\nBien reçu.")),
        ],
        code=code,
        verify_url=url,
        **more,
    )


class TestRenderedDocument(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.code = store.new_code()
        self.url = f"{self.portal.absolute_url()}/@@verifier/{self.code}"

    def render(self, html):
        with pdf.issuing():
            return pdf.render(html)

    def test_text_tags_language_title_fonts_and_qr_code(self):
        document = read_pdf(self.render(sample(self.code, self.url)))
        for text in (
            "Récépissé de dépôt",
            "2026-00042",
            "27/11/2026 08:17",
            "Ville d'Illkirch-Graffenstaden",
            "Occupation du domaine public",
            "F-2026-00002",
            "19,50 €",
            store.display_code(self.code),
            self.url,
            # The layout's own texts, in French (the catalog).
            "Numéro",
            "Code de vérification :",
            "Page 1 sur 1",
        ):
            self.assertIn(text, document.text)
        self.assertTrue(document.is_tagged)
        self.assertTrue(document.marked)
        self.assertEqual(document.lang, "fr")
        self.assertEqual(document.title, "Récépissé de dépôt n° 2026-00042")
        self.assertTrue(document.display_doc_title)
        self.assertTrue(document.fonts)
        self.assertTrue(document.fonts_embedded, document.fonts)
        self.assertTrue(
            all("DejaVu" in name for name in document.fonts), document.fonts
        )
        self.assertEqual(document.qr_codes, [self.url])
        self.assertEqual(document.media_boxes, [(595, 842)])
        # Reading order and structure: headings, lists, a table, a figure.
        for tag in ("H1", "H2", "P", "L", "Table", "TH", "TD", "Figure"):
            self.assertIn(tag, document.struct_types)
        self.assertIn(f"QR code de vérification : {self.url}", document.alt_texts)
        self.assertLess(
            document.text.index("Vos réponses"), document.text.index("Factures payées")
        )
        self.assertLess(
            document.text.index("Factures payées"),
            document.text.index("Code de vérification"),
        )

    def test_values_are_escaped(self):
        html = sample(self.code, self.url)
        self.assertNotIn(INJECTED, html)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", html)
        document = read_pdf(self.render(html))
        self.assertIn(INJECTED, document.text)
        # Only the QR code is an image (no logo uploaded, none injected).
        self.assertEqual(len(document.alt_texts), 1)

    def test_page_numbers_of_a_long_document(self):
        document = read_pdf(self.render(sample(self.code, self.url, answers=30)))
        self.assertEqual(document.pages, 2)
        self.assertIn("Page 1 sur 2", document.page_texts[0])
        self.assertIn("Page 2 sur 2", document.page_texts[1])
        self.assertEqual(document.media_boxes, [(595, 842)] * 2)
        # The verification code and its QR code on the last page.
        self.assertIn(store.display_code(self.code), document.page_texts[1])
        self.assertEqual(document.qr_codes, [self.url])

    def test_site_logo_embedded_with_its_alternative_text(self):
        api.portal.set_registry_record(
            "plone.site_logo", b64encode_file("armoiries.png", image("PNG", (60, 40)))
        )
        api.portal.set_registry_record("illkirch.eservices.town_name", "Ville de Test")
        html = sample(self.code, self.url)
        self.assertIn('src="data:image/png;base64,', html)
        document = read_pdf(self.render(html))
        self.assertIn("Logo de Ville de Test", document.alt_texts)
        self.assertIn("Ville de Test", document.text)
        self.assertEqual(document.qr_codes, [self.url])

    def test_nothing_fetched_but_data_and_fonts(self):
        html = layout.document_html(
            "Décision",
            number="1",
            date="1/1/2026",
            sections=[layout.Section("Lettre", [layout.Html('<img src="http://x/">')])],
            code=self.code,
            verify_url=self.url,
        )
        with self.assertRaisesRegex(ValueError, "http://x/"):
            self.render(html)

    def test_the_three_samples(self):
        for kind in pdfs.SAMPLES:
            document = read_pdf(
                self.render(pdfs.sample_html(kind, self.code, self.url))
            )
            self.assertEqual(document.qr_codes, [self.url], kind)
            self.assertTrue(document.is_tagged and document.fonts_embedded, kind)
        certificate = read_pdf(
            self.render(pdfs.sample_html("payment_certificate", self.code, self.url))
        )
        self.assertIn("PAYFIP-0099887766", certificate.text)
        self.assertIn("F-2026-00005", certificate.text)


class TestLayoutPieces(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def test_heading_is_what_the_document_states(self):
        api.portal.set_registry_record("illkirch.eservices.town_name", "Ville de Test")
        self.assertEqual(
            layout.heading("Décision", "2026-00007", "02/12/2026"),
            {
                "kind": "Décision",
                "number": "2026-00007",
                "date": "02/12/2026",
                "town": "Ville de Test",
            },
        )
        html = layout.document_html(
            "Décision",
            number="2026-00007",
            date="02/12/2026",
            sections=[],
            code="A" * 16,
            verify_url="http://x/",
        )
        self.assertIn("<title>Décision n° 2026-00007</title>", html)
        self.assertRegex(html, r'<html[^>]*\slang="fr"')
        self.assertIn("Ville de Test", html)

    def test_page_numbers_are_css_counters_of_the_translated_text(self):
        translate = layout.translator("fr")
        self.assertEqual(
            layout.page_number_content(translate),
            '"Page " counter(page) " sur " counter(pages)',
        )
        self.assertEqual(layout.css_string('a"b\\</style>'), '"a\\"b\\\\\\3c /style>"')

    def test_style_sheet_is_black_and_white(self):
        css = (layout.TEMPLATES / "document.css").read_text(encoding="utf-8")
        colours = set(re.findall(r"#[0-9a-fA-F]{3,6}\b|rgba?\(|hsla?\(", css))
        self.assertEqual(colours, {"#000", "#fff"})

    def test_paragraphs_of_a_letter(self):
        blocks = layout.paragraphs("Madame,\r\n\r\nLigne 1\nLigne 2\n\n\n")
        self.assertEqual([b.text for b in blocks], ["Madame,", "Ligne 1\nLigne 2"])


class TestRenderingGuard(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def test_render_refused_outside_a_job(self):
        before = pdf.RENDERS["count"]
        with self.assertRaisesRegex(RuntimeError, pdf.GUARD_MESSAGE):
            pdf.render(pdfs.sample_html("receipt", "A" * 16, "http://x/"))
        self.assertEqual(pdf.RENDERS["count"], before)

    def test_issuing_task_is_a_registered_job_that_may_render(self):
        from illkirch.eservices.jobs import registry

        self.assertIs(registry.TASKS[pdfs.issue_sample.job_name], pdfs.issue_sample)
        self.assertEqual(
            pdfs.issue_sample.job_name, "illkirch.eservices.testing.pdfs.issue_sample"
        )
        self.assertFalse(pdf.in_issuing())
        data = pdfs.issue_sample("decision", "A" * 16, "http://x/")
        self.assertTrue(data.startswith(b"%PDF"))
        self.assertFalse(pdf.in_issuing())  # the mark does not outlive the job


class TestNotInTheWebRequest(unittest.TestCase):
    """Over HTTP: a page that renders is refused; a page that issues a
    document queues it, and the PDF is rendered by the job."""

    layer = FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()

    def test_rendering_in_a_web_request_fails(self):
        with pdfs.counting_renders() as renders:
            response = requests.get(f"{self.url}/@@test-render-pdf-in-request")
        self.assertEqual(response.status_code, 500)
        self.assertEqual(renders(), 0)

    def test_rendered_by_the_job_not_by_the_request(self):
        queue = test_jobs.use_sqlite_queue(self)
        with pdfs.counting_renders() as renders:
            response = requests.get(
                f"{self.url}/@@test-issue-sample-pdf", params={"kind": "receipt"}
            )
            self.assertEqual(response.status_code, 200, response.text)
            self.assertEqual(response.text, "0")  # none in the web request
            self.assertEqual(renders(), 0)
            (task,) = queue.pending()
            self.assertEqual(task.args[0], pdfs.issue_sample.job_name)
            queue.execute(queue.dequeue())  # as the worker does
            self.assertEqual(renders(), 1)  # by the job

    def test_eager_jobs_render_in_their_task(self):
        # The test layers run jobs at once inside the request: the job's
        # mark lets it render there, the request itself still cannot.
        response = requests.get(f"{self.url}/@@test-issue-sample-pdf")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.text, "1")

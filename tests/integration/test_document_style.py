"""The town's style sheet of the official documents (#18): checked when it
is saved (French errors), written after document.css, the verification
footer kept whatever it says; the tags, language and fonts stay; the
upgrade step registers the setting and keeps a saved value."""

from illkirch.eservices.interfaces import MAX_DOCUMENT_CSS
from illkirch.eservices.interfaces import BadDocumentCss
from illkirch.eservices.interfaces import IEservicesSettings
from illkirch.eservices.interfaces import check_document_css
from illkirch.eservices.official_documents import pdf
from illkirch.eservices.official_documents import samples
from illkirch.eservices.official_documents import store
from illkirch.eservices.official_documents import style
from illkirch.eservices.testing import INTEGRATION_TESTING
from illkirch.eservices.testing.pdfs import read_pdf
from plone import api
from plone.registry.interfaces import IRegistry
from zope.component import getUtility
from zope.i18n import translate

import unittest


RESTYLED = """
@page { margin: 30mm 25mm; }
html { font-family: "DejaVu Serif", serif; }
h1 { color: #003366; text-transform: uppercase; }
header.town { text-align: right; border-bottom-color: #c00; }
"""
HIDING = """
footer.verification { display: none; }
footer.verification .qr { visibility: hidden; width: 0; }
.code { color: #fff; font-size: 0; }
footer.verification .url::after { content: " (faux)"; }
"""


def french(css):
    """The French message of the check of ``css`` (None when accepted)."""
    try:
        check_document_css(css)
    except BadDocumentCss as error:
        return translate(error.doc(), target_language="fr")
    return None


class TestCheck(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def test_accepted(self):
        for css in (
            "",
            RESTYLED,
            HIDING,
            "@media print { h1 { color: red } }",
            'header.town { background: url("data:image/png;base64,AAAA") }',
            "/* un commentaire */ dl.answers dt { width: 80mm }",
        ):
            self.assertIsNone(french(css), css)

    def test_refused_in_french_with_the_line(self):
        cases = {
            "h1 { color: red }\n\nh2 { color blue; }": (
                "Ligne 3, colonne 16 : ce n'est pas du CSS valide"
            ),
            'h1 { color: red }\n@import "autre.css";': (
                "Ligne 2 : « @import » n'est pas permis"
            ),
            "h1 {}\nbody { background: url(https://example.org/fond.png) }": (
                "Ligne 2 : seules les adresses « data: » sont permises"
            ),
            "body { background: url('/logo.png') }": (
                "Ligne 1 : seules les adresses « data: » sont permises"
            ),
            "@font-face { font-family: X; src: url(data:font/woff2;base64,AA) }": (
                "Ligne 1 : « @font-face » n'est pas permis"
            ),
            "h1 { color: red }}": "Ligne 1, colonne ",
            "h1 { color: red }\n</style><script>alert(1)</script>": (
                "Ligne 2 : le caractère « < » n'est pas permis"
            ),
            "h1 {}" * (MAX_DOCUMENT_CSS // 5 + 1): (
                "La feuille de style est trop longue : 20005 caractères, 20000 au plus."
            ),
        }
        for css, message in cases.items():
            found = french(css)
            self.assertIsNotNone(found, css)
            self.assertIn(message, found, css)

    def test_the_settings_field_refuses_what_the_check_refuses(self):
        """The control panel and ``@controlpanels`` validate with the
        schema's field (tests/functional/test_document_style_http.py)."""
        field = IEservicesSettings["document_css"]
        self.assertEqual(field.default, "")
        self.assertFalse(field.required)
        with self.assertRaises(BadDocumentCss):
            field.validate('@import "x.css";')
        field.validate(RESTYLED)
        self.assertEqual(style.editor_css(), "")
        api.portal.set_registry_record("illkirch.eservices.document_css", RESTYLED)
        self.assertEqual(style.editor_css(), RESTYLED)


class TestApplied(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.code = store.new_code()
        self.url = f"{self.portal.absolute_url()}/@@verifier/{self.code}"

    def use(self, css):
        api.portal.set_registry_record("illkirch.eservices.document_css", css)

    def html(self, kind="receipt"):
        return samples.sample_html(kind, self.code, self.url)

    def render(self, kind="receipt"):
        with pdf.issuing():
            return read_pdf(pdf.render(self.html(kind)))

    def assert_essentials(self, document):
        """What no style sheet takes away: tags, language, fonts, title,
        the verification code, its address and its QR code."""
        self.assertTrue(document.is_tagged and document.marked)
        self.assertEqual(document.lang, "fr")
        self.assertTrue(document.fonts_embedded, document.fonts)
        self.assertTrue(document.display_doc_title)
        self.assertIn(store.display_code(self.code), document.text)
        self.assertIn("Vérification", document.text)
        self.assertIn(self.url, document.text.replace("\n", ""))
        self.assertEqual(document.qr_codes, [self.url])
        self.assertIn("Figure", document.struct_types)

    def test_the_style_sheet_is_written_after_the_package_s(self):
        self.use(RESTYLED)
        html = self.html()
        package = html.index("footer.verification .qr {\n  float: left;")
        town = html.index("text-transform: uppercase")
        guard = html.index("display: block !important")
        self.assertLess(package, town)
        self.assertLess(town, guard)

    def test_restyled_documents_keep_their_essentials(self):
        before = self.render()
        self.assertIn("Récépissé de dépôt", before.text)
        self.use(RESTYLED)
        for kind in samples.SAMPLES:
            document = self.render(kind)
            self.assert_essentials(document)
        document = self.render()
        # text-transform: the heading as printed
        self.assertIn("RÉCÉPISSÉ DE DÉPÔT", document.text)
        self.assertNotIn("Récépissé de dépôt\n", document.text)
        # the serif font of the town, embedded
        self.assertTrue(any("Serif" in font for font in document.fonts))
        self.assertFalse(any("Serif" in font for font in before.fonts))

    def test_hiding_the_footer_is_neutralised(self):
        self.use(HIDING)
        document = self.render()
        self.assert_essentials(document)
        self.assertNotIn("(faux)", document.text)

    def test_a_value_stored_without_the_check_is_left_out(self):
        registry = getUtility(IRegistry)
        # as a registry.xml or a script could store it, bypassing the field
        registry.records._values["illkirch.eservices.document_css"] = (
            'h1 { text-transform: uppercase } @import "http://example.org/x.css";'
        )
        self.assertEqual(style.editor_css(), "")
        document = self.render()
        self.assertIn("Récépissé de dépôt", document.text)
        self.assert_essentials(document)


class TestUpgrade(unittest.TestCase):
    layer = INTEGRATION_TESTING

    TITLE = "Official documents: the town's style sheet of the documents"
    RECORD = "illkirch.eservices.document_css"

    def run_step(self):
        setup = self.layer["portal"].portal_setup
        found = []
        for info in setup.listUpgrades("illkirch.eservices:default", show_old=True):
            found.extend(info if isinstance(info, list) else [info])
        step = next(s for s in found if s["title"] == self.TITLE)
        self.assertEqual((step["source"], step["dest"]), (("1009",), ("1010",)))
        step["step"].doStep(setup)

    def test_registers_the_setting_and_keeps_a_saved_one(self):
        registry = getUtility(IRegistry)
        del registry.records[self.RECORD]  # as before 1010
        self.assertNotIn(self.RECORD, registry.records)
        self.assertEqual(style.editor_css(), "")  # documents still render
        self.run_step()
        self.assertEqual(registry[self.RECORD], "")
        registry[self.RECORD] = RESTYLED
        town = registry["illkirch.eservices.town_name"]
        self.run_step()  # again: idempotent, values kept
        self.assertEqual(registry[self.RECORD], RESTYLED)
        self.assertEqual(registry["illkirch.eservices.town_name"], town)

    def test_adds_the_preview_configlet(self):
        panel = self.layer["portal"].portal_controlpanel
        configlet_id = "illkirch-eservices-document-preview"
        panel.unregisterConfiglet(configlet_id)
        self.run_step()
        self.run_step()  # once only
        found = [a for a in panel.listActions() if a.id == configlet_id]
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0].permissions, ("illkirch.eservices: Manage settings",))
        self.assertTrue(found[0].getActionExpression().endswith("@@apercu-documents"))

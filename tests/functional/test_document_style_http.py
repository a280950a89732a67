"""The town's style sheet of the official documents (#18) over HTTP: the
« Espace citoyen » control panel saves it or refuses it with the French
error, as ``@controlpanels`` does; « Aperçu des documents » answers a PDF
of a sample document, restyled, to the people who may change the settings,
and 401/403 to everyone else."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import EDITOR
from illkirch.eservices.testing.pdfs import counting_renders
from illkirch.eservices.testing.pdfs import read_pdf
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import lxml.html
import requests
import unittest


MANAGER = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
FIELD = "form.widgets.document_css"
RESTYLED = "h1 { text-transform: uppercase; color: #036 }\n@page { margin: 30mm }"


class TestDocumentStyleHttp(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.manager = requests.Session()
        self.manager.auth = MANAGER
        self.addCleanup(self.manager.close)

    def saved(self):
        panel = self.manager.get(
            f"{self.url}/@controlpanels/eservices-settings",
            headers={"Accept": "application/json"},
        )
        return panel.json()["data"]["document_css"] or ""

    def post_form(self, css):
        page = self.manager.get(f"{self.url}/@@eservices-settings")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Feuille de style des documents officiels", page.text)
        self.assertIn("ceux déjà émis sont des PDF conservés", page.text)
        document = lxml.html.fromstring(page.text)
        form = next(
            f
            for f in document.forms
            if f.get_element_by_id("form-widgets-document_css", None) is not None
        )
        values = [
            (name, value)
            for name, value in form.form_values()
            if name != FIELD and not name.startswith("form.buttons.")
        ]
        return self.manager.post(
            f"{self.url}/@@eservices-settings",
            data=[*values, (FIELD, css), ("form.buttons.save", "Enregistrer")],
        )

    def test_the_control_panel_refuses_then_saves(self):
        response = self.post_form('h1 { color: red }\n@import "autre.css";')
        self.assertEqual(response.status_code, 200)
        self.assertIn("Ligne 2 : « @import » n'est pas permis", response.text)
        self.assertEqual(self.saved(), "")
        response = self.post_form("body { background: url(https://x.example/a.png) }")
        self.assertIn("seules les adresses « data: » sont permises", response.text)
        self.assertEqual(self.saved(), "")
        self.post_form(RESTYLED)
        self.assertEqual(self.saved().replace("\r\n", "\n"), RESTYLED)

    def test_rest_refuses_then_saves(self):
        session = rest_session(self.url, *MANAGER)
        self.addCleanup(session.close)
        panel = f"{self.url}/@controlpanels/eservices-settings"
        response = session.patch(panel, json={"document_css": "h2 { color blue; }"})
        self.assertEqual(response.status_code, 400, response.text)
        self.assertIn("Ligne 1, colonne 16 : ce n'est pas du CSS valide", response.text)
        self.assertEqual(self.saved(), "")
        response = session.patch(panel, json={"document_css": RESTYLED})
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(self.saved(), RESTYLED)

    def test_the_preview_is_a_restyled_pdf_for_managers(self):
        session = rest_session(self.url, *MANAGER)
        self.addCleanup(session.close)
        session.patch(
            f"{self.url}/@controlpanels/eservices-settings",
            json={"document_css": RESTYLED},
        ).raise_for_status()
        with counting_renders() as renders:
            response = self.manager.get(
                f"{self.url}/@@apercu-documents", params={"kind": "decision"}
            )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("apercu-decision.pdf", response.headers["Content-Disposition"])
        self.assertEqual(renders(), 1)
        document = read_pdf(response.content)
        self.assertIn("DÉCISION", document.text)  # the town's text-transform
        self.assertIn("APERÇU", document.text)
        self.assertIn("APER-0000-0000-0000", document.text)
        self.assertTrue(document.is_tagged and document.lang == "fr")
        self.assertTrue(document.fonts_embedded)
        self.assertEqual(document.qr_codes, [f"{self.url}/@@verifier/APER000000000000"])
        # the sample's code is no document's
        check = requests.get(f"{self.url}/@@verifier/APER000000000000")
        self.assertIn("inconnu", check.text)

    def assert_refused(self, response, who):
        """401/403, or Plone's redirection of a browser to the login form
        (« insufficient privileges » for a logged-in member)."""
        self.assertIn(response.status_code, (302, 401, 403), who)
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
        self.assertFalse(response.content.startswith(b"%PDF"), who)
        if response.status_code == 302:
            self.assertIn("require_login", response.headers["Location"], who)

    def test_the_preview_is_refused_to_others(self):
        with counting_renders() as renders:
            anonymous = requests.get(
                f"{self.url}/@@apercu-documents", allow_redirects=False
            )
            self.assert_refused(anonymous, "anonymous")
            anonymous = requests.get(
                f"{self.url}/@@apercu-documents", headers={"Accept": "application/json"}
            )
            self.assertIn(anonymous.status_code, (401, 403))
            for account in (AMELIE, AGENT, EDITOR):
                session = cookie_session(self.url, *account)
                self.addCleanup(session.close)
                response = session.get(
                    f"{self.url}/@@apercu-documents", allow_redirects=False
                )
                self.assert_refused(response, account)
            # over HTTP basic auth too (the logins in ASCII)
            for account in (AGENT, EDITOR):
                basic = requests.get(
                    f"{self.url}/@@apercu-documents",
                    auth=account,
                    allow_redirects=False,
                )
                self.assert_refused(basic, account)
        self.assertEqual(renders(), 0)

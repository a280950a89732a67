"""A service's decision letters (#18): editors write them on the service's
edit form (fieldset « Documents officiels ») or over REST; a placeholder the
portal does not fill is refused in French, nothing saved."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import EDITOR
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import lxml.html
import requests
import unittest


LETTER = "Bonjour ${demandeur},\n\nVotre demande ${numero} est acceptée.\n\n${message}"
REFUSED = "Bonjour ${nom} ${demandeur}, ${prenom}"


class ServiceLettersTestCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.service_url = f"{self.url}/demarches/inscription-periscolaire"
        self.admin = rest_session(self.url)
        self.admin.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        self.addCleanup(self.admin.close)

    def letters(self):
        data = self.admin.get(self.service_url).json()
        return data.get("acceptance_letter"), data.get("refusal_letter")

    def test_rest_patch_refuses_unknown_placeholders_in_french(self):
        editor = rest_session(self.url, *EDITOR)
        self.addCleanup(editor.close)
        response = editor.patch(self.service_url, json={"refusal_letter": REFUSED})
        self.assertEqual(response.status_code, 400, response.text)
        self.assertIn(
            "Variable inconnue : ${nom}, ${prenom}", response.json()["message"]
        )
        self.assertEqual(self.letters(), (None, None))
        response = editor.patch(self.service_url, json={"acceptance_letter": LETTER})
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(self.letters(), (LETTER, None))

    def test_the_edit_form_has_the_letters_and_refuses_unknown_placeholders(self):
        browser = requests.Session()
        self.addCleanup(browser.close)
        browser.auth = EDITOR
        page = browser.get(f"{self.service_url}/@@edit")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Documents officiels", page.text)
        self.assertRegex(page.text, r"Lettre d(&#x27;|&#39;|')acceptation")
        self.assertIn("Lettre de refus", page.text)
        self.assertIn("Fonction des agents qui décident", page.text)
        form = next(
            f
            for f in lxml.html.fromstring(page.text).forms
            if f.get_element_by_id("form-widgets-refusal_letter", None) is not None
        )
        values = [
            (name, value)
            for name, value in form.form_values()
            if name != "form.widgets.refusal_letter"
        ] + [("form.buttons.save", "Enregistrer")]
        response = browser.post(
            f"{self.service_url}/@@edit",
            data=[*values, ("form.widgets.refusal_letter", REFUSED)],
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Variable inconnue : ${nom}, ${prenom}", response.text)
        self.assertEqual(self.letters(), (None, None))
        browser.post(
            f"{self.service_url}/@@edit",
            data=[*values, ("form.widgets.refusal_letter", LETTER)],
        )
        self.assertEqual(self.letters()[1], LETTER)

"""Browser test (Chromium): the HTML part of an email is accessible (#16).

A real email (the password reset asked over REST) is read from the SMTP
sink; its HTML part is opened in Chromium and checked by axe-core (WCAG 2.2
A/AA and best practices): the language, the heading, the button reached by
its name, layout tables that are no data tables. An email has no landmarks
of its own: it is shown inside the mail client's page, whose landmarks hold
it, so the two page-level rules ``region`` and ``landmark-one-main`` are the
mail client's, not the email's.
"""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.sessions import JSON_HEADERS
from playwright.sync_api import expect

import requests


class TestMailHtml(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def test_reset_email_html_part(self):
        response = requests.post(
            f"{self.portal_url}/@password-reset",
            json={"login": "amelie.lire"},
            headers=JSON_HEADERS,
        )
        self.assertEqual(response.status_code, 202, response.text)
        [message] = self.mailsink.messages()
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        page = self.page
        page.set_content(html)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page).to_have_title("Choisissez un nouveau mot de passe")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Ville d'Illkirch-Graffenstaden"
        )
        button = page.get_by_role("link", name="Ouvrir le lien")
        link = button.get_attribute("href")
        self.assertIn(f"{self.portal_url}/@@nouveau-mot-de-passe?token=", link)
        self.assertIn(link, plain)
        expect(page.get_by_role("table")).to_have_count(0)  # presentation only
        self.assert_accessible(
            "Courriel HTML", without_rules=("region", "landmark-one-main")
        )

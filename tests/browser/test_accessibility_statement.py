"""Browser tests (Chromium): the « Déclaration d'accessibilité » (#15),
reached from the footer, at 1280 and 320 px: its sections as headings a
screen reader lists, no horizontal scrolling, axe-clean."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from playwright.sync_api import expect

import re


SECTIONS = [
    "État de conformité",
    "Résultats des tests",
    "Contenus non accessibles",
    "Établissement de cette déclaration",
    "Retour d'information et contact",
    "Voies de recours",
]


class TestAccessibilityStatement(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def test_statement_from_the_footer(self):
        page = self.page
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(self.portal_url)
            page.locator("#portal-footer-wrapper").get_by_role(
                "link", name="Accessibilité : non conforme", exact=True
            ).click()
            expect(page).to_have_url(f"{self.portal_url}/@@declaration-accessibilite")
            expect(page).to_have_title(re.compile("^Déclaration d'accessibilité — "))
            content = page.locator("#content")
            expect(content.get_by_role("heading", level=1)).to_have_text(
                "Déclaration d'accessibilité"
            )
            expect(content.get_by_role("heading", level=2)).to_have_text(SECTIONS)
            expect(page.locator("#statement-state")).to_contain_text(
                "L'Espace citoyen est non conforme"
            )
            self.assertTrue(
                page.evaluate(
                    "document.documentElement.scrollWidth"
                    " <= document.documentElement.clientWidth"
                ),
                f"horizontal scrolling at {width} px",
            )
            self.assert_accessible(f"déclaration d'accessibilité à {width} px")

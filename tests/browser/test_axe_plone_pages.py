"""Browser tests (Chromium): Plone's own markup the portal shows, fixed by the
add-on's overrides (#15, item 5), at 1280 and 320 px, each page axe-clean
(WCAG 2.0/2.1/2.2 A and AA, best practices).

- The search page's field has a visible label (Plone names it by a title).
- The staff's toolbar is a named region, not a ``section`` with the role
  toolbar (axe aria-allowed-role, region), its links 24 px targets at least
  on a phone (WCAG 2.5.8).
- A household's page lists its members and requests by their names, without
  Plone's empty image links (link-name) nor its bylines.
- The navigation portlet is named, told apart from the main navigation
  (landmark-unique).
- « Se connecter » opens the login page, never Plone's login modal (its
  second footer and heading levels: landmark-no-duplicate-contentinfo,
  heading-order).
"""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from playwright.sync_api import expect
from plone.app.testing import login
from plone.app.testing import logout

import re
import transaction


WIDTHS = (1280, 320)


class TestPlonePages(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def at_both_widths(self, what):
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.mouse.move(0, 0)
            self.assert_accessible(f"{what} ({width} px)")

    def test_search_field_has_a_visible_label(self):
        page = self.page
        page.goto(f"{self.portal_url}/@@search?SearchableText=passeport")
        field = page.get_by_label("Chercher dans le site", exact=True)
        expect(field).to_have_value("passeport")
        expect(page.locator("label[for=search-page-text]")).to_be_visible()
        expect(page.locator("#search-results .result-title a").first).to_be_visible()
        self.at_both_widths("Recherche")

    def test_login_link_opens_the_login_page(self):
        page = self.page
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(self.portal_url)
        page.get_by_role("link", name="Se connecter").first.click()
        expect(page).to_have_url(re.compile(r"/login$"))
        expect(page.locator(".plone-modal-wrapper, .modal.show")).to_have_count(0)
        expect(page.get_by_role("contentinfo")).to_have_count(1)
        self.at_both_widths("Se connecter")

    def test_staff_pages(self):
        portal = self.layer["portal"]
        login(portal, "amélie.lire")
        adult = next(
            person
            for person in household_of("amelie.lire").persons()
            if person.member_type == "adult"
        )
        request = submission.submit(
            portal["demarches"]["rendez-vous-passeport-cni"],
            dict(PASSPORT_ANSWERS),
            member_id=adult.getId(),
        )
        logout()
        household_url = household_of("amelie.lire").absolute_url()
        transaction.commit()
        page = self.page
        page.set_viewport_size({"width": 1280, "height": 900})
        self.login(*AGENT)

        # the toolbar: a region named for what it is
        page.goto(household_url)
        toolbar = page.get_by_role("region", name="Barre d'outils de gestion")
        expect(toolbar).to_have_count(1)  # its box: the fixed #edit-zone's
        expect(toolbar.locator("#edit-zone")).to_be_visible()
        expect(page.locator("section#edit-bar")).not_to_have_attribute(
            "role", "toolbar"
        )
        # the household's contents by their names, no empty link, no byline
        listing = page.locator("#folder-listing")
        expect(listing.get_by_role("link", name=adult.Title())).to_be_visible()
        expect(
            listing.get_by_role("link", name=re.compile(re.escape(request.number)))
        ).to_be_visible()
        for link in listing.get_by_role("link").all():
            expect(link).to_have_accessible_name(re.compile(r"\S"))
        expect(listing.locator(".documentByLine")).to_have_count(0)
        self.at_both_widths("Un foyer (agent)")

        # on a phone the toolbar's links are 44 px targets
        page.set_viewport_size({"width": 320, "height": 900})
        for link in page.locator("#edit-zone .plone-toolbar-main .nav-link").all():
            if link.is_visible():
                box = link.bounding_box()
                self.assertGreaterEqual(min(box["width"], box["height"]), 43.5)

        # Plone's navigation portlet, named
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(request.absolute_url())
        column = page.locator("#portal-column-one")
        named = column.get_by_role("navigation", name=re.compile(r"\S"))
        expect(named).to_have_count(1)
        self.at_both_widths("Une demande (agent)")

"""The town's identity (#15, item 1): the logo and footer viewlets that
replace Plone's for the add-on's layer, their settings, and the 1007 → 1008
upgrade that adds them to existing sites."""

from illkirch.eservices import town
from illkirch.eservices.browser import identity
from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from illkirch.eservices.testing import INTEGRATION_TESTING
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.profile import profile_version
from pathlib import Path
from plone import api
from plone.app.layout.viewlets.interfaces import IHtmlHead
from plone.app.layout.viewlets.interfaces import IHtmlHeadLinks
from plone.app.layout.viewlets.interfaces import IPortalFooter
from plone.app.layout.viewlets.interfaces import IPortalHeader
from plone.app.testing import logout
from plone.formwidget.namedfile.converter import b64encode_file
from Products.Five.browser import BrowserView
from zope.component import queryMultiAdapter
from zope.interface import alsoProvides
from zope.viewlet.interfaces import IViewlet
from zope.viewlet.interfaces import IViewletManager

import re
import unittest


PROFILE = "illkirch.eservices:default"
NEW_RECORDS = (
    "phone",
    "accessibility_compliance",
    "opening_hours",
    "accessibility_page",
    "legal_notice_page",
    "personal_data_page",
)


class TestPureHelpers(unittest.TestCase):
    def test_phone_href(self):
        self.assertEqual(town.phone_href("03 53 01 00 00"), "tel:0353010000")
        self.assertEqual(town.phone_href("+33 3 88-66-80-00"), "tel:+33388668000")
        self.assertIsNone(town.phone_href("—"))
        self.assertIsNone(town.phone_href(""))

    def test_page_url(self):
        site = "http://nohost/plone"
        self.assertEqual(
            town.page_url(site, "/mentions-legales"),
            "http://nohost/plone/mentions-legales",
        )
        self.assertEqual(
            town.page_url(site + "/", "infos/rgpd"),
            "http://nohost/plone/infos/rgpd",
        )
        self.assertEqual(
            town.page_url(site, "https://www.illkirch.eu/accessibilite"),
            "https://www.illkirch.eu/accessibilite",
        )
        self.assertIsNone(town.page_url(site, "  "))
        self.assertIsNone(town.page_url(site, None))

    def test_lines(self):
        self.assertEqual(town.lines(" a \n\n b\n"), ["a", "b"])
        self.assertEqual(town.lines(None), [])


class TestIdentityViewlets(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        alsoProvides(self.request, IIllkirchEservicesLayer)
        self.view = BrowserView(self.portal, self.request)

    def viewlet(self, manager_interface, manager_name, name):
        manager = queryMultiAdapter(
            (self.portal, self.request, self.view), IViewletManager, manager_name
        )
        self.assertTrue(manager_interface.providedBy(manager))
        viewlet = queryMultiAdapter(
            (self.portal, self.request, self.view, manager), IViewlet, name=name
        )
        viewlet.update()
        return viewlet

    def logo(self):
        return self.viewlet(IPortalHeader, "plone.portalheader", "plone.logo")

    def footer(self):
        return self.viewlet(IPortalFooter, "plone.portalfooter", "plone.footer")

    def test_viewlets_replace_plones_for_the_layer(self):
        self.assertIsInstance(self.logo(), identity.LogoViewlet)
        self.assertIsInstance(self.footer(), identity.FooterViewlet)
        colophon = self.viewlet(IPortalFooter, "plone.portalfooter", "plone.colophon")
        self.assertIsInstance(colophon, identity.ColophonViewlet)
        self.assertEqual(colophon.render().strip(), "")

    def test_demo_logo_by_default(self):
        html = self.logo().render()
        url = self.portal.absolute_url()
        self.assertIn('id="portal-logo"', html)
        self.assertIn(f'href="{url}"', html)
        self.assertIn(
            f'src="{url}/++plone++illkirch.eservices/logo-illkirch.svg"', html
        )
        self.assertRegex(html, r'alt="Ville d(&#0?39;|\')Illkirch-Graffenstaden — ')
        self.assertNotIn("plone-logo", html)
        svg = self.portal.restrictedTraverse(
            "++plone++illkirch.eservices/logo-illkirch.svg"
        )
        self.assertIsNotNone(svg)

    def test_site_logo_replaces_the_demo_logo(self):
        api.portal.set_registry_record(
            "plone.site_logo", b64encode_file("armoiries.png", image("PNG"))
        )
        api.portal.set_registry_record("illkirch.eservices.town_name", "Ville de Test")
        html = self.logo().render()
        self.assertIn("/@@site-logo/armoiries.png", html)
        self.assertNotIn("logo-illkirch.svg", html)
        self.assertIn('alt="Ville de Test — ', html)

    def test_footer_shows_the_town_hall(self):
        html = self.footer().render()
        url = self.portal.absolute_url()
        self.assertIn('id="portal-footer-signature"', html)
        self.assertRegex(html, r">Ville d(&#0?39;|')Illkirch-Graffenstaden</h2>")
        self.assertIn("181 route de Lyon<br />", html)
        self.assertIn("67400 Illkirch-Graffenstaden", html)
        self.assertIn('href="tel:0353010000">03 53 01 00 00</a>', html)
        self.assertIn("Du lundi au vendredi", html)
        for path in (
            "@@suivre-ma-demande",
            "@@declaration-accessibilite",
            "mentions-legales",
            "donnees-personnelles",
        ):
            self.assertIn(f'href="{url}/{path}"', html)
        self.assertIn(f'href="{url}/sitemap"', html)  # Plone's site actions
        self.assertNotIn("accessibility-info", html)  # but its accessibility
        for plone in ("Powered by Plone", "Plone Foundation", "plone.com"):
            self.assertNotIn(plone, html)

    def test_footer_follows_its_settings(self):
        api.portal.set_registry_record(
            "illkirch.eservices.postal_address", "Hôtel de ville\n1 place du Marché"
        )
        api.portal.set_registry_record(
            "illkirch.eservices.opening_hours", "Lundi : 9 h – 12 h"
        )
        api.portal.set_registry_record("illkirch.eservices.phone", "")
        api.portal.set_registry_record(
            "illkirch.eservices.legal_notice_page", "https://www.example.org/legal"
        )
        api.portal.set_registry_record("illkirch.eservices.personal_data_page", "")
        api.portal.set_registry_record(
            "illkirch.eservices.accessibility_compliance", "partial"
        )
        html = self.footer().render()
        self.assertIn("Hôtel de ville<br />", html)
        self.assertIn("Lundi : 9 h – 12 h", html)
        self.assertNotIn("tel:", html)
        self.assertIn('href="https://www.example.org/legal"', html)
        self.assertNotIn("footer-link-personal-data", html)
        self.assertIn("footer-link-accessibility", html)
        self.assertRegex(
            html, r">Accessibi\w+ ?: (partiellement conforme|partially compliant)<"
        )

    def test_link_previews_show_the_town_logo(self):
        """Plone's social media tags (anonymous visitors) take the town's
        logo, not Plone's, as their image."""
        logout()
        html = self.viewlet(IHtmlHead, "plone.htmlhead", "plone.htmlhead.socialtags")
        self.assertIsInstance(html, identity.SocialTagsViewlet)
        html = html.render()
        self.assertIn("logo-illkirch.svg", html)
        self.assertNotIn("plone-logo", html)

    def test_site_icon_is_the_town_emblem(self):
        viewlet = self.viewlet(
            IHtmlHeadLinks, "plone.htmlhead.links", "plone.links.favicon"
        )
        html = viewlet.render()
        self.assertIn("++plone++illkirch.eservices/favicon-illkirch.svg", html)
        self.assertIn('type="image/svg+xml"', html)
        api.portal.set_registry_record(
            "plone.site_favicon", b64encode_file("mairie.png", image("PNG"))
        )
        html = viewlet.render()
        self.assertIn("/favicon.ico?name=mairie.png", html)

    def test_stylesheet_imports_the_theme_and_print(self):
        folder = Path(identity.__file__).parent / "static"
        head = (folder / "eservices.css").read_text(encoding="utf-8").splitlines()[:5]
        self.assertIn('@import url("theme.css");', head)
        theme = (folder / "theme.css").read_text(encoding="utf-8")
        self.assertIn('@import url("print.css") print;', theme)


class TestUpgrade1008(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def test_new_settings_added_existing_kept(self):
        portal = self.layer["portal"]
        registry = portal.portal_registry
        for name in NEW_RECORDS:
            del registry.records[f"illkirch.eservices.{name}"]
        api.portal.set_registry_record("illkirch.eservices.town_name", "Ville de Test")
        setup = portal.portal_setup
        setup.setLastVersionForProfile(PROFILE, "1007")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))
        self.assertEqual(registry["illkirch.eservices.town_name"], "Ville de Test")
        self.assertEqual(registry["illkirch.eservices.phone"], "03 53 01 00 00")
        self.assertEqual(
            registry["illkirch.eservices.accessibility_compliance"], "none"
        )
        self.assertEqual(
            registry["illkirch.eservices.legal_notice_page"], "/mentions-legales"
        )
        self.assertTrue(
            re.match("Du lundi", registry["illkirch.eservices.opening_hours"])
        )

"""The « FranceConnect » control panel over HTTP (#20): the client secret is
never shown back, a form saved with it empty keeps it, a new one replaces
it; the plugin follows; only the settings' managers reach the page."""

from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import PASSWORDS
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import lxml.html
import requests
import transaction
import unittest


PREFIX = "illkirch.eservices.franceconnect"
SECRET = "illkirch-eservices-secret"  # the demo's


class TestFranceConnectSettingsHttp(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.manager = requests.Session()
        self.manager.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        self.addCleanup(self.manager.close)

    def post_form(self, **changes):
        page = self.manager.get(f"{self.url}/@@franceconnect-settings")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(SECRET, page.text)
        self.assertIn("Secret client", page.text)
        form = next(
            f
            for f in lxml.html.fromstring(page.text).forms
            if f.get_element_by_id("form-widgets-client_secret", None) is not None
        )
        values = {
            name: value
            for name, value in form.form_values()
            if not name.startswith("form.buttons.")
        }
        values.update(changes)
        return self.manager.post(
            f"{self.url}/@@franceconnect-settings",
            data={**values, "form.buttons.save": "Enregistrer"},
        )

    def stored(self, name):
        transaction.begin()
        self.layer["portal"]._p_jar.sync()
        # plone.registry's cache of the test's request: read afresh
        self.layer["request"].other.pop("_plone_registry_cache", None)
        return api.portal.get_registry_record(f"{PREFIX}.{name}")

    def test_secret_kept_when_left_empty_replaced_when_typed(self):
        response = self.post_form(**{"form.widgets.client_id": "client-de-la-ville"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.stored("client_id"), "client-de-la-ville")
        self.assertEqual(self.stored("client_secret"), SECRET)
        response = self.post_form(**{"form.widgets.client_secret": "nouveau-secret"})
        self.assertEqual(response.status_code, 200)
        # the plugin follows (its properties in the ZMI, to the Manager only)
        zmi = self.manager.get(
            f"{self.url}/acl_users/{franceconnect.PLUGIN_ID}/manage_propertiesForm"
        ).text
        self.assertIn('value="nouveau-secret"', zmi)
        self.assertIn('value="client-de-la-ville"', zmi)

    def test_frontend_addresses_shown_checked_and_kept_exactly(self):
        page = self.manager.get(f"{self.url}/@@franceconnect-settings")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Adresses de retour des applications (Volto, mobile)", page.text)
        self.assertIn("Adresses des applications après la déconnexion", page.text)
        self.assertIn("espace partenaires de FranceConnect", page.text)
        html = lxml.html.fromstring(page.text)
        for name in ("frontend_redirect_uris", "frontend_post_logout_uris"):
            widget = html.get_element_by_id(f"form-widgets-{name}")
            self.assertEqual(widget.tag, "textarea", name)  # one per line
        redirect = "form.widgets.frontend_redirect_uris"
        post_logout = "form.widgets.frontend_post_logout_uris"
        for field, bad in (
            (redirect, "https://app.illkirch.eu/fc#retour"),
            (redirect, "app.illkirch.eu/fc"),
            (redirect, "/franceconnect/callback"),
            (redirect, "ftp://app.illkirch.eu/fc"),
            (redirect, "javascript:alert(1)"),
            (redirect, "https:///fc"),
            (post_logout, "https://app.illkirch.eu/ fin"),
        ):
            response = self.post_form(
                **{field: f"https://app.illkirch.eu/franceconnect/callback\n{bad}"}
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("Ligne 2 (", response.text, bad)
            self.assertIn("commençant par https://", response.text, bad)
            self.assertIn("sans « # »", response.text, bad)
            self.assertEqual(self.stored("frontend_redirect_uris"), [], bad)
            self.assertEqual(self.stored("frontend_post_logout_uris"), [], bad)
        response = self.post_form(
            **{
                redirect: "https://app.illkirch.eu/franceconnect/callback\n"
                "http://localhost:3000/franceconnect",
                post_logout: "https://app.illkirch.eu/",
            }
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Ligne ", response.text)
        self.assertEqual(
            self.stored("frontend_redirect_uris"),
            [
                "https://app.illkirch.eu/franceconnect/callback",
                "http://localhost:3000/franceconnect",
            ],
        )
        self.assertEqual(
            self.stored("frontend_post_logout_uris"), ["https://app.illkirch.eu/"]
        )

    def test_only_for_the_settings_managers(self):
        citizen = requests.Session()
        citizen.auth = ("amelie.lire", PASSWORDS["amelie.lire"])
        response = citizen.get(
            f"{self.url}/@@franceconnect-settings", allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 401, 403))
        anonymous = requests.get(
            f"{self.url}/@@franceconnect-settings", allow_redirects=False
        )
        self.assertIn(anonymous.status_code, (302, 401, 403))

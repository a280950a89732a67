"""``GET /@town`` over HTTP: the town's identity the pages show, public; its
settings and Plone's site logo change it."""

from illkirch.eservices.testing import FUNCTIONAL_TESTING
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.sessions import rest_session
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.formwidget.namedfile.converter import b64encode_file

import transaction
import unittest


class TestTownApi(unittest.TestCase):
    layer = FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.session = rest_session(self.url)
        self.addCleanup(self.session.close)

    def get(self):
        response = self.session.get(f"{self.url}/@town")
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def test_anonymous_reads_the_demo_town(self):
        data = self.get()
        self.assertEqual(data["@id"], f"{self.url}/@town")
        self.assertEqual(data["name"], "Ville d'Illkirch-Graffenstaden")
        self.assertEqual(
            data["logo"], f"{self.url}/++plone++illkirch.eservices/logo-illkirch.svg"
        )
        self.assertEqual(
            data["address"],
            [
                "Mairie d'Illkirch-Graffenstaden",
                "181 route de Lyon",
                "67400 Illkirch-Graffenstaden",
            ],
        )
        self.assertTrue(data["opening_hours"][0].startswith("Du lundi au vendredi"))
        self.assertEqual(data["phone"], "03 53 01 00 00")
        self.assertEqual(data["phone_href"], "tel:0353010000")
        self.assertEqual(
            [(link["id"], link["title"], link["url"]) for link in data["links"]],
            [
                (
                    "follow-request",
                    "Suivre ma demande",
                    f"{self.url}/@@suivre-ma-demande",
                ),
                (
                    "accessibility",
                    "Accessibilité : non conforme",
                    f"{self.url}/@@declaration-accessibilite",
                ),
                ("legal-notice", "Mentions légales", f"{self.url}/mentions-legales"),
                (
                    "personal-data",
                    "Données personnelles",
                    f"{self.url}/donnees-personnelles",
                ),
            ],
        )

    def test_settings_and_site_logo_change_it(self):
        api.portal.set_registry_record("illkirch.eservices.town_name", "Ville de Test")
        api.portal.set_registry_record("illkirch.eservices.phone", "")
        api.portal.set_registry_record("illkirch.eservices.personal_data_page", "")
        api.portal.set_registry_record(
            "illkirch.eservices.accessibility_compliance", "partial"
        )
        api.portal.set_registry_record(
            "plone.site_logo", b64encode_file("armoiries.png", image("PNG"))
        )
        transaction.commit()
        data = self.get()
        self.assertEqual(data["name"], "Ville de Test")
        self.assertEqual(data["logo"], f"{self.url}/@@site-logo/armoiries.png")
        self.assertEqual(data["phone"], "")
        self.assertIsNone(data["phone_href"])
        self.assertNotIn("personal-data", [link["id"] for link in data["links"]])
        self.assertEqual(
            data["links"][1]["title"], "Accessibilité : partiellement conforme"
        )

    def test_settings_in_the_control_panel(self):
        """The footer's settings in « Espace citoyen », on the page and over
        REST (``@controlpanels/eservices-settings``)."""
        auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        page = self.session.get(
            f"{self.url}/@@eservices-settings",
            auth=auth,
            headers={"Accept": "text/html"},
        )
        self.assertEqual(page.status_code, 200)
        for label in (
            "Téléphone de la mairie",
            "Horaires d'ouverture de la mairie",
            "Conformité au RGAA",
            "partiellement conforme",
            "Page des mentions légales",
            "Logo du site",
        ):
            self.assertTrue(label in page.text, label)
        panel = self.session.get(
            f"{self.url}/@controlpanels/eservices-settings", auth=auth
        ).json()
        self.assertEqual(panel["data"]["phone"], "03 53 01 00 00")
        self.assertEqual(
            panel["data"]["accessibility_compliance"]["token"]
            if isinstance(panel["data"]["accessibility_compliance"], dict)
            else panel["data"]["accessibility_compliance"],
            "none",
        )

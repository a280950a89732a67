"""The phones' home-screen icon (``apple-touch-icon``) of every page is the
town's, not Plone's (Barceloneta's theme writes Plone's): one link in the
page's head, to a 180 px PNG that scripts/make_touch_icon.py draws."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.sessions import cookie_session
from pathlib import Path
from PIL import Image
from PIL import ImageChops

import importlib.util
import io
import lxml.html
import requests
import unittest


ICON = "++plone++illkirch.eservices/apple-touch-icon-illkirch.png"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_touch_icon.py"


class TestTouchIcon(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.http = requests.Session()
        self.addCleanup(self.http.close)

    def head_icons(self, session, path):
        response = session.get(f"{self.url}{path}")
        self.assertEqual(response.status_code, 200, path)
        self.assertNotIn("barceloneta-apple-touch-icon", response.text, path)
        head = lxml.html.fromstring(response.text).head
        return [
            (link.get("rel"), link.get("sizes"), link.get("href"))
            for link in head.xpath("link[contains(@rel, 'touch-icon')]")
        ]

    def test_pages_link_the_town_icon_only(self):
        expected = [("apple-touch-icon", "180x180", f"{self.url}/{ICON}")]
        for path in ("", "/login", "/@@suivre-ma-demande", "/faq"):
            self.assertEqual(self.head_icons(self.http, path), expected, path)
        citizen = cookie_session(self.url, *AMELIE)
        self.addCleanup(citizen.close)
        self.assertEqual(self.head_icons(citizen, "/@@mon-espace"), expected)

    def test_the_icon_is_the_scripts_drawing(self):
        response = self.http.get(f"{self.url}/{ICON}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        served = Image.open(io.BytesIO(response.content))
        self.assertEqual((served.size, served.mode), ((180, 180), "RGB"))
        spec = importlib.util.spec_from_file_location("make_touch_icon", SCRIPT)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        self.assertIsNone(ImageChops.difference(served, script.draw()).getbbox())

"""The antivirus' settings in an existing site (#21): the 1013 → 1014
upgrade registers them and the « Antivirus » control panel, keeping what
was set; ``eservices-create-site --clamd-address`` (make start) points a
site without a daemon address at make start's ``clamd``."""

from illkirch.eservices.antivirus import files
from illkirch.eservices.cli.site import configure_antivirus
from illkirch.eservices.interfaces import ANTIVIRUS_PREFIX
from illkirch.eservices.interfaces import IAntivirusSettings
from illkirch.eservices.testing import INTEGRATION_TESTING
from illkirch.eservices.testing.profile import profile_version
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

import unittest


PROFILE = "illkirch.eservices:default"
CONFIGLET = "illkirch-eservices-antivirus"


class TestAntivirusUpgrade(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.registry = getUtility(IRegistry)

    def configlets(self):
        return [a.id for a in self.portal.portal_controlpanel.listActions()]

    def test_installed_with_the_settings_and_the_control_panel(self):
        self.assertIs(self.registry[f"{ANTIVIRUS_PREFIX}.enabled"], True)
        self.assertEqual(self.registry[f"{ANTIVIRUS_PREFIX}.address"], "")
        self.assertFalse(files.is_active())
        self.assertIn(CONFIGLET, self.configlets())

    def test_upgrade_1013_to_1014(self):
        setup = self.portal.portal_setup
        for name in IAntivirusSettings:
            del self.registry.records[f"{ANTIVIRUS_PREFIX}.{name}"]
        self.portal.portal_controlpanel.unregisterConfiglet(CONFIGLET)
        self.assertNotIn(CONFIGLET, self.configlets())
        self.assertFalse(files.is_active())
        setup.setLastVersionForProfile(PROFILE, "1013")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))
        self.assertIs(self.registry[f"{ANTIVIRUS_PREFIX}.enabled"], True)
        self.assertEqual(self.registry[f"{ANTIVIRUS_PREFIX}.address"], "")
        self.assertEqual(self.registry[f"{ANTIVIRUS_PREFIX}.max_stream_mb"], 25)
        self.assertEqual(self.registry[f"{ANTIVIRUS_PREFIX}.timeout"], 30)
        self.assertIn(CONFIGLET, self.configlets())
        # nothing scanned until a daemon's address is given
        self.assertFalse(files.is_active())

    def test_upgrade_keeps_what_was_set(self):
        setup = self.portal.portal_setup
        self.registry[f"{ANTIVIRUS_PREFIX}.address"] = "tcp://10.0.0.5:3310"
        self.registry[f"{ANTIVIRUS_PREFIX}.max_stream_mb"] = 40
        del self.registry.records[f"{ANTIVIRUS_PREFIX}.timeout"]
        setup.setLastVersionForProfile(PROFILE, "1013")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(
            self.registry[f"{ANTIVIRUS_PREFIX}.address"], "tcp://10.0.0.5:3310"
        )
        self.assertEqual(self.registry[f"{ANTIVIRUS_PREFIX}.max_stream_mb"], 40)
        self.assertEqual(self.registry[f"{ANTIVIRUS_PREFIX}.timeout"], 30)


class TestMakeStartAddress(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def test_a_site_without_an_address_gets_make_starts(self):
        registry = getUtility(IRegistry)
        self.assertTrue(configure_antivirus("tcp://127.0.0.1:3310"))
        self.assertEqual(
            registry[f"{ANTIVIRUS_PREFIX}.address"], "tcp://127.0.0.1:3310"
        )
        self.assertTrue(files.is_active())
        # the administrator's address is kept
        registry[f"{ANTIVIRUS_PREFIX}.address"] = "unix:///run/clamav/clamd.ctl"
        self.assertFalse(configure_antivirus("tcp://127.0.0.1:3310"))
        self.assertEqual(
            registry[f"{ANTIVIRUS_PREFIX}.address"], "unix:///run/clamav/clamd.ctl"
        )

    def test_a_site_older_than_the_settings(self):
        registry = getUtility(IRegistry)
        for name in IAntivirusSettings:
            del registry.records[f"{ANTIVIRUS_PREFIX}.{name}"]
        self.assertTrue(configure_antivirus("tcp://127.0.0.1:3310"))
        self.assertEqual(
            registry[f"{ANTIVIRUS_PREFIX}.address"], "tcp://127.0.0.1:3310"
        )
        self.assertIs(registry[f"{ANTIVIRUS_PREFIX}.enabled"], True)

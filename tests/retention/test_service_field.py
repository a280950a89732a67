"""A service's retention period: the « Conservation » tab of its edit form."""

from illkirch.eservices.retention import periods
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.app.testing import login
from plone.app.testing import setRoles

import unittest


class TestServiceRetentionField(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        login(self.portal, TEST_USER_NAME)

    def test_edit_form_has_the_conservation_tab(self):
        service = self.portal["demarches"]["inscription-periscolaire"]
        html = service.restrictedTraverse("@@edit")()
        self.assertIn("Conservation", html)
        self.assertIn('name="form.widgets.retention_months"', html)
        self.assertIn("Durée de conservation de ses demandes (mois)", html)

    def test_defaults_per_kind_and_service_value(self):
        births = self.portal["demarches"]["acte-de-naissance"]
        school = self.portal["demarches"]["inscription-periscolaire"]
        self.assertIsNone(births.retention_months)
        self.assertEqual(periods.service_months(births), periods.CIVIL_STATUS_MONTHS)
        self.assertEqual(periods.service_months(school), periods.REQUEST_MONTHS)
        school.retention_months = 120
        self.assertEqual(periods.service_months(school), 120)

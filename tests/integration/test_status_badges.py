"""Status badges (browser/badges.py): every status of a request, an invoice
and an account has its colour class, its French text and an icon; the
macro is there for any page (``@@eservices-badges``), which shows nothing by
itself."""

from illkirch.eservices.accounts.household_input import STATE_TITLES
from illkirch.eservices.billing.invoices import STATE_TITLES as INVOICE_TITLES
from illkirch.eservices.browser import badges
from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from illkirch.eservices.requests.processing import STATES
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from zExceptions import NotFound
from zope.i18n import translate
from zope.interface import alsoProvides

import unittest


def french(message):
    return translate(message, target_language="fr")


class TestStatusBadges(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def assert_badge(self, badge, css, text):
        self.assertIn("badge eservices-badge", badge["css"])
        self.assertIn(css, badge["css"])
        self.assertEqual(french(badge["text"]), text)
        self.assertIn(badge["icon"], badges.ICONS.values())

    def test_every_status_has_text_colour_and_icon(self):
        for state, title in STATES.items():
            self.assertIn(state, badges.REQUEST_ICONS)
            self.assert_badge(
                badges.request_badge(state),
                f"eservices-status eservices-status-{state}",
                french(title),
            )
        for state, title in INVOICE_TITLES.items():
            self.assertIn(state, badges.INVOICE_ICONS)
            self.assert_badge(
                badges.invoice_badge(state), f"eservices-invoice-{state}", french(title)
            )
        for state, title in STATE_TITLES.items():
            self.assertIn(state, badges.ACCOUNT_ICONS)
            self.assert_badge(
                badges.account_badge(state), f"eservices-account-{state}", french(title)
            )
        self.assert_badge(
            badges.overdue_badge(), "eservices-invoice-overdue", "Échéance dépassée"
        )
        self.assertEqual(
            french(badges.request_badge("incomplete")["text"]), "Incomplète"
        )

    def test_the_macro_for_any_page(self):
        request = self.layer["request"]
        alsoProvides(request, IIllkirchEservicesLayer)
        view = self.layer["portal"].restrictedTraverse("@@eservices-badges")
        self.assertIn("badge", view.macros.names)
        self.assertEqual(view.for_request("accepted"), badges.request_badge("accepted"))
        with self.assertRaises(NotFound):
            view()

"""« Comptes à valider » (#20): a household whose holder's identity
FranceConnect verified comes first, marked « Identité vérifiée par
FranceConnect » with what was verified; axe on the page."""

from DateTime import DateTime
from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.accounts import households
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.franceconnect import ANGELA_CLAIMS
from illkirch.eservices.testing.franceconnect import COMPLETION
from playwright.sync_api import expect

import transaction


CLAIMS = {"sub": "queue-test-sub", **ANGELA_CLAIMS}


class TestFranceConnectInQueue(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def test_verified_household_first_with_what_was_verified(self):
        # the demo's pending household is days older (the catalog's dates
        # are to the minute: the layer's households are as new as this one)
        older = households.household_of("jerome.attente")
        older.creation_date = DateTime() - 3
        older.reindexObject()
        identity = franceconnect.identity_from_claims(CLAIMS)
        franceconnect.register_identity(identity, COMPLETION)  # the newest
        transaction.commit()
        page = self.page
        self.login(*AGENT)
        page.goto(f"{self.portal_url}/@@comptes-a-valider")
        expect(page.get_by_text("sont listés en premier")).to_be_visible()
        table = page.get_by_role("table", name="Comptes en attente de validation")
        rows = table.locator("tbody tr")
        expect(rows.nth(1)).to_be_attached()  # the demo's pending ones after
        first = rows.first
        expect(first).to_contain_text("Angela Claire Louise DUBOIS")
        expect(first).to_contain_text("Identité vérifiée par FranceConnect")
        expect(first).to_contain_text(
            "Vérifié : Civilité, Prénom, Nom, Date de naissance, Lieu de naissance"
        )
        others = table.get_by_role("row", name="Jérôme Attente")
        expect(others).not_to_contain_text("vérifiée par FranceConnect")
        self.assert_accessible("Comptes à valider, une identité FranceConnect")

"""The verification codes of official documents leave the index when their
request or payment is deleted (#18): by the nightly purge (a closed
request past its period), with its household (the purge of a closed
account's household), or by a deletion; the code then answers « Document
inconnu »."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.official_documents import store
from illkirch.eservices.official_documents import verification
from illkirch.eservices.requests import submission
from illkirch.eservices.retention import periods
from illkirch.eservices.retention import purge
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from zope.annotation.interfaces import IAnnotations

import time_machine
import unittest


T0 = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)
ADDRESS = "192.0.2.10"


class TestCodesForgotten(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        _mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.addCleanup(logout)
        self.household = household_of("amelie.lire")

    def file_with_document(self):
        """A request of « amelie.lire » and an issued document of it: its
        code."""
        login(self.portal, "amélie.lire")
        child = next(p for p in self.household.persons() if p.member_type == "child")
        request_obj = submission.submit(
            self.portal["demarches"]["inscription-periscolaire"],
            raw_answers=dict(PERISCOLAIRE_ANSWERS),
            member_id=child.getId(),
            files=[
                {
                    "document": "attestation-dassurance-scolaire",
                    "filename": "assurance.pdf",
                    "data": pdf(),
                },
                {
                    "document": "carnet-de-vaccination",
                    "filename": "vaccins.png",
                    "data": image("PNG"),
                },
            ],
        )
        logout()
        code = store.new_code()
        heading = {
            "kind": store.RECEIPT,
            "title": "Récépissé de dépôt",
            "number": request_obj.number,
            "date": "2027-03-10",
            "town": "Ville d'Illkirch-Graffenstaden",
        }
        store.add(
            request_obj,
            store.IssuedDocument(store.RECEIPT, "recepisse.pdf", pdf(), heading, code),
            code,
        )
        self.assertTrue(verification.verify(code, ADDRESS)["authentic"])
        self.assertTrue(self.indexed(code))
        return request_obj, code

    def indexed(self, code):
        index = IAnnotations(self.portal).get(store.CODES_KEY, {})
        return store.digest(code.encode("ascii")) in index

    def assert_unknown(self, code):
        # gone from the index itself (not only unreachable from the catalog)
        self.assertFalse(self.indexed(code))
        self.assertIsNone(store.lookup(code))
        self.assertEqual(verification.verify(code, ADDRESS), {"authentic": False})

    def test_purged_request_code_is_unknown(self):
        with time_machine.travel(T0, tick=False):
            request_obj, code = self.file_with_document()
            setRoles(self.portal, TEST_USER_ID, ["Manager"])
            login(self.portal, TEST_USER_NAME)
            workflow = api.portal.get_tool("portal_workflow")
            for transition in ("mark_complete", "accept", "close"):
                workflow.doActionFor(request_obj, transition)
            logout()
        end = periods.add_months(T0, periods.REQUEST_MONTHS)
        with time_machine.travel(end - DAY, tick=False):
            self.assertEqual(purge.run()["requests"], 0)
        self.assertTrue(verification.verify(code, ADDRESS)["authentic"])
        with time_machine.travel(end + DAY, tick=False):
            self.assertEqual(purge.run()["requests"], 1)
        self.assert_unknown(code)

    def test_deleted_household_takes_its_codes(self):
        _request_obj, code = self.file_with_document()
        with api.env.adopt_roles(["Manager"]):
            api.content.delete(self.household, check_linkintegrity=False)
        self.assert_unknown(code)

    def test_deleted_request_code_is_unknown_others_stay(self):
        request_obj, code = self.file_with_document()
        _other, other_code = self.file_with_document()
        with api.env.adopt_roles(["Manager"]):
            api.content.delete(request_obj, check_linkintegrity=False)
        self.assert_unknown(code)
        self.assertTrue(verification.verify(other_code, ADDRESS)["authentic"])

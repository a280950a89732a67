"""1009 → 1010 (#18, downloads): the catalog's metadata column
``issued_documents``, added and filled for the requests that already hold
documents; a brain without it reads as having none."""

from illkirch.eservices.official_documents import access
from illkirch.eservices.official_documents import store
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.conversation import file_request
from illkirch.eservices.testing.official_documents import issue
from illkirch.eservices.testing.site import use_mock_mailhost
from zope.annotation.interfaces import IAnnotations

import unittest


PROFILE = "illkirch.eservices:default"
TITLE = (
    "Official documents: the catalog's column of each request's and payment's documents"
)


def steps(setup):
    for info in setup.listUpgrades(PROFILE, show_old=True):
        yield from info if isinstance(info, list) else [info]


class TestUpgrade(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)

    def request_before_1010(self):
        """A request as filed before #18: without its filing receipt (the
        receipt's job issues one at once since)."""
        request_obj = file_request(self.portal)
        IAnnotations(request_obj).pop(store.KEY, None)
        request_obj.reindexObject(idxs=["getId"])
        return request_obj

    def brain(self, obj):
        catalog = self.portal.portal_catalog
        return catalog.unrestrictedSearchResults(UID=obj.UID())[0]

    def test_the_column_is_added_and_filled(self):
        with_receipt = self.request_before_1010()
        without = self.request_before_1010()
        receipt, _code = issue(with_receipt, store.RECEIPT, with_receipt.number)
        catalog = self.portal.portal_catalog
        self.assertTrue(access.latest_from_brain(self.brain(with_receipt), "receipt"))
        # as before 1010: no column
        catalog.delColumn("issued_documents")
        self.assertIsNone(access.latest_from_brain(self.brain(with_receipt), "receipt"))

        setup = self.portal.portal_setup
        step = next(s for s in steps(setup) if s["title"] == TITLE)
        self.assertEqual((step["source"], step["dest"]), (("1009",), ("1010",)))
        step["step"].doStep(setup)

        self.assertIn("issued_documents", catalog.schema())
        found = access.latest_from_brain(self.brain(with_receipt), store.RECEIPT)
        self.assertEqual(found["id"], receipt.id)
        self.assertEqual(found["size"], receipt.size)
        self.assertTrue(found["url"].endswith(f"/@@document-officiel/{receipt.id}"))
        self.assertIsNone(access.latest_from_brain(self.brain(without), store.RECEIPT))
        # run twice: nothing changes
        step["step"].doStep(setup)
        self.assertEqual(
            access.latest_from_brain(self.brain(with_receipt), store.RECEIPT), found
        )

    def test_issuing_a_document_updates_the_column_at_once(self):
        request_obj = self.request_before_1010()
        first, _code = issue(request_obj, store.RECEIPT, request_obj.number)
        second, _code = issue(request_obj, store.DECISION, request_obj.number)
        brain = self.brain(request_obj)
        self.assertEqual(
            brain.issued_documents,
            (
                (store.RECEIPT, first.id, first.size),
                (store.DECISION, second.id, second.size),
            ),
        )
        self.assertEqual(
            access.latest_from_brain(brain, store.DECISION)["id"], second.id
        )

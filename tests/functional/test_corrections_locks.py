"""While an ask for corrections is open, the citizen changes nothing else
(#17): no document through ``POST <request>/@attachments`` nor the page's
« Ajouter des pièces » (hidden, and refused when posted), no ``resubmit``
through ``@workflow`` nor the page; a replaced document with a reusable
type enters the locker; once the ask is closed, documents are added again."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.corrections import VACCINS
from illkirch.eservices.testing.corrections import FiledOverHTTP
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import upload
from illkirch.eservices.testing.sessions import cookie_session

import re
import transaction
import unittest


LOCKED = "aucune autre pièce ne peut être ajoutée"


class TestCorrectionsLocks(FiledOverHTTP, unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def attachments(self):
        response = self.amelie.get(f"{self.request_url}/@attachments")
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def add(self):
        return self.amelie.post(
            f"{self.request_url}/@attachments",
            json={"documents": [upload("", "autre.pdf", pdf())]},
        )

    def ask(self, **body):
        response = self.agent.post(
            f"{self.request_url}/@corrections",
            json={"message": "Merci de remplacer le carnet.", **body},
        )
        self.assertIn(response.status_code, (200, 201), response.text)

    def test_rest_refused_while_open(self):
        self.ask(documents=[VACCINS])
        before = self.attachments()
        self.assertFalse(before["can_add"])
        response = self.add()
        self.assertEqual(response.status_code, 400, response.text)
        errors = {e["field"]: e["message"] for e in response.json()["error"]["errors"]}
        self.assertIn(LOCKED, errors["documents"])
        self.assertEqual(self.attachments(), before, "nothing stored")
        # nor back to the agents without the correction
        response = self.amelie.post(f"{self.request_url}/@workflow/resubmit", json={})
        self.assertGreaterEqual(response.status_code, 400, response.text)
        state = self.amelie.get(self.request_url).json()["review_state"]
        self.assertEqual(state, "incomplete")

    def test_free_ask_still_takes_documents(self):
        # an ask with nothing ticked is today's free message
        self.ask()
        self.assertTrue(self.attachments()["can_add"])
        response = self.add()
        self.assertEqual(response.status_code, 201, response.text)

    def test_locker_keeps_the_corrected_document(self):
        service = self.layer["portal"]["demarches"]["inscription-periscolaire"]
        service[VACCINS].reusable_type = "justificatif-domicile"
        transaction.commit()
        self.ask(documents=[VACCINS])
        response = self.amelie.get(f"{self.url}/@locker")
        self.assertEqual(response.status_code, 200, response.text)
        before = {i["filename"] for i in response.json()["items"]}
        self.assertNotIn("carnet-p2.pdf", before)
        response = self.amelie.patch(
            f"{self.request_url}/@corrections",
            json={"documents": [upload(VACCINS, "carnet-p2.pdf", pdf(padding=7))]},
        )
        self.assertEqual(response.status_code, 200, response.text)
        items = self.amelie.get(f"{self.url}/@locker").json()["items"]
        kept = [i for i in items if i["filename"] == "carnet-p2.pdf"]
        self.assertEqual(len(kept), 1, items)
        self.assertEqual(kept[0]["type"], "justificatif-domicile")
        # documents are added again once the ask is closed (« En cours »)
        self.assertTrue(self.attachments()["can_add"])

    def test_page_hides_and_refuses(self):
        browser = cookie_session(self.url, *AMELIE)
        self.addCleanup(browser.close)
        page = browser.get(self.request_url).text
        self.assertIn("@@ajouter-pieces", page, "open before the ask")
        token = re.search(r'name="_authenticator" value="([^"]+)"', page).group(1)
        self.ask(documents=[VACCINS])
        page = browser.get(self.request_url).text
        self.assertFalse("@@ajouter-pieces" in page, "the generic form is hidden")
        self.assertIn("@@corriger", page)
        count = len(self.attachments()["items"])
        response = browser.post(
            f"{self.request_url}/@@ajouter-pieces",
            data={"_authenticator": token, "document": ""},
            files={"files": ("autre.pdf", pdf(), "application/pdf")},
        )
        self.assertIn(LOCKED, response.text)
        self.assertEqual(len(self.attachments()["items"]), count)
        # nor back to the agents from the page without the correction
        response = browser.post(
            f"{self.request_url}/@@changer-statut",
            data={"_authenticator": token, "transition": "resubmit", "comment": ""},
        )
        state = self.amelie.get(self.request_url).json()["review_state"]
        self.assertEqual(state, "incomplete")

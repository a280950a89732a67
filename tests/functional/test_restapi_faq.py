"""The FAQ through plone.restapi: what a Volto or mobile client does."""

from illkirch.eservices.demo.faq import load_faq_data
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import EDITOR
from illkirch.eservices.testing.sessions import JSON_HEADERS

import requests
import unittest


class TestFAQRestAPI(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()

    def session(self, login=None, password=None):
        session = requests.Session()
        session.headers.update(JSON_HEADERS)
        if login:
            response = session.post(
                f"{self.url}/@login", json={"login": login, "password": password}
            )
            self.assertEqual(response.status_code, 200, response.text)
            session.headers["Authorization"] = f"Bearer {response.json()['token']}"
        return session

    def test_anonymous_reads_the_faq_and_its_questions(self):
        response = self.session().get(f"{self.url}/faq")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["@type"], "FAQ")
        self.assertEqual(data["categories"], load_faq_data()["categories"])
        self.assertEqual(data["items_total"], len(load_faq_data()["questions"]))
        question_url = data["items"][0]["@id"]
        question = self.session().get(question_url).json()
        self.assertEqual(question["@type"], "FAQQuestion")
        self.assertEqual(question["category"]["title"], "Mon compte")
        self.assertIn("<p>", question["answer"]["data"])

    def test_editor_adds_a_question(self):
        editor = self.session(*EDITOR)
        response = editor.post(
            f"{self.url}/faq",
            json={
                "@type": "FAQQuestion",
                "title": "Puis-je payer en plusieurs fois ?",
                "category": "Factures et paiement en ligne",
                "answer": {"data": "<p>Non.</p>", "content-type": "text/html"},
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        created = response.json()
        response = editor.post(f"{created['@id']}/@workflow/publish", json={})
        self.assertEqual(response.status_code, 200, response.text)
        anonymous = self.session().get(created["@id"])
        self.assertEqual(anonymous.status_code, 200)
        self.assertEqual(anonymous.json()["title"], "Puis-je payer en plusieurs fois ?")

    def test_category_must_be_one_of_the_faq(self):
        editor = self.session(*EDITOR)
        response = editor.post(
            f"{self.url}/faq",
            json={
                "@type": "FAQQuestion",
                "title": "Q ?",
                "category": "Inconnue",
                "answer": {"data": "<p>R.</p>", "content-type": "text/html"},
            },
        )
        self.assertEqual(response.status_code, 400, response.text)

    def test_citizen_and_anonymous_cannot_add(self):
        citizen = self.session(*AMELIE)
        payload = {
            "@type": "FAQQuestion",
            "title": "Q ?",
            "category": "Mon compte",
            "answer": {"data": "<p>R.</p>", "content-type": "text/html"},
        }
        self.assertIn(
            citizen.post(f"{self.url}/faq", json=payload).status_code, (401, 403)
        )
        self.assertIn(
            self.session().post(f"{self.url}/faq", json=payload).status_code, (401, 403)
        )

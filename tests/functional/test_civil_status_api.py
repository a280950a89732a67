"""Account-less civil-status requests over HTTP: filing with a captcha
through ``POST /@requests``, following through ``GET /@request-status``
(same answer for a wrong number or code, the 11th try on one number refused
even with the right code), bad input, and who sees these requests."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import requests
import unittest


BIRTH = {
    "type_document": "Extrait sans filiation",
    "qualite": "Autre (avocat, notaire, héritier…)",
    "nombre_exemplaires": 2,
    "nom": "Lire",
    "prenoms": "Amélie",
    "date_evenement": "1986-03-14",
    "pays_livraison": "Étranger",
    "destinataire": "Paul Martin",
    "adresse": "Hauptstraße 5",
    "ville": "Kehl",
    "pays": "Allemagne",
}
REQUESTER = {
    "first_name": "Paul",
    "last_name": "Martin",
    "email": "paul.martin@example.org",
}


class TestCivilStatusApi(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.anonymous = rest_session(self.url)

    def captcha(self):
        challenge = self.anonymous.get(f"{self.url}/@registration/captcha").json()
        answer = requests.get(
            f"{self.url}/@@test-captcha-answer", params={"token": challenge["token"]}
        ).text
        return {"token": challenge["token"], "answer": answer}

    def post(self, answers=None, **extra):
        body = {
            "service": "acte-de-naissance",
            "answers": answers or BIRTH,
            "requester": REQUESTER,
            "captcha": self.captcha(),
        }
        body.update(extra)
        return self.anonymous.post(f"{self.url}/@requests", json=body)

    def status(self, number, code, session=None):
        return (session or self.anonymous).get(
            f"{self.url}/@request-status", params={"number": number, "code": code}
        )

    def count(self):
        admin = rest_session(self.url)
        admin.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        response = admin.get(
            f"{self.url}/@search", params={"portal_type": "Request", "b_size": 1}
        )
        return response.json()["items_total"]

    def test_file_and_follow(self):
        response = self.post()
        self.assertEqual(response.status_code, 201, response.text)
        data = response.json()
        self.assertRegex(data["number"], r"^\d{4}-\d{6}$")
        self.assertRegex(data["tracking_code"], r"^[A-Z2-9]{8}$")
        self.assertNotIn("@id", data)  # the requester cannot open the request itself
        status = self.status(data["number"], data["tracking_code"])
        self.assertEqual(status.status_code, 200, status.text)
        self.assertEqual(status.json()["review_state"], "submitted")
        self.assertEqual(status.json()["history"][0]["action"], "submitted")
        self.assertNotIn("actor", status.json()["history"][0])

        # only the agents of the service's group see it
        agent = rest_session(self.url, *AGENT)
        voirie = rest_session(self.url, *VOIRIE)
        found = agent.get(
            f"{self.url}/@search",
            params={"portal_type": "Request", "request_number": data["number"]},
        ).json()
        self.assertEqual(found["items_total"], 1)
        request_url = found["items"][0]["@id"]
        self.assertEqual(agent.get(request_url).status_code, 200)
        for session in (voirie, self.anonymous, rest_session(self.url, *AMELIE)):
            self.assertIn(session.get(request_url).status_code, (401, 403, 404))

        # the agents send it by post; the requester sees it
        for transition in ("mark_complete", "accept", "send"):
            response = agent.post(
                f"{request_url}/@workflow/{transition}", json={"comment": ""}
            )
            self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            self.status(data["number"], data["tracking_code"]).json()["review_state"],
            "sent",
        )

    def test_wrong_number_or_code_and_the_limit(self):
        data = self.post().json()
        number, code = data["number"], data["tracking_code"]
        wrong_code = self.status(number, "AAAAAAAA")
        wrong_number = self.status("2026-999999", code)
        self.assertEqual(wrong_code.status_code, 404)
        self.assertEqual(wrong_code.json(), wrong_number.json())
        # 10 wrong tries for this number in all (the wrong number above
        # counts for its own number, not for this one)
        for _attempt in range(9):
            self.assertEqual(self.status(number, "BBBBBBBB").status_code, 404)
        response = self.status(number, code)
        self.assertEqual(response.status_code, 429, response.text)
        self.assertIn("une heure", response.json()["error"]["message"])

    def test_bad_input_stores_nothing(self):
        before = self.count()
        cases = (
            (dict(BIRTH, date_evenement="2999-01-01"), {}, "date_evenement"),
            (dict(BIRTH, nombre_exemplaires=6), {}, "nombre_exemplaires"),
            ({k: v for k, v in BIRTH.items() if k != "pays"}, {}, "pays"),
            (BIRTH, {"captcha": None}, "captcha_answer"),
            (BIRTH, {"requester": {"first_name": "Paul"}}, "requester.email"),
        )
        for answers, extra, field in cases:
            with self.subTest(field):
                response = self.post(answers, **extra)
                self.assertEqual(response.status_code, 400, response.text)
                fields = {
                    e["field"]: e["message"] for e in response.json()["error"]["errors"]
                }
                self.assertIn(field, fields)
                self.assertTrue(fields[field])
        self.assertEqual(self.count(), before)

    def test_an_account_service_still_needs_an_account(self):
        response = self.anonymous.post(
            f"{self.url}/@requests",
            json={"service": "signalement-voie-publique", "answers": {}},
        )
        self.assertEqual(response.status_code, 401)

"""``<request>/@corrections`` over HTTP (#17): the agent asks (POST), the
citizen reads the open ask (GET) and sends the correction (PATCH). Bad
input answers 400 with French field errors and nothing is stored; another
household, an agent of another group and anonymous visitors get 401, 403
or 404; writes need a JSON body."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.corrections import VACCINS
from illkirch.eservices.testing.corrections import FiledOverHTTP
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.files import HTML
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import upload
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import unittest


REFUSED = (401, 403, 404)
SECRETS = ("Léo", "École élémentaire Sud", "assurance.pdf", "2027-09-01", "Merci")
MESSAGE = "Merci de corriger la date et de joindre la page 2 du carnet."
CORRECT_ERRORS = "Veuillez corriger les erreurs."


class TestCorrectionsAPI(FiledOverHTTP, unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        super().setUp()
        self.corrections = f"{self.request_url}/@corrections"
        self.admin = rest_session(self.url)
        self.admin.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        self.addCleanup(self.admin.close)

    def ask(self, **overrides):
        body = {"fields": ["date_debut"], "documents": [VACCINS], "message": MESSAGE}
        body.update(overrides)
        return self.agent.post(self.corrections, json=body)

    def stored(self):
        data = self.admin.get(self.request_url).json()
        attachments = self.admin.get(f"{self.request_url}/@attachments").json()
        history = self.admin.get(f"{self.request_url}/@history").json()
        return {
            "answers": data["answers"],
            "review_state": data["review_state"],
            "attachments": [(a["id"], a["filename"]) for a in attachments["items"]],
            "history": len(history) if isinstance(history, list) else history,
        }

    def assert_invalid(self, response):
        self.assertEqual(response.status_code, 400, response.text)
        error = response.json()["error"]
        self.assertEqual(error["type"], "ValidationError", error)
        self.assertEqual(error["message"], CORRECT_ERRORS)
        return {e["field"]: e["message"] for e in error["errors"]}

    def test_ask_read_correct(self):
        # nothing open yet
        data = self.amelie.get(self.corrections).json()
        self.assertFalse(data["open"])
        self.assertEqual(data["fields"], [])
        # the agent asks
        response = self.ask()
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["status"], "incomplete")
        # the citizen reads what to correct, with the current values
        response = self.amelie.get(self.corrections)
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        self.assertTrue(data["open"])
        self.assertEqual(data["message"], MESSAGE)
        self.assertNotIn("asked_by", data)
        self.assertEqual(
            data["fields"],
            [
                {
                    "name": "date_debut",
                    "label": "À partir du",
                    "type": "date",
                    "required": True,
                    "value": "2027-09-01",
                    "display": "01/09/2027",
                }
            ],
        )
        self.assertEqual(data["documents"][0]["id"], VACCINS)
        self.assertEqual(data["documents"][0]["title"], "Carnet de vaccination")
        self.assertEqual(
            [f["filename"] for f in data["documents"][0]["files"]], ["vaccins.png"]
        )
        self.assertEqual(
            self.agent.get(self.corrections).json()["asked_by"], "agent.accueil"
        )
        # she corrects
        response = self.amelie.patch(
            self.corrections,
            json={
                "answers": {"date_debut": "2027-09-15"},
                "documents": [upload(VACCINS, "carnet-p2.pdf", pdf())],
                "comment": "Voici.",
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        self.assertEqual(data["status"], "submitted")
        self.assertEqual(data["status_title"], "En cours")
        answers = {a["name"]: a for a in data["answers"]}
        self.assertEqual(answers["date_debut"]["display"], "15/09/2027")
        self.assertFalse(self.agent.get(self.corrections).json()["open"])
        stored = self.stored()
        self.assertIn("carnet-p2.pdf", [f for _i, f in stored["attachments"]])
        self.assertNotIn("vaccins.png", [f for _i, f in stored["attachments"]])

    def test_bad_input_french_errors_nothing_stored(self):
        # the agent's ask
        response = self.ask(fields=["inconnu"], documents="x", message="")
        errors = self.assert_invalid(response)
        self.assertEqual(
            errors,
            {
                "fields": "Cette demande n'a pas de question « inconnu ».",
                "documents": "Donnez une liste de noms.",
                "message": "Précisez les pièces ou informations qui manquent : "
                "votre message est envoyé à l'usager.",
            },
        )
        self.assertFalse(self.agent.get(self.corrections).json()["open"])
        self.assertEqual(self.stored()["review_state"], "submitted")
        # the citizen's correction
        self.assertEqual(self.ask().status_code, 200)
        before = self.stored()
        for body, fields in (
            (
                {
                    "answers": {"date_debut": "demain", "classe": "CM2"},
                    "documents": [upload(VACCINS, "page.html", HTML)],
                },
                {"date_debut", "classe", f"document-{VACCINS}"},
            ),
            ({"answers": ["date_debut"]}, {"answers"}),
            (
                {"answers": {"date_debut": "2027-09-15"}, "documents": "x"},
                {"documents"},
            ),
            (
                {
                    "answers": {"date_debut": "2027-09-15"},
                    "documents": [
                        {"document": VACCINS, "filename": "a.pdf", "data": "@@"}
                    ],
                },
                {f"document-{VACCINS}"},
            ),
            ({"answers": {"date_debut": "2027-09-15"}}, {f"document-{VACCINS}"}),
        ):
            errors = self.assert_invalid(self.amelie.patch(self.corrections, json=body))
            self.assertEqual(set(errors), fields, body)
        errors = self.assert_invalid(
            self.amelie.patch(
                self.corrections,
                json={
                    "answers": {"date_debut": "demain", "classe": "CM2"},
                    "documents": [upload(VACCINS, "p.pdf", pdf())],
                },
            )
        )
        self.assertEqual(
            errors,
            {
                "date_debut": "Saisissez une date au format JJ/MM/AAAA.",
                "classe": "Cette réponse n'était pas à corriger : elle ne peut "
                "pas être modifiée.",
            },
        )
        self.assertEqual(self.stored(), before)

    def test_json_required(self):
        self.assertEqual(self.ask().status_code, 200)
        before = self.stored()
        response = self.amelie.patch(
            self.corrections,
            data="answers=x",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        self.assertEqual(response.status_code, 415, response.text)
        response = self.agent.post(
            self.corrections, data="[]", headers={"Content-Type": "application/json"}
        )
        self.assertEqual(response.status_code, 400, response.text)
        self.assertEqual(self.stored(), before)

    def test_roles(self):
        # the citizen does not ask, the agent does not correct
        response = self.amelie.post(
            self.corrections, json={"fields": [], "documents": [], "message": "x"}
        )
        self.assertEqual(response.status_code, 403, response.text)
        self.assertEqual(self.stored()["review_state"], "submitted")
        self.assertEqual(self.ask().status_code, 200)
        before = self.stored()
        response = self.agent.patch(
            self.corrections, json={"answers": {"date_debut": "2027-09-15"}}
        )
        self.assertEqual(response.status_code, 403, response.text)
        self.assertEqual(self.stored(), before)
        # a second ask while the request is incomplete: refused in French
        response = self.ask()
        self.assertEqual(response.status_code, 400, response.text)
        self.assertIn("statut", response.json()["error"]["message"])

    def test_others_get_nothing(self):
        self.assertEqual(self.ask().status_code, 200)
        before = self.stored()
        for who, session in (
            ("jérôme", self.session(JEROME)),
            ("anonymous", self.session()),
            ("agent.voirie", self.session(VOIRIE)),
        ):
            for method, body in (
                ("GET", None),
                ("POST", {"fields": ["classe"], "documents": [], "message": "x"}),
                (
                    "PATCH",
                    {
                        "answers": {"date_debut": "2027-09-15"},
                        "documents": [upload(VACCINS, "x.pdf", pdf())],
                    },
                ),
            ):
                response = session.request(method, self.corrections, json=body)
                what = f"{who}: {method}"
                self.assertIn(response.status_code, REFUSED, f"{what}: {response.text}")
                for secret in SECRETS:
                    self.assertNotIn(secret, response.text, what)
            # nor the correction page
            response = session.post(
                f"{self.request_url}/@@corriger",
                data={"a.date_debut": "2027-09-15"},
                headers={"Accept": "text/html"},
                allow_redirects=False,
            )
            self.assertIn(response.status_code, (302, *REFUSED), who)
            self.assertNotIn("2027-09-01", response.text, who)
        self.assertEqual(self.stored(), before)

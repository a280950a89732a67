"""``GET /@dashboard`` over HTTP: what « Mon espace → Accueil » shows, for
the logged-in citizen's own household only; anonymous visitors get 401, a
user without household the French error of ``@household``. The page
``@@mon-espace`` says so plainly when nothing is to do."""

from illkirch.eservices.accounts import household_input
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts import validation
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.requests import periscolaire_filing
from illkirch.eservices.testing.sessions import rest_session
from plone import api
from zope.i18n import translate

import requests
import transaction
import unittest


QUESTION = "Merci de joindre le carnet de vaccination à jour."


class TestDashboardAPI(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        amelie = households.household_of("amelie.lire")
        self.child_id = next(
            p.getId() for p in amelie.persons() if p.member_type == "child"
        )
        self.sessions = {}

    def session(self, account):
        if account not in self.sessions:
            self.sessions[account] = rest_session(self.url, *account)
            self.addCleanup(self.sessions[account].close)
        return self.sessions[account]

    def dashboard(self, account):
        response = self.session(account).get(f"{self.url}/@dashboard")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Cache-Control"], "private, no-store")
        return response.json()

    def file(self, account, body):
        response = self.session(account).post(f"{self.url}/@requests", json=body)
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()

    def test_anonymous_gets_401(self):
        response = requests.get(
            f"{self.url}/@dashboard", headers={"Accept": "application/json"}
        )
        self.assertEqual(response.status_code, 401)
        self.assertNotIn("V-2026-0412", response.text)

    def test_user_without_household_gets_the_french_error(self):
        response = self.session(AGENT).get(f"{self.url}/@dashboard")
        self.assertEqual(response.status_code, 404, response.text)
        error = response.json()["error"]
        self.assertEqual(error["type"], "NotFound")
        self.assertEqual(
            error["message"],
            translate(household_input.NO_HOUSEHOLD, target_language="fr"),
        )

    def test_page_of_a_user_without_household(self):
        page = self.session(AGENT).get(
            f"{self.url}/@@mon-espace", headers={"Accept": "text/html"}
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("Ce compte n'a pas de foyer", page.text.replace("&#39;", "'"))
        self.assertNotIn('id="a-faire"', page.text)

    def test_validated_household(self):
        data = self.dashboard(AMELIE)
        self.assertEqual(data["@id"], f"{self.url}/@dashboard")
        todo = data["todo"]
        self.assertFalse(todo["empty"])
        self.assertIsNone(todo["account"])
        self.assertEqual(todo["requests"], [])
        bills = todo["invoices"]
        self.assertEqual(bills["items_total"], 3)
        self.assertEqual(bills["total_cents"], 19800)
        self.assertEqual(bills["total"], "198,00\u00a0€")
        dues = [item["due_date"] for item in bills["items"]]
        self.assertEqual(dues, sorted(dues))
        self.assertEqual(bills["next_due"], dues[0])
        first = bills["items"][0]
        self.assertEqual(first["state"], "unpaid")
        self.assertEqual(first["state_title"], "À payer")
        self.assertIn(first["overdue"], (True, False))
        self.assertTrue(first["@id"].startswith(f"{self.url}/foyers/"))
        latest = data["latest_invoices"]
        self.assertTrue(latest["visible"])
        self.assertIsNone(latest["message"])
        self.assertEqual(latest["items_total"], 3)
        issued = [item["issue_date"] for item in latest["items"]]
        self.assertEqual(issued, sorted(issued, reverse=True))
        # #22: the states read from the catalog are the workflow's
        amelie = households.household_of("amelie.lire")
        for item in bills["items"] + latest["items"]:
            invoice = amelie[item["@id"].rsplit("/", 1)[1]]
            self.assertEqual(item["state"], api.content.get_state(invoice))
        self.assertEqual(data["requests_in_progress"], {"items": [], "items_total": 0})
        services = data["services"]
        self.assertEqual(len(services), 4)
        self.assertTrue(all(s["requests_count"] == 0 for s in services))
        self.assertTrue(services[0]["@id"].startswith(f"{self.url}/@services/"))

    def test_each_household_sees_its_own_only(self):
        amelie_request = self.file(AMELIE, periscolaire_filing(self.child_id))
        asked = self.session(AGENT).post(
            f"{amelie_request['@id']}/@workflow/ask_documents",
            json={"comment": QUESTION},
        )
        self.assertEqual(asked.status_code, 200, asked.text)
        jerome_request = self.file(
            JEROME,
            {
                "service": "signalement-voie-publique",
                "answers": dict(SIGNALEMENT_ANSWERS),
            },
        )

        amelie = self.dashboard(AMELIE)
        (awaiting,) = amelie["todo"]["requests"]
        self.assertEqual(awaiting["number"], amelie_request["number"])
        self.assertEqual(awaiting["review_state"], "incomplete")
        self.assertEqual(awaiting["review_state_title"], "Incomplète")
        self.assertEqual(awaiting["message"], QUESTION)
        self.assertTrue(awaiting["asked"])
        self.assertEqual(
            awaiting["attachments"]["@id"], f"{amelie_request['@id']}/@attachments"
        )
        in_progress = [i["number"] for i in amelie["requests_in_progress"]["items"]]
        self.assertEqual(in_progress, [amelie_request["number"]])
        self.assertEqual(amelie["services"][0]["id"], "inscription-periscolaire")
        self.assertEqual(amelie["services"][0]["requests_count"], 1)

        jerome = self.dashboard(JEROME)
        self.assertEqual(jerome["todo"]["requests"], [])
        in_progress = [i["number"] for i in jerome["requests_in_progress"]["items"]]
        self.assertEqual(in_progress, [jerome_request["number"]])
        self.assertEqual(jerome["services"][0]["id"], "signalement-voie-publique")
        # nothing of the other household, anywhere in the answer
        text = self.session(JEROME).get(f"{self.url}/@dashboard").text
        for marker in (amelie_request["number"], QUESTION, "V-2026-0412", "Léo"):
            self.assertNotIn(marker, text)
        text = self.session(AMELIE).get(f"{self.url}/@dashboard").text
        self.assertNotIn(jerome_request["number"], text)

    def test_pending_account(self):
        data = self.dashboard(JEROME)
        account = data["todo"]["account"]
        self.assertEqual(account["review_state"], "pending")
        self.assertEqual(account["review_state_title"], "En attente de validation")
        self.assertEqual(account["title"], "Votre compte attend sa validation")
        self.assertIn("2 jours ouvrés", account["message"])
        self.assertFalse(data["todo"]["empty"])
        self.assertEqual(data["todo"]["invoices"]["items"], [])
        latest = data["latest_invoices"]
        self.assertFalse(latest["visible"])
        self.assertIn("2 jours ouvrés", latest["message"])


class TestNothingToDo(unittest.TestCase):
    """A validated household without invoice nor request: the page and the
    API say there is nothing to do."""

    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        self.url = portal.absolute_url()
        api.user.create(
            email="lea.martin@example.org",
            username="lea.martin",
            password="Secret-Password-2026",
            properties={"fullname": "Léa Martin"},
        )
        household = households.create_household(
            "lea.martin",
            "Léa Martin",
            {"street": "1 rue du Lac", "postal_code": "67400", "city": "Illkirch"},
        )
        with api.env.adopt_user(username="agent.accueil"):
            validation.validate(household)
        transaction.commit()
        self.session = rest_session(self.url, "lea.martin", "Secret-Password-2026")
        self.addCleanup(self.session.close)

    def test_nothing_to_do(self):
        data = self.session.get(f"{self.url}/@dashboard").json()
        self.assertTrue(data["todo"]["empty"])
        self.assertEqual(data["todo"]["invoices"]["total_cents"], 0)
        self.assertTrue(data["latest_invoices"]["visible"])
        self.assertEqual(data["latest_invoices"]["items"], [])
        page = self.session.get(
            f"{self.url}/@@mon-espace", headers={"Accept": "text/html"}
        )
        self.assertEqual(page.status_code, 200)
        html = page.text
        self.assertIn("Rien à faire pour le moment", html)
        self.assertIn("Aucune facture émise depuis le", html)
        self.assertIn("aucune demande en cours", html)
        self.assertNotIn('id="a-faire-factures"', html)
        self.assertNotIn('id="a-faire-compte"', html)

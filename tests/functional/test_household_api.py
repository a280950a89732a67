"""``/@household`` over HTTP: a citizen's own household through plone.restapi,
authenticated by a JWT, as a Volto or mobile client does."""

from datetime import date
from datetime import timedelta
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.sessions import JSON_HEADERS

import requests
import unittest


CHILD = {
    "member_type": "child",
    "civility": "mme",
    "first_name": "Zoé",
    "last_name": "Lire",
    "birth_date": "2019-05-04",
    "birth_place": "Strasbourg",
    "relationship": "child",
}
LOCKED = "Votre compte attend sa validation"


class TestHouseholdAPI(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.api = f"{self.url}/@household"
        jerome = household_of("jerome.attente")
        self.jerome_path = jerome.absolute_url()
        self.jerome_members = [p.getId() for p in jerome.persons()]

    def session(self, account=None):
        session = requests.Session()
        session.headers.update(JSON_HEADERS)
        if account:
            login, password = account
            response = session.post(
                f"{self.url}/@login", json={"login": login, "password": password}
            )
            self.assertEqual(response.status_code, 200, response.text)
            token = response.json()["token"]
            session.headers["Authorization"] = f"Bearer {token}"
        return session

    def household(self, session):
        response = session.get(self.api)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def names(self, session):
        return sorted(m["first_name"] for m in self.household(session)["members"])

    def assert_invalid(self, response, field):
        self.assertEqual(response.status_code, 400, response.text)
        error = response.json()["error"]
        self.assertEqual(error["type"], "ValidationError")
        self.assertEqual([e["field"] for e in error["errors"]], [field], error)
        self.assertTrue(error["errors"][0]["message"])
        return error["errors"][0]["message"]

    # reading ---------------------------------------------------------------

    def test_citizen_gets_her_household(self):
        data = self.household(self.session(AMELIE))
        self.assertEqual(data["@id"], self.api)
        self.assertEqual(data["street"], "12 rue de la Poste")
        self.assertEqual(data["billing_account"], "ILK-000123")
        self.assertEqual(data["review_state"], "validated")
        self.assertTrue(data["editable"])
        self.assertEqual(
            [m["first_name"] for m in data["members"]], ["Amélie", "Marc", "Léo"]
        )
        leo = data["members"][2]
        self.assertEqual(leo["birth_date"], "2016-09-21")
        self.assertEqual(leo["member_type"], "child")
        # each member's @id leads to it
        response = self.session(AMELIE).get(leo["@id"])
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["first_name"], "Léo")
        self.assertTrue(leo["@id"].startswith(f"{self.api}/members/"))

    def test_anonymous_gets_401(self):
        anonymous = self.session()
        self.assertEqual(anonymous.get(self.api).status_code, 401)
        self.assertEqual(anonymous.get(f"{self.api}/export").status_code, 401)
        self.assertEqual(anonymous.patch(self.api, json={"city": "X"}).status_code, 401)
        self.assertEqual(
            anonymous.post(f"{self.api}/members", json=CHILD).status_code, 401
        )

    def test_staff_without_household_gets_404(self):
        response = self.session(AGENT).get(self.api)
        self.assertEqual(response.status_code, 404, response.text)
        self.assertIn("n'a pas de foyer", response.json()["error"]["message"])

    # changing ----------------------------------------------------------------

    def test_patch_contact_preference(self):
        amelie = self.session(AMELIE)
        response = amelie.patch(self.api, json={"contact_preference": "phone"})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["contact_preference"], "phone")
        data = self.household(amelie)
        self.assertEqual(data["contact_preference"], "phone")
        self.assertEqual(data["street"], "12 rue de la Poste")  # the rest kept
        history = amelie.get(f"{self.api}/export").json()["history"]
        self.assertEqual(history[0]["action"], "household_updated")
        self.assertEqual(history[0]["details"], "contact_preference")

    def test_phone_is_stored_in_the_french_format(self):
        amelie = self.session(AMELIE)
        response = amelie.patch(self.api, json={"phone": "+33388668000"})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.household(amelie)["phone"], "03 88 66 80 00")

    def test_post_a_child_then_change_and_remove_it(self):
        amelie = self.session(AMELIE)
        response = amelie.post(f"{self.api}/members", json=CHILD)
        self.assertEqual(response.status_code, 201, response.text)
        child = response.json()
        self.assertEqual(response.headers["Location"], child["@id"])
        self.assertEqual(child["first_name"], "Zoé")
        self.assertEqual(child["birth_date"], "2019-05-04")
        self.assertEqual(self.names(amelie), ["Amélie", "Léo", "Marc", "Zoé"])

        response = amelie.patch(child["@id"], json={"birth_place": "Colmar"})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(amelie.get(child["@id"]).json()["birth_place"], "Colmar")

        response = amelie.delete(child["@id"])
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(amelie.get(child["@id"]).status_code, 404)
        self.assertEqual(self.names(amelie), ["Amélie", "Léo", "Marc"])

    def test_post_needs_no_csrf_token_but_json(self):
        amelie = self.session(AMELIE)
        # what a page of another site could send without asking (no CORS
        # preflight): a text/plain body, even with a JSON Accept header
        response = amelie.post(
            f"{self.api}/members",
            data=b'{"first_name": "Zo\\u00e9"}',
            headers={"Content-Type": "text/plain"},
        )
        self.assertEqual(response.status_code, 415, response.text)
        self.assertEqual(self.names(amelie), ["Amélie", "Léo", "Marc"])

    def test_child_born_before_its_parents(self):
        amelie = self.session(AMELIE)
        response = amelie.post(
            f"{self.api}/members", json=dict(CHILD, birth_date="1980-01-01")
        )
        message = self.assert_invalid(response, "birth_date")
        self.assertIn("né avant les adultes", message)
        self.assertEqual(self.names(amelie), ["Amélie", "Léo", "Marc"])

    def test_adult_only_fields_refused_for_a_child(self):
        amelie = self.session(AMELIE)
        response = amelie.post(
            f"{self.api}/members", json=dict(CHILD, email="zoe@example.org")
        )
        message = self.assert_invalid(response, "email")
        self.assertIn("ne concernent que les adultes", message)
        # nor given to a child later
        leo = self.household(amelie)["members"][2]
        response = amelie.patch(leo["@id"], json={"phone": "06 11 22 33 44"})
        self.assert_invalid(response, "phone")
        self.assertIsNone(amelie.get(leo["@id"]).json()["phone"])

    def test_invalid_household_fields_store_nothing(self):
        amelie = self.session(AMELIE)
        before = self.household(amelie)
        for payload, field, text in (
            ({"postal_code": "ABCDE"}, "postal_code", "code postal français"),
            ({"postal_code": 67400}, "postal_code", "pas valide"),
            ({"phone": "12345"}, "phone", "numéro de téléphone français"),
            ({"mobile": "06 12"}, "mobile", "numéro de téléphone français"),
            ({"street": "x" * 10000}, "street", "trop long"),
            ({"street": ""}, "street", "obligatoire"),
            ({"contact_preference": "pigeon"}, "contact_preference", "liste"),
            ({"contact_preference": "phone", "mobile": None}, "mobile", "téléphone"),
            ({"holder_id": "jerome.attente"}, "holder_id", "n'existe pas"),
            ({"colour": "blue"}, "colour", "n'existe pas"),
        ):
            with self.subTest(payload=str(payload)[:60]):
                response = amelie.patch(self.api, json=payload)
                self.assertIn(text, self.assert_invalid(response, field))
        # a citizen cannot set the billing account (the town does)
        response = amelie.patch(self.api, json={"billing_account": "ILK-999"})
        self.assertIn(
            "ne peut pas être modifié", self.assert_invalid(response, "billing_account")
        )
        # several changes, one of them wrong: none is stored
        response = amelie.patch(
            self.api, json={"city": "Strasbourg", "postal_code": "6700"}
        )
        self.assert_invalid(response, "postal_code")
        self.assertEqual(self.household(amelie), before)

    def test_invalid_member_fields_store_nothing(self):
        amelie = self.session(AMELIE)
        future = (date.today() + timedelta(days=1)).isoformat()
        for payload, field, text in (
            (dict(CHILD, first_name="Z" * 10000), "first_name", "trop long"),
            (dict(CHILD, last_name="L1re"), "last_name", "lettres"),
            (dict(CHILD, birth_date=future), "birth_date", "dans le futur"),
            # JJ/MM/AAAA and ISO are dates (#13 item 18), not this
            (dict(CHILD, birth_date="04.05.2019"), "birth_date", "date"),
            (dict(CHILD, birth_date=None), "birth_date", "obligatoire"),
            (dict(CHILD, member_type="cat"), "member_type", "liste"),
            (dict(CHILD, relationship="holder"), "relationship", "titulaire"),
            (dict(CHILD, title="Zoé"), "title", "n'existe pas"),
            (
                {k: v for k, v in CHILD.items() if k != "civility"},
                "civility",
                "obligatoire",
            ),
        ):
            with self.subTest(field=field, text=text):
                response = amelie.post(f"{self.api}/members", json=payload)
                self.assertIn(text, self.assert_invalid(response, field))
        adult = dict(
            CHILD,
            member_type="adult",
            relationship="other",
            birth_date="1960-01-01",
            email="not-an-email",
        )
        response = amelie.post(f"{self.api}/members", json=adult)
        self.assertIn("adresse électronique", self.assert_invalid(response, "email"))
        self.assertEqual(self.names(amelie), ["Amélie", "Léo", "Marc"])
        # nor through a change of a member
        marc = self.household(amelie)["members"][1]
        response = amelie.patch(marc["@id"], json={"first_name": "M" * 10000})
        self.assert_invalid(response, "first_name")
        self.assertEqual(amelie.get(marc["@id"]).json()["first_name"], "Marc")

    def test_not_json(self):
        amelie = self.session(AMELIE)
        response = amelie.patch(self.api, data=b"[1, 2]")
        self.assertEqual(response.status_code, 400, response.text)
        response = amelie.patch(self.api, data=b"{not json")
        self.assertEqual(response.status_code, 400, response.text)

    def test_holder_cannot_be_removed(self):
        amelie = self.session(AMELIE)
        holder = self.household(amelie)["members"][0]
        response = amelie.delete(holder["@id"])
        self.assertEqual(response.status_code, 400, response.text)
        self.assertIn(
            "titulaire du compte ne peut pas être retiré",
            response.json()["error"]["message"],
        )
        self.assertEqual(self.names(amelie), ["Amélie", "Léo", "Marc"])

    # a household awaiting validation -------------------------------------------

    def test_pending_household_is_read_only_with_the_reason(self):
        jerome = self.session(JEROME)
        data = self.household(jerome)
        self.assertEqual(data["review_state"], "pending")
        self.assertFalse(data["editable"])
        self.assertIn(LOCKED, data["locked_message"])
        member = data["members"][0]["@id"]
        for response in (
            jerome.patch(self.api, json={"contact_preference": "email"}),
            jerome.post(f"{self.api}/members", json=CHILD),
            jerome.patch(member, json={"birth_place": "Colmar"}),
            jerome.delete(member),
        ):
            self.assertEqual(response.status_code, 403, response.text)
            error = response.json()["error"]
            self.assertIn(LOCKED, error["message"])
            self.assertIn("2 jours ouvrés", error["message"])
        after = self.household(jerome)
        self.assertEqual(after["contact_preference"], "phone")
        self.assertEqual(len(after["members"]), 1)
        self.assertEqual(after["members"][0]["birth_place"], "Mulhouse")

    # isolation between households ---------------------------------------------

    def test_citizen_cannot_reach_another_household(self):
        amelie = self.session(AMELIE)
        for member_id in self.jerome_members:
            url = f"{self.api}/members/{member_id}"
            self.assertEqual(amelie.get(url).status_code, 404)
            self.assertEqual(
                amelie.patch(url, json={"birth_place": "X"}).status_code, 404
            )
            self.assertEqual(amelie.delete(url).status_code, 404)
            # nor through the content URLs
            response = amelie.get(f"{self.jerome_path}/{member_id}")
            self.assertIn(response.status_code, (401, 403, 404), response.text)
        response = amelie.get(self.jerome_path)
        self.assertIn(response.status_code, (401, 403, 404), response.text)
        response = amelie.patch(self.jerome_path, json={"city": "Strasbourg"})
        self.assertIn(response.status_code, (401, 403, 404), response.text)
        # nor by naming something else after /@household
        for path in (
            "foyers",
            f"foyers/{self.jerome_path.rsplit('/', 1)[1]}",
            f"members/{self.jerome_members[0]}/x",
            "export/x",
        ):
            self.assertEqual(amelie.get(f"{self.api}/{path}").status_code, 404, path)
        jerome = self.session(JEROME).get(self.api).json()
        self.assertEqual(jerome["members"][0]["birth_place"], "Mulhouse")

    def test_export(self):
        amelie = self.session(AMELIE)
        response = amelie.get(f"{self.api}/export")
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        self.assertEqual(
            data["account"],
            {
                "identifier": "amélie.lire",
                "userid": "amelie.lire",
                "email": "amelie.lire@example.org",
                "fullname": "Amélie Lire",
            },
        )
        self.assertEqual(
            [m["first_name"] for m in data["members"]], ["Amélie", "Marc", "Léo"]
        )
        self.assertEqual(data["household"]["billing_account"], "ILK-000123")
        self.assertEqual(data["state"]["id"], "validated")
        self.assertEqual(
            [e["review_state"] for e in data["state"]["history"]],
            ["validated", "pending"],
        )
        self.assertEqual(data["history"][-1]["action"], "household_created")
        text = response.text
        for member_id in self.jerome_members:
            self.assertNotIn(member_id, text)
        self.assertNotIn("Attente", text)
        self.assertNotIn("agent.accueil", text)

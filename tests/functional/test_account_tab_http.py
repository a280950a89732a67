"""The « Compte » tab and its forms over HTTP: what each citizen sees, CSRF
protection, isolation between households, the download of one's data."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.sessions import ACCEPT_JSON

import json
import re
import requests
import unittest


EDIT_VIEWS = ("modifier-foyer", "ajouter-membre", "modifier-membre", "retirer-membre")
TOKEN = re.compile(r'name="_authenticator" value="([0-9a-f]+)"')


class TestAccountTab(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.amelie = household_of("amelie.lire")
        self.jerome = household_of("jerome.attente")
        self.amelie_members = {p.first_name: p.getId() for p in self.amelie.persons()}
        self.jerome_holder = self.jerome.holder().getId()

    def session(self, account):
        """A browser-like session: logged in by the login form (cookie)."""
        session = requests.Session()
        login, password = account
        response = session.post(
            f"{self.url}/login",
            data={
                "__ac_name": login,
                "__ac_password": password,
                "buttons.login": "Se connecter",
                "form.widgets.came_from": "",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("__ac", session.cookies)
        return session

    def page(self, session, view, **params):
        response = session.get(
            f"{self.url}/@@{view}", params=params, allow_redirects=False
        )
        self.assertEqual(response.status_code, 200, f"{view}: {response.status_code}")
        return response.text

    def household(self, session):
        response = session.get(f"{self.url}/@household", headers=ACCEPT_JSON)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def post(self, session, view, data, token=True):
        """POST a form, with the page's CSRF token unless ``token`` is False."""
        if token:
            html = self.page(session, view, membre=data.get("membre"))
            data = dict(data, _authenticator=TOKEN.search(html).group(1))
        return session.post(f"{self.url}/@@{view}", data=data, allow_redirects=False)

    # what each citizen sees ------------------------------------------------------

    def test_validated_household_shows_data_and_edit_links(self):
        html = self.page(self.session(AMELIE), "mon-espace-compte")
        for text in (
            "12 rue de la Poste",
            "67400 Illkirch-Graffenstaden",
            "ILK-000123",
            "Par courriel",
            "06 12 34 56 78",
            "Amélie Lire",
            "14/03/1986",
            "Strasbourg",
            "Titulaire du compte",
            "amelie.lire@example.org",
            "Léo Lire",
            "21/09/2016",
            "Création du compte",
        ):
            self.assertIn(text, html)
        self.assertIn("non renseigné", html)  # her fixed-line phone
        # adults first, then children
        self.assertLess(html.index("Marc Lire"), html.index("Léo Lire"))
        self.assertLess(html.index('id="adults"'), html.index('id="children"'))
        self.assertIn(f'href="{self.url}/@@modifier-foyer"', html)
        self.assertIn(f'href="{self.url}/@@ajouter-membre"', html)
        for member_id in self.amelie_members.values():
            self.assertIn(f"@@modifier-membre?membre={member_id}", html)
        # every member but the account holder may be removed
        self.assertNotIn(
            f"@@retirer-membre?membre={self.amelie_members['Amélie']}", html
        )
        self.assertIn(f"@@retirer-membre?membre={self.amelie_members['Léo']}", html)
        self.assertIn(f'href="{self.url}/@@mes-donnees.json"', html)
        self.assertNotIn("attend sa validation", html)

    def test_pending_household_is_locked_with_the_reason(self):
        jerome = self.session(JEROME)
        html = self.page(jerome, "mon-espace-compte")
        self.assertIn("Votre compte attend sa validation", html)
        self.assertIn("en général sous 2 jours ouvrés", html)
        self.assertIn("un courriel vous avertira", html)
        self.assertIn("vous pouvez déjà déposer des démarches en ligne", html)
        self.assertIn(f'href="{self.url}/@@mon-espace-services"', html)
        self.assertIn("Jérôme Attente", html)
        self.assertIn("En attente de validation", html)
        for view in EDIT_VIEWS:
            self.assertNotIn(f"@@{view}", html)
        # the forms themselves show the reason and no form
        for view in EDIT_VIEWS:
            html = self.page(jerome, view, membre=self.jerome_holder)
            self.assertIn("Votre compte attend sa validation", html, view)
            self.assertNotIn('name="_authenticator"', html, view)

    def test_pending_household_refuses_a_post_even_with_a_token(self):
        jerome = self.session(JEROME)
        html = self.page(jerome, "mon-espace-compte")
        token = re.search(r'data-token="([0-9a-f]+)"', html).group(1)
        response = jerome.post(
            f"{self.url}/@@modifier-foyer",
            data={
                "_authenticator": token,
                "street": "1 rue Neuve",
                "postal_code": "67400",
                "city": "Illkirch-Graffenstaden",
                "contact_preference": "email",
            },
        )
        self.assertIn(response.status_code, (200, 403))
        self.assertEqual(self.household(jerome)["street"], "3 allée des Tilleuls")

    def test_rejected_household_says_whom_to_contact(self):
        from plone import api

        import transaction

        with api.env.adopt_user(username="agent.accueil"):
            api.content.transition(
                obj=self.jerome,
                transition="reject",
                comment="Justificatif de domicile illisible.",
            )
        transaction.commit()
        html = self.page(self.session(JEROME), "mon-espace-compte")
        self.assertIn("Votre compte a été refusé", html)
        self.assertIn("Pour en connaître la raison, écrivez à", html)
        self.assertIn('href="mailto:accueil@illkirch.example"', html)
        self.assertNotIn("@@modifier-foyer", html)
        # the history tells it, in French, with the town's reason
        self.assertIn("Refus du compte par la mairie", html)
        self.assertIn("Justificatif de domicile illisible.", html)
        self.assertNotIn("agent.accueil", html)

    def test_staff_without_household(self):
        html = self.page(self.session(AGENT), "mon-espace-compte")
        self.assertIn("Ce compte n'a pas de foyer", html)
        # the layout of « Mon espace », the « Compte » tab current
        self.assertIn("<title>Compte — ", html)
        self.assertIn("Bienvenue, Claire Guichet (agent).", html)
        self.assertIn('aria-current="page">Compte</a>', html)
        self.assertEqual(html.count("aria-current="), 1)
        html = self.page(self.session(AGENT), "modifier-foyer")
        self.assertNotIn('name="street"', html)

    # forms -----------------------------------------------------------------------

    def test_form_with_token_changes_the_household(self):
        amelie = self.session(AMELIE)
        response = self.post(
            amelie,
            "modifier-foyer",
            {
                "street": "12 rue de la Poste",
                "postal_code": "67400",
                "city": "Illkirch-Graffenstaden",
                "contact_preference": "phone",
                "mobile": "0612345678",
            },
        )
        self.assertEqual(response.status_code, 302, response.text)
        self.assertEqual(
            response.headers["Location"], f"{self.url}/@@mon-espace-compte"
        )
        html = self.page(amelie, "mon-espace-compte")
        self.assertIn("Votre foyer a été mis à jour.", html)
        self.assertIn("Par téléphone", html)
        self.assertIn("Modification du foyer", html)
        self.assertEqual(self.household(amelie)["contact_preference"], "phone")

    def test_form_errors_are_shown_next_to_the_fields(self):
        amelie = self.session(AMELIE)
        response = self.post(
            amelie,
            "modifier-foyer",
            {
                "street": "12 rue de la Poste",
                "postal_code": "ABCDE",
                "city": "",
                "contact_preference": "email",
                "mobile": "06 12 34 56 78",
            },
        )
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn('id="field-postal_code-error"', html)
        self.assertIn("Saisissez un code postal français à 5 chiffres", html)
        self.assertRegex(html, r'<input[^>]*name="postal_code"[^>]*value="ABCDE"')
        self.assertRegex(
            html,
            r'<input[^>]*name="postal_code"[^>]*'
            r'aria-describedby="field-postal_code-error"',
        )
        self.assertIn('id="field-city-error"', html)
        self.assertIn('href="#field-postal_code"', html)  # the error summary
        self.assertEqual(self.household(amelie)["postal_code"], "67400")

    def test_child_with_an_email_is_refused_next_to_the_field(self):
        amelie = self.session(AMELIE)
        response = self.post(
            amelie,
            "ajouter-membre",
            {
                "member_type": "child",
                "relationship": "child",
                "civility": "mme",
                "first_name": "Zoé",
                "last_name": "Lire",
                "birth_date": "2019-05-04",
                "email": "zoe@example.org",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="field-email-error"', response.text)
        self.assertIn("ne concernent que les adultes", response.text)
        self.assertEqual(len(self.household(amelie)["members"]), 3)

    def test_member_forms_with_token(self):
        amelie = self.session(AMELIE)
        leo = self.amelie_members["Léo"]
        response = self.post(
            amelie,
            "modifier-membre",
            {
                "member_type": "child",
                "relationship": "child",
                "civility": "m",
                "first_name": "Léo",
                "last_name": "Lire",
                "birth_date": "2016-09-21",
                "birth_place": "Colmar",
                "membre": leo,
            },
        )
        self.assertEqual(response.status_code, 302, response.text)
        html = self.page(amelie, "mon-espace-compte")
        self.assertIn("Les informations de Léo Lire ont été mises à jour.", html)
        self.assertIn("Modification d'un membre", html)
        html = self.page(amelie, "retirer-membre", membre=leo)
        self.assertIn("Voulez-vous vraiment retirer", html)
        response = self.post(amelie, "retirer-membre", {"membre": leo})
        self.assertEqual(response.status_code, 302, response.text)
        self.assertEqual(
            [m["first_name"] for m in self.household(amelie)["members"]],
            ["Amélie", "Marc"],
        )

    def test_post_without_csrf_token_changes_nothing(self):
        amelie = self.session(AMELIE)
        leo = self.amelie_members["Léo"]
        for view, data in (
            (
                "modifier-foyer",
                {
                    "street": "1 rue Volée",
                    "postal_code": "67400",
                    "city": "Illkirch",
                    "contact_preference": "email",
                },
            ),
            (
                "ajouter-membre",
                {
                    "member_type": "child",
                    "relationship": "child",
                    "civility": "mme",
                    "first_name": "Zoé",
                    "last_name": "Lire",
                    "birth_date": "2019-05-04",
                },
            ),
            (
                "modifier-membre",
                {
                    "member_type": "child",
                    "relationship": "child",
                    "civility": "m",
                    "first_name": "Volé",
                    "last_name": "Lire",
                    "birth_date": "2016-09-21",
                    "membre": leo,
                },
            ),
            ("retirer-membre", {"membre": leo}),
        ):
            for token in ("", "0123456789abcdef"):
                with self.subTest(view=view, token=token):
                    response = self.post(
                        amelie, view, dict(data, _authenticator=token), token=False
                    )
                    self.assertEqual(response.status_code, 403)
        data = self.household(amelie)
        self.assertEqual(data["street"], "12 rue de la Poste")
        self.assertEqual(
            [m["first_name"] for m in data["members"]], ["Amélie", "Marc", "Léo"]
        )

    def test_citizen_cannot_open_the_forms_of_another_household(self):
        amelie = self.session(AMELIE)
        for view in ("modifier-membre", "retirer-membre"):
            response = amelie.get(
                f"{self.url}/@@{view}",
                params={"membre": self.jerome_holder},
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 404, view)
        # a POST naming his member, with her valid token
        html = self.page(amelie, "mon-espace-compte")
        token = re.search(r'data-token="([0-9a-f]+)"', html).group(1)
        response = amelie.post(
            f"{self.url}/@@retirer-membre",
            data={"membre": self.jerome_holder, "_authenticator": token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        # the household's own URLs: Plone's edit forms and the views
        jerome_url = self.jerome.absolute_url()
        for path in (
            "",
            "/edit",
            "/@@edit",
            "/@@modifier-foyer",
            f"/{self.jerome_holder}",
            f"/{self.jerome_holder}/edit",
        ):
            response = amelie.get(f"{jerome_url}{path}", allow_redirects=False)
            status = response.status_code
            if status == 302:  # Plone's challenge: the login form
                self.assertIn("require_login", response.headers["Location"], path)
            else:
                self.assertIn(status, (401, 403, 404), path)
        self.assertEqual(len(self.jerome.persons()), 1)

    # the download of one's data ---------------------------------------------------

    def test_download_my_data(self):
        response = self.session(AMELIE).get(f"{self.url}/@@mes-donnees.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.headers["Content-Type"], "application/json; charset=utf-8"
        )
        self.assertEqual(
            response.headers["Content-Disposition"],
            'attachment; filename="mes-donnees.json"',
        )
        self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
        self.assertIn("no-store", response.headers["Cache-Control"])
        data = json.loads(response.content.decode("utf-8"))
        self.assertEqual(data["account"]["identifier"], "amélie.lire")
        self.assertEqual(data["account"]["email"], "amelie.lire@example.org")
        self.assertEqual(
            [m["first_name"] for m in data["members"]], ["Amélie", "Marc", "Léo"]
        )
        self.assertEqual(data["household"]["street"], "12 rue de la Poste")
        self.assertEqual(data["state"]["id"], "validated")
        self.assertNotIn("Attente", response.text)
        # the same document as the REST export (but for its time)
        rest = (
            self.session(AMELIE)
            .get(f"{self.url}/@household/export", headers=ACCEPT_JSON)
            .json()
        )
        del data["exported_at"], rest["exported_at"]
        self.assertEqual(data, rest)

    def test_download_is_for_logged_in_users(self):
        response = requests.get(f"{self.url}/@@mes-donnees.json", allow_redirects=False)
        self.assertEqual(response.status_code, 302)
        self.assertIn("require_login", response.headers["Location"])
        response = self.session(AGENT).get(
            f"{self.url}/@@mes-donnees.json", allow_redirects=False
        )
        self.assertEqual(response.status_code, 404)

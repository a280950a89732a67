"""« Choisir un mot de passe » for an account made through FranceConnect
(#20), over HTTP against the served site: the page (a session opened through
the local provider) and ``POST /@account-password`` (a JWT) ask no current
password while the account has none, with the usual rules and French errors
and the form token (CSRF) still checked; afterwards the identifier and that
password log in (Plone's login form, ``@login``), the current password is
required again, FranceConnect may be unlinked. An account with a password
still needs its current one (page and REST)."""

from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.testing import FRANCECONNECT_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.franceconnect import ANGELA_CLAIMS
from illkirch.eservices.testing.franceconnect import COMPLETION
from illkirch.eservices.testing.franceconnect import franceconnect_session
from illkirch.eservices.testing.sessions import JSON_HEADERS
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session

import lxml.html
import re
import requests
import transaction
import unittest


NEW = "Autre-Secret-2026"
ANGELA = "angela.dubois"


def authenticator(html):
    return re.search(r'name="_authenticator" value="([^"]+)"', html).group(1)


class TestChoosePassword(unittest.TestCase):
    layer = FRANCECONNECT_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.sink = self.layer["mailsink"]

    def has_password(self, userid=ANGELA):
        transaction.begin()
        return franceconnect.has_password(userid)

    def can_login(self, login, password):
        return (
            requests.post(
                f"{self.url}/@login",
                headers=JSON_HEADERS,
                json={"login": login, "password": password},
            ).status_code
            == 200
        )

    def form_fields(self, html):
        page = lxml.html.fromstring(html)
        return {
            field.get("name"): field.get("autocomplete")
            for field in page.xpath("//form[@method='post']//input[@type='password']")
        }

    # the page ----------------------------------------------------------------

    def test_page_for_a_passwordless_account(self):
        session = franceconnect_session(self.url, "angela")
        self.assertFalse(self.has_password())
        tab = session.get(f"{self.url}/@@mon-espace-compte")
        self.assertIn("Choisir un mot de passe", tab.text)
        self.assertNotIn("Modifier mon mot de passe", tab.text)

        page = session.get(f"{self.url}/@@changer-mot-de-passe")
        self.assertEqual(page.status_code, 200)
        self.assertIn("<h1", page.text)
        self.assertIn("Choisir un mot de passe", page.text)
        self.assertIn("créé avec FranceConnect", page.text)
        self.assertIn(ANGELA, page.text)
        self.assertEqual(
            self.form_fields(page.text),
            {"password": "new-password", "password_confirm": "new-password"},
        )
        token = authenticator(page.text)

        # no form token: refused, nothing changed (cross-site request forgery)
        forged = session.post(
            f"{self.url}/@@changer-mot-de-passe",
            data={"password": NEW, "password_confirm": NEW},
            allow_redirects=False,
        )
        self.assertEqual(forged.status_code, 403)
        self.assertFalse(self.has_password())
        self.assertFalse(self.can_login(ANGELA, NEW))

        # the usual rules, in French, on the page (error summary and fields)
        weak = session.post(
            f"{self.url}/@@changer-mot-de-passe",
            data={
                "_authenticator": token,
                "password": "abc",
                "password_confirm": "abc",
            },
        )
        self.assertEqual(weak.status_code, 200)
        self.assertIn("au moins 12 caractères", weak.text)
        self.assertIn("field-password-error", weak.text)
        self.assertIn("Choisir un mot de passe", weak.text)
        differ = session.post(
            f"{self.url}/@@changer-mot-de-passe",
            data={
                "_authenticator": token,
                "password": NEW,
                "password_confirm": NEW + "x",
            },
        )
        self.assertIn("Les deux mots de passe sont différents.", differ.text)
        personal = session.post(
            f"{self.url}/@@changer-mot-de-passe",
            data={
                "_authenticator": token,
                "password": "Dubois-Angela-1962",
                "password_confirm": "Dubois-Angela-1962",
            },
        )
        self.assertIn("ne doit contenir ni votre nom", personal.text)
        self.assertFalse(self.has_password())

        chosen = session.post(
            f"{self.url}/@@changer-mot-de-passe",
            data={"_authenticator": token, "password": NEW, "password_confirm": NEW},
        )
        self.assertIn("@@mon-espace-compte", chosen.url)
        self.assertIn("Votre mot de passe est enregistré", chosen.text)
        self.assertIn("Modifier mon mot de passe", chosen.text)
        self.assertIn("Délier FranceConnect", chosen.text)
        self.assertTrue(self.has_password())
        self.assertEqual(self.sink.messages()[-1]["To"], ANGELA_CLAIMS["email"])
        self.assertIn("modifié", self.sink.messages()[-1]["Subject"])

        # Plone's login form with the identifier and the chosen password
        cookie_session(self.url, ANGELA, NEW)

        # from now on « Modifier mon mot de passe », the current one required
        page = session.get(f"{self.url}/@@changer-mot-de-passe")
        self.assertIn("Modifier mon mot de passe", page.text)
        self.assertEqual(
            self.form_fields(page.text),
            {
                "current_password": "current-password",
                "password": "new-password",
                "password_confirm": "new-password",
            },
        )
        without = session.post(
            f"{self.url}/@@changer-mot-de-passe",
            data={
                "_authenticator": authenticator(page.text),
                "password": "Encore-Autre-2027",
                "password_confirm": "Encore-Autre-2027",
            },
        )
        self.assertIn("n'est pas votre mot de passe actuel", without.text)
        self.assertTrue(self.can_login(ANGELA, NEW))

        # and FranceConnect may be unlinked
        tab = session.get(f"{self.url}/@@mon-espace-compte")
        unlinked = session.post(
            f"{self.url}/@@delier-franceconnect",
            data={"_authenticator": authenticator(tab.text)},
        )
        self.assertIn("FranceConnect n'est plus lié à votre compte", unlinked.text)
        transaction.begin()
        self.assertIsNone(franceconnect.linked_sub(ANGELA))

    def test_page_of_a_password_account_needs_the_current_one(self):
        session = cookie_session(self.url, "amelie.lire", PASSWORDS["amelie.lire"])
        tab = session.get(f"{self.url}/@@mon-espace-compte")
        self.assertIn("Modifier mon mot de passe", tab.text)
        self.assertNotIn("Choisir un mot de passe", tab.text)
        page = session.get(f"{self.url}/@@changer-mot-de-passe")
        self.assertNotIn("créé avec FranceConnect", page.text)
        self.assertIn("current_password", self.form_fields(page.text))
        refused = session.post(
            f"{self.url}/@@changer-mot-de-passe",
            data={
                "_authenticator": authenticator(page.text),
                "password": NEW,
                "password_confirm": NEW,
            },
        )
        self.assertIn("n'est pas votre mot de passe actuel", refused.text)
        self.assertFalse(self.can_login("amelie.lire", NEW))
        self.assertTrue(self.can_login("amelie.lire", PASSWORDS["amelie.lire"]))

    # REST --------------------------------------------------------------------

    def passwordless_jwt(self):
        """An account made by ``register_identity`` (the completion's domain
        call) and a JWT of it, as ``@franceconnect-completion`` gives."""
        identity = franceconnect.identity_from_claims(
            {"sub": "choose-password-rest-sub", **ANGELA_CLAIMS}
        )
        userid = franceconnect.register_identity(identity, COMPLETION)
        token = self.portal.acl_users.jwt_auth.create_token(userid)
        transaction.commit()
        session = rest_session(self.url)
        session.headers["Authorization"] = f"Bearer {token}"
        return userid, session

    def test_rest_choose_then_change(self):
        userid, session = self.passwordless_jwt()
        self.assertEqual(userid, ANGELA)
        own = session.get(f"{self.url}/@household")
        self.assertEqual(own.status_code, 200, own.text)
        self.assertIs(own.json()["has_password"], False)

        weak = session.post(
            f"{self.url}/@account-password",
            json={"password": "abc", "password_confirm": "abc"},
        )
        self.assertEqual(weak.status_code, 400)
        errors = weak.json()["error"]["errors"]
        self.assertEqual(errors[0]["field"], "password")
        self.assertIn("au moins 12 caractères", errors[0]["message"])
        differ = session.post(
            f"{self.url}/@account-password",
            json={"password": NEW, "password_confirm": NEW + "x"},
        )
        self.assertEqual(differ.status_code, 400)
        self.assertEqual(
            differ.json()["error"]["errors"][0]["message"],
            "Les deux mots de passe sont différents.",
        )
        # a form post (not JSON) is refused (415), nothing changes
        form = requests.post(
            f"{self.url}/@account-password",
            headers={
                "Authorization": session.headers["Authorization"],
                "Accept": "application/json",
            },
            data={"password": NEW, "password_confirm": NEW},
        )
        self.assertEqual(form.status_code, 415)
        self.assertFalse(self.has_password())

        ok = session.post(
            f"{self.url}/@account-password",
            json={"password": NEW, "password_confirm": NEW},
        )
        self.assertEqual(ok.status_code, 204, ok.text)
        self.assertTrue(self.has_password())
        self.assertTrue(self.can_login(ANGELA, NEW))
        self.assertIn("modifié", self.sink.messages()[-1]["Subject"])
        self.assertIs(
            session.get(f"{self.url}/@household").json()["has_password"], True
        )
        transaction.begin()
        franceconnect.unlink_account(ANGELA)  # allowed now
        transaction.abort()

        # from now on the current password is required
        again = session.post(
            f"{self.url}/@account-password",
            json={
                "password": "Encore-Autre-2027",
                "password_confirm": "Encore-Autre-2027",
            },
        )
        self.assertEqual(again.status_code, 400)
        self.assertEqual(
            again.json()["error"]["errors"][0]["field"], "current_password"
        )
        self.assertTrue(self.can_login(ANGELA, NEW))

    def test_rest_password_account_needs_the_current_one(self):
        session = rest_session(self.url, "amelie.lire", PASSWORDS["amelie.lire"])
        self.assertIs(
            session.get(f"{self.url}/@household").json()["has_password"], True
        )
        refused = session.post(
            f"{self.url}/@account-password",
            json={"password": NEW, "password_confirm": NEW},
        )
        self.assertEqual(refused.status_code, 400)
        error = refused.json()["error"]["errors"][0]
        self.assertEqual(error["field"], "current_password")
        self.assertIn("mot de passe actuel", error["message"])
        self.assertFalse(self.can_login("amelie.lire", NEW))

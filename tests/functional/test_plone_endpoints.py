"""Plone's own account routes and listings, over HTTP (#13 items 3 and 5).

Citizens, validated or awaiting validation, list no account nor group, and
Plone's routes that change a password, an email address or a name, or mail
Plone's reset link, are closed to them with the same answer for every
identifier, pointing to the portal's own pages and endpoints. The name
agents see is the household's holder, never the editable ``fullname``.
"""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.sessions import JSON_HEADERS
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session
from plone import api

import re
import requests
import transaction
import unittest


TOKEN = re.compile(r'name="_authenticator" value="([0-9a-f]+)"')
AMELIE = ("amelie.lire", PASSWORDS["amelie.lire"])
JEROME = ("jerome.attente", PASSWORDS["jerome.attente"])
CITIZENS = (AMELIE, JEROME)
LISTINGS = (
    "plone.app.vocabularies.Users",
    "plone.app.vocabularies.Principals",
    "plone.app.vocabularies.Groups",
    "plone.app.users.group_ids",
)
WEAK = "aaaaaaaa"


class PloneEndpointsTestCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.sink = self.layer["mailsink"]

    def rest(self, account=None):
        session = rest_session(self.url, *(account or ()))
        self.addCleanup(session.close)
        return session

    def browser(self, account):
        """Logged in by the login form (the ``__ac`` cookie)."""
        session = cookie_session(self.url, *account)
        self.addCleanup(session.close)
        return session

    def token(self, session):
        html = session.get(f"{self.url}/@@changer-mot-de-passe").text
        return TOKEN.search(html).group(1)

    def can_login(self, login, password):
        return (
            requests.post(
                f"{self.url}/@login",
                headers=JSON_HEADERS,
                json={"login": login, "password": password},
            ).status_code
            == 200
        )

    def email_of(self, userid):
        transaction.begin()
        return api.user.get(userid=userid).getProperty("email")


class TestListingAccounts(PloneEndpointsTestCase):
    """Item 3: the vocabularies of users, principals and groups."""

    def test_citizens_list_no_account_nor_group(self):
        for account in CITIZENS:
            rest = self.rest(account)
            browser = self.browser(account)
            for name in LISTINGS:
                for where in (self.url, f"{self.url}/demarches"):
                    response = rest.get(f"{where}/@vocabularies/{name}")
                    self.assertEqual(
                        response.status_code,
                        403,
                        f"{account[0]} {where} {name}: {response.text[:200]}",
                    )
                    self.assertNotIn("agent.accueil", response.text)
                response = browser.get(
                    f"{self.url}/@@getVocabulary", params={"name": name, "query": ""}
                )
                self.assertNotIn("agent.accueil", response.text, (account[0], name))
                self.assertNotIn("Agents", response.text, (account[0], name))
                self.assertIn("error", response.json(), (account[0], name))
            response = browser.get(
                f"{self.url}/@@member-search",
                params={"form.buttons.search": "Rechercher"},
            )
            self.assertNotIn("amelie.lire@example.org", response.text)
            self.assertNotIn("Claire Guichet", response.text)

    def test_agents_may_list(self):
        rest = self.rest(AGENT)
        users = rest.get(f"{self.url}/@vocabularies/plone.app.vocabularies.Users")
        self.assertEqual(users.status_code, 200, users.text)
        self.assertIn(
            "amelie.lire", [item["token"] for item in users.json()["items"]], users.text
        )
        groups = rest.get(f"{self.url}/@vocabularies/plone.app.vocabularies.Groups")
        self.assertEqual(groups.status_code, 200, groups.text)
        self.assertIn("Agents", [item["token"] for item in groups.json()["items"]])
        classic = requests.get(
            f"{self.url}/@@getVocabulary",
            auth=AGENT,
            params={"name": "plone.app.vocabularies.Users", "query": "Lire"},
        )
        self.assertIn("amelie.lire", [r["id"] for r in classic.json()["results"]])


class TestPloneAccountRoutes(PloneEndpointsTestCase):
    """Item 5: Plone's own account routes, REST and Classic."""

    def test_patch_users_is_closed_to_citizens(self):
        for login, password in CITIZENS:
            session = self.rest((login, password))
            for body in (
                {"email": "pirate@example.org"},
                {"fullname": "Le Maire"},
                {"password": WEAK},
            ):
                response = session.patch(f"{self.url}/@users/{login}", json=body)
                self.assertEqual(
                    response.status_code, 403, (login, body, response.text)
                )
                message = response.json()["error"]["message"]
                self.assertIn("@account-email", message)
                self.assertIn("@account-password", message)
            other = session.patch(
                f"{self.url}/@users/agent.accueil", json={"email": "pirate@example.org"}
            )
            self.assertEqual(other.status_code, 403)
            self.assertNotEqual(self.email_of(login), "pirate@example.org")
            self.assertFalse(self.can_login(login, WEAK))
        transaction.begin()
        self.assertEqual(
            api.user.get(userid="amelie.lire").getProperty("fullname"), "Amélie Lire"
        )

    def test_reset_password_route_is_closed_and_tells_nothing(self):
        answers = []
        for userid in ("amelie.lire", "jerome.attente", "personne.inconnue"):
            response = requests.post(
                f"{self.url}/@users/{userid}/reset-password", headers=JSON_HEADERS
            )
            answers.append((response.status_code, response.json()))
        self.assertEqual(answers[0][0], 403)
        self.assertEqual(len(set(repr(a) for a in answers)), 1, answers)
        self.assertIn("@password-reset", answers[0][1]["error"]["message"])
        # a logged-in citizen cannot set a weak password through it
        for login, password in CITIZENS:
            response = self.rest((login, password)).post(
                f"{self.url}/@users/{login}/reset-password",
                json={"old_password": password, "new_password": WEAK},
            )
            self.assertEqual(response.status_code, 403, response.text)
            self.assertFalse(self.can_login(login, WEAK))
        self.assertEqual(self.sink.messages(), [])

    def test_classic_forms_lead_to_the_portal_pages(self):
        for login, password in CITIZENS:
            browser = self.browser((login, password))
            token = self.token(browser)
            response = browser.post(
                f"{self.url}/@@change-password",
                data={
                    "form.widgets.current_password": password,
                    "form.widgets.new_password": WEAK,
                    "form.widgets.new_password_ctl": WEAK,
                    "form.buttons.reset_passwd": "Changer le mot de passe",
                    "_authenticator": token,
                },
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 302, response.text[:300])
            self.assertTrue(
                response.headers["Location"].endswith("/@@changer-mot-de-passe")
            )
            response = browser.post(
                f"{self.url}/@@personal-information",
                data={
                    "form.widgets.email": "pirate@example.org",
                    "form.widgets.fullname": "Le Maire",
                    "form.buttons.save": "Enregistrer",
                    "_authenticator": token,
                },
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 302, response.text[:300])
            # citizens find their account's details in « Mon espace » (#15)
            self.assertTrue(
                response.headers["Location"].endswith("/@@mon-espace-compte")
            )
            page = browser.get(response.headers["Location"])
            self.assertIn("Les informations de votre compte sont", page.text)
            # Plone's tool, called directly, with a valid token
            response = browser.post(
                f"{self.url}/portal_membership/setPassword",
                data={"password": WEAK, "_authenticator": token},
                allow_redirects=False,
            )
            self.assertIn(response.status_code, (302, 401, 403), response.text[:300])
            self.assertFalse(self.can_login(login, WEAK))
            self.assertNotEqual(self.email_of(login), "pirate@example.org")
        transaction.begin()
        self.assertEqual(
            api.user.get(userid="amelie.lire").getProperty("fullname"), "Amélie Lire"
        )

    def test_administrators_keep_plones_routes(self):
        from plone.app.testing import SITE_OWNER_NAME
        from plone.app.testing import SITE_OWNER_PASSWORD

        owner = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        for view in ("@@change-password", "@@personal-information"):
            response = requests.get(
                f"{self.url}/{view}", auth=owner, allow_redirects=False
            )
            self.assertEqual(response.status_code, 200, view)
        response = requests.patch(
            f"{self.url}/@users/amelie.lire",
            headers=JSON_HEADERS,
            auth=owner,
            json={"description": "Vu"},
        )
        self.assertEqual(response.status_code, 204, response.text)

    def test_plone_lost_password_routes_mail_nothing_and_tell_nothing(self):
        answers = []
        for userid in ("amelie.lire", "personne.inconnue"):
            for path, data in (
                ("@@mail_password", {"userid": userid}),
                ("portal_registration/mailPassword", {"login": userid}),
            ):
                response = requests.post(
                    f"{self.url}/{path}", data=data, allow_redirects=False
                )
                answers.append(
                    (path, response.status_code, response.headers.get("Location"))
                )
                self.assertNotEqual(response.status_code, 200, (path, userid))
        self.assertEqual(answers[:2], answers[2:])
        self.assertEqual(self.sink.messages(), [])


class TestDisplayedName(PloneEndpointsTestCase):
    """Item 5: agents see the holder's name, not the account's fullname."""

    def test_agents_see_the_holders_name(self):
        transaction.begin()
        for userid in ("amelie.lire", "jerome.attente"):
            api.user.get(userid=userid).setMemberProperties({"fullname": "Le Maire"})
        transaction.commit()
        filed = self.rest(JEROME).post(
            f"{self.url}/@requests",
            json={
                "service": "signalement-voie-publique",
                "answers": SIGNALEMENT_ANSWERS,
            },
        )
        self.assertEqual(filed.status_code, 201, filed.text)
        agent = self.rest(AGENT)
        accounts = agent.get(f"{self.url}/@accounts").json()
        names = [item["fullname"] for item in accounts["items"]]
        self.assertIn("Jérôme Attente", names)
        self.assertNotIn("Le Maire", names)
        voirie = self.rest(VOIRIE)
        queue = voirie.get(f"{self.url}/@requests").json()
        row = next(
            item for item in queue["items"] if item["@id"] == filed.json()["@id"]
        )
        self.assertEqual(row["requester_name"], "Jérôme Attente")
        page = voirie.get(filed.json()["@id"], headers={"Accept": "text/html"})
        self.assertEqual(page.status_code, 200)
        self.assertIn("Jérôme Attente", page.text)
        self.assertNotIn("Le Maire", page.text)

    def test_upgrade_sets_the_holder_on_filed_requests(self):
        from illkirch.eservices.upgrades.v1006 import holders_as_requesters

        filed = self.rest(JEROME).post(
            f"{self.url}/@requests",
            json={
                "service": "signalement-voie-publique",
                "answers": SIGNALEMENT_ANSWERS,
            },
        )
        self.assertEqual(filed.status_code, 201, filed.text)
        path = filed.json()["@id"][len(self.url) + 1 :]
        transaction.begin()
        request_obj = self.portal.unrestrictedTraverse(path)
        request_obj.requester_name = "Le Maire"  # filed before the fix
        request_obj.reindexObject()
        transaction.commit()
        holders_as_requesters(self.portal.portal_setup)
        transaction.commit()
        voirie = self.rest(VOIRIE)
        row = next(
            item
            for item in voirie.get(f"{self.url}/@requests").json()["items"]
            if item["@id"] == filed.json()["@id"]
        )
        self.assertEqual(row["requester_name"], "Jérôme Attente")

"""Login with FranceConnect in Chromium, through the pages of a real OpenID
Connect provider running locally (oidc/, shaped as FranceConnect): first
login → completion form → « Mon espace », login again → straight in, and the
answers refused (a tampered ``state``, a replayed code, an ID token with
another nonce, signed by another key or expired) with a French message and
no session. axe on each of the portal's pages."""

from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.testing import FRANCECONNECT_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import PASSWORDS
from playwright.sync_api import expect
from plone import api
from urllib.parse import parse_qs
from urllib.parse import urlencode
from urllib.parse import urlsplit

import re
import transaction


ANGELA_SUB = "b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1"
LOGGED_IN = "#personaltools-logout, .personaltools-logout, a[href$='/logout']"
REFUSED = "ne correspond pas à votre demande de connexion"
EXPIRED = "a expiré ou n'a pas été demandée depuis ce navigateur"


class TestFranceConnectLogin(BrowserTestCase):
    layer = FRANCECONNECT_FUNCTIONAL_TESTING

    def provider_login(self, login):
        """On the provider's pages: log in as ``login``, accept to share."""
        page = self.page
        oidc_port = str(self.layer["oidc"].port)
        expect(page.get_by_label("Identifiant")).to_be_visible()
        assert urlsplit(page.url).port == int(oidc_port)
        page.get_by_label("Identifiant").fill(login)
        page.get_by_label("Mot de passe").fill("123")
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("button", name="Continuer sur le service").click()

    def start_from_login_page(self):
        page = self.page
        page.goto(f"{self.portal_url}/login")
        button = page.get_by_role("button", name="S'identifier avec FranceConnect")
        expect(button).to_be_visible()
        button.click()

    def assert_no_session(self):
        expect(self.page.locator(LOGGED_IN)).to_have_count(0)
        response = self.page.request.get(f"{self.portal_url}/@@mon-espace")
        assert "login" in response.url or response.status in (401, 403)

    def complete_first_login(self):
        page = self.page
        expect(page.locator("#completion-title")).to_have_text("Finalisez votre compte")
        identity = page.locator(".eservices-verified-identity")
        expect(identity).to_contain_text("Angela Claire Louise")
        expect(identity).to_contain_text("DUBOIS")
        expect(identity).to_contain_text("24/08/1962")
        expect(identity).to_contain_text("Madame")
        # the certified data are no form fields
        expect(page.locator("input[name=last_name]")).to_have_count(0)
        expect(page.get_by_label("Adresse électronique")).to_have_value(
            "angela.dubois@example.org"
        )
        self.assert_accessible("FranceConnect : finalisation du compte")
        # the terms forgotten: refused, what was typed kept
        page.get_by_label("Numéro et voie").fill("3 rue du Général Leclerc")
        page.get_by_label("Code postal").fill("67400")
        page.get_by_label("Commune").fill("Illkirch-Graffenstaden")
        page.get_by_label("Par courriel").check()
        page.get_by_role("button", name="Ajouter un membre").click()
        member = page.locator("fieldset", has_text="Membre 1")
        member.get_by_role("group", name="Adulte ou enfant").get_by_label(
            "Enfant"
        ).check()
        member.get_by_label("Monsieur").check()
        member.get_by_label("Prénom").fill("Paul")
        member.locator("[id$=-last_name]").fill("Dubois")
        member.get_by_label("Date de naissance").fill("2012-05-03")
        member.get_by_label("Lien avec le titulaire du compte").select_option(
            label="Enfant"
        )
        page.get_by_role("button", name="Créer mon compte").click()
        expect(page.locator("#error-summary")).to_be_visible()
        expect(page.locator("#field-consent-error")).to_be_visible()
        expect(page.get_by_label("Numéro et voie")).to_have_value(
            "3 rue du Général Leclerc"
        )
        self.assert_accessible("FranceConnect : finalisation avec erreur")
        page.get_by_label("J'accepte", exact=False).check()
        page.get_by_role("button", name="Créer mon compte").click()
        page.wait_for_url(re.compile(r"/@@mon-espace"))
        expect(page.locator(LOGGED_IN).first).to_be_attached()

    def test_first_login_then_straight_in(self):
        page = self.page
        page.goto(f"{self.portal_url}/@@creer-un-compte")
        expect(
            page.get_by_role("button", name="S'identifier avec FranceConnect")
        ).to_be_visible()
        what_is = page.get_by_role("link", name="Qu'est-ce que FranceConnect ?")
        expect(what_is).to_have_attribute("href", "https://franceconnect.gouv.fr/")
        expect(what_is).to_have_attribute("target", "_blank")
        self.assert_accessible("créer un compte, avec FranceConnect")

        self.start_from_login_page()
        self.provider_login("angela")
        self.complete_first_login()
        expect(page.locator(".portalMessage")).to_contain_text(
            "identité vérifiée par FranceConnect"
        )
        self.assert_accessible("mon espace après FranceConnect")

        # the account, its household awaiting validation, the holder verified
        transaction.begin()
        userid = franceconnect.linked_user(ANGELA_SUB)
        assert userid == "angela.dubois"
        user = api.user.get(userid=userid)
        assert user.getUserName() == "angela.dubois"
        assert user.getProperty("email") == "angela.dubois@example.org"
        catalog = api.portal.get_tool("portal_catalog")
        brains = catalog.unrestrictedSearchResults(household_holder=userid)
        assert len(brains) == 1
        household = brains[0]._unrestrictedGetObject()
        assert api.content.get_state(household) == "pending"
        assert franceconnect.is_verified(household)
        persons = {person.relationship: person for person in household.persons()}
        assert set(persons) == {"holder", "child"}
        holder, child = persons["holder"], persons["child"]
        assert (child.first_name, child.member_type) == ("Paul", "child")
        assert holder.identity_verified_by == "franceconnect"
        assert (holder.first_name, holder.last_name) == (
            "Angela Claire Louise",
            "DUBOIS",
        )
        assert holder.birth_date.isoformat() == "1962-08-24"
        assert holder.civility == "mme"

        # login again: straight into « Mon espace », no form
        self.logout()
        self.start_from_login_page()
        self.provider_login("angela")
        page.wait_for_url(re.compile(r"/@@mon-espace"))
        expect(page.locator(LOGGED_IN).first).to_be_attached()
        transaction.begin()
        assert (
            len(
                api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
                    household_holder=userid
                )
            )
            == 1
        )

    def capture_callback(self):
        """Let the provider answer, but keep its answer (the callback's URL)
        from reaching the site: returned with the flow's cookie. (Playwright
        routes no redirection: the consent's POST is held and its
        redirections followed by hand.)"""
        page = self.page
        answers = []
        confirm = re.compile(r".*/interaction/[^/]+/confirm$")

        def hold(route):
            resume = route.fetch(max_redirects=0).headers["location"]
            answer = self.context.request.get(resume, max_redirects=0)
            answers.append(answer.headers["location"])
            route.fulfill(status=200, body="", content_type="text/plain")

        page.route(confirm, hold)
        self.start_from_login_page()
        self.provider_login("jean")
        page.wait_for_load_state()
        page.unroute(confirm)
        assert answers and "code=" in answers[0], answers
        cookie = next(
            c for c in self.context.cookies() if c["name"] == franceconnect.FLOW_COOKIE
        )
        return answers[0], cookie

    def test_tampered_state_is_refused(self):
        page = self.page
        answer, _cookie = self.capture_callback()
        parts = urlsplit(answer)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        query["state"] = query["state"][:-4] + "AAAA"
        page.goto(f"{self.portal_url}/franceconnect-callback?{urlencode(query)}")
        expect(page.locator(".portalMessage")).to_contain_text(REFUSED)
        self.assert_no_session()
        self.assert_accessible("FranceConnect : réponse refusée")
        # the flow is spent: the genuine answer after it is refused too
        page.goto(answer)
        expect(page.locator(".portalMessage")).to_contain_text(EXPIRED)
        self.assert_no_session()

    def test_replayed_code_is_refused(self):
        page = self.page
        answer, cookie = self.capture_callback()
        page.goto(answer)
        page.wait_for_url(re.compile(r"/@@franceconnect-inscription"))
        # the same answer again, with the flow's cookie put back: the
        # provider refuses the used code
        self.logout()
        self.context.add_cookies([cookie])
        page.goto(answer)
        expect(page.locator(".portalMessage")).to_contain_text(REFUSED)
        self.assert_no_session()
        expect(page.locator(".eservices-verified-identity")).to_have_count(0)
        # and without the cookie: the answer was not asked for here
        self.logout()
        page.goto(answer)
        expect(page.locator(".portalMessage")).to_contain_text(EXPIRED)
        self.assert_no_session()

    def assert_spoiled_token_refused(self, how):
        self.layer["oidc"].tamper(how)
        self.start_from_login_page()
        self.provider_login("jean")
        expect(self.page.locator(".portalMessage")).to_contain_text(REFUSED)
        self.assertIn("/login", self.page.url)
        self.assert_no_session()
        transaction.begin()
        self.assertIsNone(
            franceconnect.linked_user(
                "2b3c5f1e8a9d4c7b6e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2dv1"
            )
        )

    def test_id_token_with_another_nonce_is_refused(self):
        self.assert_spoiled_token_refused("nonce")

    def test_id_token_signed_by_another_key_is_refused(self):
        self.assert_spoiled_token_refused("key")

    def test_expired_id_token_is_refused(self):
        self.assert_spoiled_token_refused("expired")

    def test_unspoiled_token_is_accepted(self):
        """The same path without tampering reaches the completion form (so
        that the refusals above are the checks', not the path's)."""
        self.start_from_login_page()
        self.provider_login("jean")
        expect(self.page.locator("#completion-title")).to_be_visible()
        expect(self.page.locator(".eservices-verified-identity")).to_contain_text(
            "ROUSSEAU"
        )

    def test_logout_ends_both_sessions(self):
        page = self.page
        self.start_from_login_page()
        self.provider_login("lucia")
        expect(page.locator("#completion-title")).to_be_visible()
        page.get_by_label("Numéro et voie").fill("5 rue des Roses")
        page.get_by_label("Code postal").fill("67400")
        page.get_by_label("Commune").fill("Illkirch-Graffenstaden")
        page.get_by_label("Par courriel").check()
        page.get_by_label("J'accepte", exact=False).check()
        page.get_by_role("button", name="Créer mon compte").click()
        page.wait_for_url(re.compile(r"/@@mon-espace"))
        provider = self.layer["oidc"]
        ended = provider.ended_sessions()

        page.goto(f"{self.portal_url}/logout")
        # FranceConnect's end of session, then back to the site
        assert urlsplit(page.url).port == provider.port
        assert "id_token_hint=" in page.url
        page.get_by_role("button", name="Se déconnecter").click()
        page.wait_for_url(re.compile(re.escape(self.portal_url)))
        self.assertEqual(provider.ended_sessions(), ended + 1)
        self.assert_no_session()
        self.assertNotIn(
            franceconnect.SESSION_COOKIE, {c["name"] for c in self.context.cookies()}
        )

    def test_logout_of_a_password_session_stays_on_the_site(self):
        ended = self.layer["oidc"].ended_sessions()
        self.login("amelie.lire", PASSWORDS["amelie.lire"])
        self.page.goto(f"{self.portal_url}/logout")
        self.assertEqual(urlsplit(self.page.url).port, urlsplit(self.portal_url).port)
        self.assert_no_session()
        self.assertEqual(self.layer["oidc"].ended_sessions(), ended)

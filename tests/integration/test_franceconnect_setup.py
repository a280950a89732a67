"""FranceConnect (#20) in the site: its settings and plugin at install and by
the 1011 → 1012 upgrade, nothing shown while it is disabled, the signed
cookies of the flow, the identity pivot read as the portal's person, the
completion's rules (the registration's ones)."""

from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.interfaces import FRANCECONNECT_PREFIX
from illkirch.eservices.interfaces import IFranceConnectSettings
from illkirch.eservices.testing import INTEGRATION_TESTING
from illkirch.eservices.testing.franceconnect import ANGELA_CLAIMS
from illkirch.eservices.testing.franceconnect import COMPLETION
from illkirch.eservices.testing.profile import profile_version
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles
from plone.registry.interfaces import IRegistry
from Products.PluggableAuthService.interfaces.plugins import IChallengePlugin
from zExceptions import NotFound
from zope.component import getUtility

import time
import unittest


PROFILE = "illkirch.eservices:default"
CLAIMS = {"sub": "abc123", **ANGELA_CLAIMS}


def set_setting(name, value):
    api.portal.set_registry_record(f"{FRANCECONNECT_PREFIX}.{name}", value)


class TestFranceConnectSetup(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        self.acl_users = self.portal.acl_users

    def test_disabled_at_install_with_its_plugin(self):
        self.assertFalse(
            api.portal.get_registry_record(f"{FRANCECONNECT_PREFIX}.enabled")
        )
        self.assertFalse(franceconnect.is_enabled())
        plugin = self.acl_users[franceconnect.PLUGIN_ID]
        self.assertEqual(plugin.meta_type, "OIDC Plugin")
        self.assertTrue(plugin.getProperty("use_pkce"))
        self.assertEqual(tuple(plugin.getProperty("scope")), franceconnect.SCOPES)
        self.assertFalse(plugin.getProperty("create_user"))
        # Plone's login form stays the challenge: no interface of it active
        for info in self.acl_users.plugins.listPluginTypeInfo():
            self.assertNotIn(
                franceconnect.PLUGIN_ID,
                self.acl_users.plugins.listPluginIds(info["interface"]),
            )
        self.assertNotIn(
            franceconnect.PLUGIN_ID,
            self.acl_users.plugins.listPluginIds(IChallengePlugin),
        )

    def test_the_plugin_follows_the_settings(self):
        set_setting("issuer", "https://fcp-low.sbx.dev-franceconnect.fr/api/v2")
        set_setting("client_id", "client-of-the-town")
        set_setting("client_secret", "s3cret")
        plugin = self.acl_users[franceconnect.PLUGIN_ID]
        self.assertEqual(
            plugin.getProperty("issuer"),
            "https://fcp-low.sbx.dev-franceconnect.fr/api/v2",
        )
        self.assertEqual(plugin.getProperty("client_id"), "client-of-the-town")
        self.assertEqual(plugin.getProperty("client_secret"), "s3cret")
        self.assertFalse(franceconnect.is_enabled())
        set_setting("enabled", True)
        self.assertTrue(franceconnect.is_enabled())

    def test_nothing_shown_when_disabled(self):
        set_setting("issuer", "http://localhost:1/api/v2")
        set_setting("client_id", "x")
        button = self.portal.restrictedTraverse("@@franceconnect-button")
        self.assertEqual(button(), "")
        login = self.portal.restrictedTraverse("@@login")
        page = login()
        self.assertNotIn("fr-connect", page)
        self.assertNotIn("franceconnect-login", page)
        for name in (
            "@@franceconnect-login",
            "@@franceconnect-callback",
            "@@franceconnect-inscription",
        ):
            with self.assertRaises(NotFound):
                self.portal.restrictedTraverse(name)()
        set_setting("enabled", True)
        html = self.portal.restrictedTraverse("@@franceconnect-button")()
        self.assertIn('class="fr-connect"', html)
        self.assertIn("@@franceconnect-login", html)
        self.assertIn("https://franceconnect.gouv.fr/", html)
        self.assertIn("S'identifier avec", html)
        self.assertIn("Qu'est-ce que FranceConnect ?", html)
        self.assertIn("(nouvelle fenêtre)", html)

    def test_upgrade_1011_to_1012(self):
        setup = self.portal.portal_setup
        registry = getUtility(IRegistry)
        for name in IFranceConnectSettings:
            del registry.records[f"{FRANCECONNECT_PREFIX}.{name}"]
        self.acl_users._delObject(franceconnect.PLUGIN_ID)
        self.portal.portal_controlpanel.unregisterConfiglet(
            "illkirch-eservices-franceconnect"
        )
        self.assertFalse(franceconnect.is_enabled())
        setup.setLastVersionForProfile(PROFILE, "1011")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))
        self.assertIs(registry[f"{FRANCECONNECT_PREFIX}.enabled"], False)
        self.assertIn(franceconnect.PLUGIN_ID, self.acl_users.objectIds())
        self.assertIn(
            "illkirch-eservices-franceconnect",
            [a.id for a in self.portal.portal_controlpanel.listActions()],
        )

    def test_upgrade_1012_to_1013_adds_the_frontends_addresses(self):
        setup = self.portal.portal_setup
        registry = getUtility(IRegistry)
        set_setting("issuer", "https://fcp-low.sbx.dev-franceconnect.fr/api/v2")
        set_setting("client_id", "client-of-the-town")
        set_setting("client_secret", "s3cret")
        set_setting("enabled", True)
        new = ("frontend_redirect_uris", "frontend_post_logout_uris")
        for name in new:
            del registry.records[f"{FRANCECONNECT_PREFIX}.{name}"]
        self.assertIsNone(franceconnect.setting("frontend_redirect_uris"))
        self.assertFalse(
            franceconnect.redirect_uri_allowed("https://app.illkirch.eu/fc")
        )
        setup.setLastVersionForProfile(PROFILE, "1012")
        setup.upgradeProfile(PROFILE)
        self.assertEqual(setup.getLastVersionForProfile(PROFILE), (profile_version(),))
        for name in new:
            self.assertEqual(registry[f"{FRANCECONNECT_PREFIX}.{name}"], [])
        # the existing settings keep their values
        self.assertEqual(
            registry[f"{FRANCECONNECT_PREFIX}.issuer"],
            "https://fcp-low.sbx.dev-franceconnect.fr/api/v2",
        )
        self.assertEqual(
            registry[f"{FRANCECONNECT_PREFIX}.client_id"], "client-of-the-town"
        )
        self.assertEqual(registry[f"{FRANCECONNECT_PREFIX}.client_secret"], "s3cret")
        self.assertTrue(franceconnect.is_enabled())
        # and a frontend's address can then be allowed
        set_setting("frontend_redirect_uris", ["https://app.illkirch.eu/fc"])
        self.assertTrue(
            franceconnect.redirect_uri_allowed("https://app.illkirch.eu/fc")
        )


class TestFrontendAddresses(unittest.TestCase):
    """The frontends' addresses: checked when saved, compared exactly."""

    layer = INTEGRATION_TESTING

    def test_check(self):
        from illkirch.eservices.interfaces import BadFrontendUri
        from illkirch.eservices.interfaces import check_frontend_uris

        self.assertTrue(
            check_frontend_uris(
                [
                    "https://app.illkirch.eu/franceconnect/callback",
                    "",
                    "http://localhost:3000/fc?from=app",
                ]
            )
        )
        self.assertTrue(check_frontend_uris(None))
        for bad in (
            "https://app.illkirch.eu/fc#retour",
            "https://app.illkirch.eu/fc#",
            "app.illkirch.eu/fc",
            "/fc",
            "ftp://app.illkirch.eu/fc",
            "illkirch-app://fc",
            "https:///fc",
            "https://app.illkirch.eu/f c",
            "https://app.illkirch.eu/fc ",
            "https://[::1/fc",
        ):
            with self.assertRaises(BadFrontendUri, msg=bad) as caught:
                check_frontend_uris(["https://app.illkirch.eu/ok", bad])
            self.assertEqual(caught.exception.doc().mapping["line"], 2)
        with self.assertRaises(BadFrontendUri):
            IFranceConnectSettings["frontend_post_logout_uris"].validate(
                ["https://app.illkirch.eu/#fin"]
            )

    def test_compared_exactly(self):
        allowed = "https://app.illkirch.eu/franceconnect/callback"
        set_setting("frontend_redirect_uris", [allowed])
        set_setting("frontend_post_logout_uris", ["https://app.illkirch.eu/fin"])
        portal_url = api.portal.get().absolute_url()
        self.assertTrue(franceconnect.redirect_uri_allowed(allowed))
        self.assertTrue(
            franceconnect.redirect_uri_allowed(f"{portal_url}/franceconnect-callback")
        )
        for uri in (
            allowed[:-1],
            f"{allowed}/",
            f"{allowed}?x=1",
            allowed.upper(),
            allowed.replace("https", "http"),
            "",
            None,
            ["x"],
            "https://app.illkirch.eu/fin",
        ):
            self.assertFalse(franceconnect.redirect_uri_allowed(uri), uri)
        self.assertTrue(franceconnect.post_logout_uri_allowed(portal_url))
        self.assertTrue(
            franceconnect.post_logout_uri_allowed("https://app.illkirch.eu/fin")
        )
        for uri in (f"{portal_url}/", "https://app.illkirch.eu/fin/", allowed, ""):
            self.assertFalse(franceconnect.post_logout_uri_allowed(uri), uri)


class TestSignedCookies(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def test_signed_value_comes_back(self):
        value = franceconnect.signed({"state": "abc"}, 60)
        self.assertEqual(franceconnect.unsigned(value), {"state": "abc"})

    def test_altered_value_is_none(self):
        value = franceconnect.signed({"state": "abc"}, 60)
        payload, mac = value.rsplit(".", 1)
        forged = franceconnect.signed({"state": "xyz"}, 60).rsplit(".", 1)[0]
        self.assertIsNone(franceconnect.unsigned(f"{forged}.{mac}"))
        self.assertIsNone(franceconnect.unsigned(f"{payload}.{'0' * len(mac)}"))
        self.assertIsNone(franceconnect.unsigned(""))
        self.assertIsNone(franceconnect.unsigned(None))

    def test_expired_value_is_none(self):
        value = franceconnect.signed({"state": "abc"}, -1)
        self.assertIsNone(franceconnect.unsigned(value))

    def test_refused_without_flow(self):
        with self.assertRaises(franceconnect.FranceConnectRefused) as refused:
            franceconnect.finish(None, "code=x&state=y")
        self.assertIs(refused.exception.message, franceconnect.EXPIRED)

    def test_refused_on_other_state_before_any_request(self):
        flow = {"state": "good", "nonce": "n", "verifier": "v", "came_from": ""}
        with self.assertRaises(franceconnect.FranceConnectRefused) as refused:
            franceconnect.finish(flow, "code=x&state=bad")
        self.assertIs(refused.exception.message, franceconnect.REFUSED)

    def test_cancelled_at_the_provider(self):
        flow = {"state": "good", "nonce": "n", "verifier": "v", "came_from": ""}
        with self.assertRaises(franceconnect.FranceConnectRefused) as refused:
            franceconnect.finish(flow, "error=access_denied&state=good")
        self.assertIs(refused.exception.message, franceconnect.CANCELLED)

    def test_pkce_challenge_is_rfc_7636s(self):
        # RFC 7636, appendix B
        self.assertEqual(
            franceconnect.pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        )


class TestIdentity(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, [])

    def test_identity_pivot_as_the_portals_person(self):
        identity = franceconnect.identity_from_claims(CLAIMS)
        self.assertEqual(
            identity,
            {
                "sub": "abc123",
                "civility": "mme",
                "first_name": "Angela Claire Louise",
                "last_name": "DUBOIS",
                "birth_date": "1962-08-24",
                "birth_place": "Paris 7e Arrondissement",
                "email": "angela.dubois@example.org",
            },
        )
        # the place of birth in words, through the COG (the code at the birth
        # date: Évry was 78228 in Seine-et-Oise before 1968)
        for place, country, born, name in (
            ("", "99134", "1990-11-02", "Espagne"),
            ("", "99109", "1975-01-01", "Allemagne"),
            ("67218", "99100", "1980-05-01", "Illkirch-Graffenstaden (Bas-Rhin)"),
            ("78228", "99100", "1960-01-01", "Évry-Petit-Bourg (Seine-et-Oise)"),
            ("12345", "99100", "1980-05-01", "commune de code INSEE 12345"),
            ("", "99999", "1980-05-01", "pays de code INSEE 99999"),
        ):
            claims = {
                **CLAIMS,
                "birthplace": place,
                "birthcountry": country,
                "birthdate": born,
            }
            self.assertEqual(
                franceconnect.identity_from_claims(claims)["birth_place"], name
            )
        self.assertEqual(
            franceconnect.identity_from_claims({**CLAIMS, "gender": "male"})[
                "civility"
            ],
            "m",
        )

    def test_completion_requires_address_and_terms(self):
        identity = franceconnect.identity_from_claims(CLAIMS)
        errors = franceconnect.validate_completion(
            identity, {"email": "", "members": []}
        )
        self.assertLessEqual(
            {"email", "street", "postal_code", "city", "consent"}, set(errors)
        )
        # the certified data are not the citizen's to change
        errors = franceconnect.validate_completion(
            identity, {**COMPLETION, "last_name": "", "first_name": ""}
        )
        self.assertEqual(errors, {})

    def test_register_identity(self):
        identity = franceconnect.identity_from_claims(CLAIMS)
        started = time.time()
        userid = franceconnect.register_identity(
            identity, {**COMPLETION, "last_name": "Autre"}
        )
        self.assertLess(time.time() - started, 5)
        self.assertEqual(userid, "angela.dubois")
        self.assertEqual(franceconnect.linked_user("abc123"), userid)
        user = api.user.get(userid=userid)
        self.assertEqual(user.getProperty("fullname"), "Angela Claire Louise DUBOIS")
        self.assertIn("Member", user.getRoles())
        catalog = api.portal.get_tool("portal_catalog")
        (brain,) = catalog.unrestrictedSearchResults(household_holder=userid)
        household = brain._unrestrictedGetObject()
        self.assertEqual(api.content.get_state(household), "pending")
        self.assertTrue(franceconnect.is_verified(household))
        self.assertEqual(
            household.identity_verification["fields"], franceconnect.VERIFIED_FIELDS
        )
        (holder,) = household.persons()
        self.assertEqual(holder.last_name, "DUBOIS")
        self.assertEqual(holder.birth_place, "Paris 7e Arrondissement")
        self.assertEqual(holder.identity_verified_by, "franceconnect")
        # the same identity again, or the same email: refused
        with self.assertRaises(franceconnect.CompletionError):
            franceconnect.register_identity(identity, COMPLETION)
        other = franceconnect.identity_from_claims({**CLAIMS, "sub": "other"})
        with self.assertRaises(franceconnect.CompletionError) as error:
            franceconnect.register_identity(other, COMPLETION)
        self.assertIs(error.exception.errors["email"], franceconnect.EMAIL_TAKEN)

    def test_identifier_follows_the_portals_rule(self):
        api.user.create(
            email="a@example.org", username="angela.dubois", password="x" * 16
        )
        identity = franceconnect.identity_from_claims(
            {**CLAIMS, "email": "angela2@example.org"}
        )
        userid = franceconnect.register_identity(
            identity, {**COMPLETION, "email": "angela2@example.org"}
        )
        self.assertEqual(userid, "angela.dubois2")

    def test_deleted_user_forgets_the_identity(self):
        identity = franceconnect.identity_from_claims(CLAIMS)
        userid = franceconnect.register_identity(identity, COMPLETION)
        self.assertEqual(franceconnect.linked_user("abc123"), userid)
        with api.env.adopt_roles(["Manager"]):
            api.user.delete(username=userid)
        self.assertNotIn("abc123", franceconnect._links())
        self.assertIsNone(franceconnect.linked_user("abc123"))

    def test_linking_rules(self):
        api.user.create(email="b@example.org", username="bruno.b", password="x" * 16)
        franceconnect.link_account("sub-b", "bruno.b")
        self.assertEqual(franceconnect.linked_sub("bruno.b"), "sub-b")
        franceconnect.link_account("sub-b", "bruno.b")  # again: no change
        # an identity of another account, another identity for this one
        api.user.create(email="c@example.org", username="carla.c", password="x" * 16)
        with self.assertRaises(franceconnect.FranceConnectRefused) as refused:
            franceconnect.link_account("sub-b", "carla.c")
        self.assertIs(refused.exception.message, franceconnect.LINKED_ELSEWHERE)
        with self.assertRaises(franceconnect.FranceConnectRefused) as refused:
            franceconnect.link_account("sub-other", "bruno.b")
        self.assertIs(refused.exception.message, franceconnect.ACCOUNT_LINKED)
        # a password account may unlink
        franceconnect.unlink_account("bruno.b")
        self.assertIsNone(franceconnect.linked_sub("bruno.b"))

    def test_no_unlinking_until_a_password_is_chosen(self):
        identity = franceconnect.identity_from_claims(CLAIMS)
        userid = franceconnect.register_identity(identity, COMPLETION)
        self.assertFalse(franceconnect.has_password(userid))
        with self.assertRaises(franceconnect.FranceConnectRefused) as refused:
            franceconnect.unlink_account(userid)
        self.assertIs(refused.exception.message, franceconnect.NO_PASSWORD)
        self.assertEqual(franceconnect.linked_user("abc123"), userid)
        # « Mot de passe oublié ? » gives it one: unlinking is then possible
        from illkirch.eservices.accounts import password_reset

        token = password_reset.LINKS.issue(userid)
        password_reset.reset_password(
            token, "Rue-des-Vignes-1962", "Rue-des-Vignes-1962"
        )
        self.assertTrue(franceconnect.has_password(userid))
        franceconnect.unlink_account(userid)
        self.assertIsNone(franceconnect.linked_user("abc123"))

"""Links in emails and the emails' headers (#13 items 6 and 16).

Every link in an email is built from the configured public URL of the portal
(registry ``illkirch.eservices.public_url``), never from the request's
``Host``; every email is in the site's language, also when sent outside a
web request, and carries ``Auto-Submitted: auto-generated`` and a
``Message-ID`` of the portal's domain. The emails are read as the SMTP sink
received them, parsed with the ``email`` package.
"""

from email import message_from_bytes
from email import policy
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.sessions import JSON_HEADERS
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from zope.component.hooks import setSite
from zope.globalrequest import getRequest
from zope.globalrequest import setRequest

import re
import requests
import transaction
import unittest


PUBLIC = "https://eservices.illkirch.example/Plone"
LINK = re.compile(r"(https?://[^\s>»]+)")


class EmailTestCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.sink = self.layer["mailsink"]
        api.portal.set_registry_record("illkirch.eservices.public_url", PUBLIC)
        transaction.commit()

    def emails(self):
        """The messages received, parsed from the sink's files."""
        return [
            message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(self.sink.directory.glob("*.eml"))
        ]

    def assert_portal_email(self, message):
        links = LINK.findall(message.get_body(("plain",)).get_content())
        self.assertTrue(links, message.get_body(("plain",)).get_content())
        for link in links:
            self.assertTrue(link.startswith(PUBLIC + "/"), link)
        self.assertEqual(message["Auto-Submitted"], "auto-generated")
        self.assertRegex(
            message["Message-ID"], r"^<[^@<>]+@eservices\.illkirch\.example>$"
        )
        return links


class TestLinksFollowThePublicUrl(EmailTestCase):
    def test_reset_link_ignores_the_host_header(self):
        response = requests.post(
            f"{self.url}/@password-reset",
            json={"login": "amelie.lire"},
            headers={**JSON_HEADERS, "Host": "attacker.example"},
        )
        self.assertEqual(response.status_code, 202, response.text)
        [message] = self.emails()
        self.assertEqual(message["To"], "amelie.lire@example.org")
        [link] = self.assert_portal_email(message)
        self.assertTrue(
            link.startswith(f"{PUBLIC}/@@nouveau-mot-de-passe?token="), link
        )
        self.assertNotIn("attacker", message.get_body(("plain",)).get_content())

    def test_reset_page_link_ignores_the_host_header(self):
        session = requests.Session()
        form = session.get(f"{self.url}/@@mot-de-passe-oublie").text
        authenticator = re.search(r'name="_authenticator" value="([^"]+)"', form).group(
            1
        )
        session.post(
            f"{self.url}/@@mot-de-passe-oublie",
            data={"login": "amelie.lire", "_authenticator": authenticator},
            headers={"Host": "attacker.example"},
        )
        [message] = self.emails()
        [link] = self.assert_portal_email(message)
        self.assertTrue(
            link.startswith(f"{PUBLIC}/@@nouveau-mot-de-passe?token="), link
        )

    def test_validation_email_of_an_agent_on_another_host(self):
        transaction.begin()
        from illkirch.eservices.accounts.households import household_of

        household = household_of("jerome.attente")
        depth = len(self.portal.getPhysicalPath())
        path = "/".join(household.getPhysicalPath()[depth:])
        response = requests.post(
            f"{self.url}/{path}/@workflow/validate",
            json={"comment": "Vu."},
            headers={**JSON_HEADERS, "Host": "attacker.example"},
            auth=AGENT,
        )
        self.assertEqual(response.status_code, 200, response.text)
        [message] = self.emails()
        self.assertEqual(message["Subject"], "Votre compte est validé")
        [link] = self.assert_portal_email(message)
        self.assertEqual(link, f"{PUBLIC}/@@mon-espace")

    def test_email_change_link_ignores_the_host_header(self):
        response = requests.post(
            f"{self.url}/@account-email",
            json={
                "email": "amelie.nouvelle@example.org",
                "password": PASSWORDS["amelie.lire"],
            },
            headers={**JSON_HEADERS, "Host": "attacker.example"},
            auth=("amelie.lire", PASSWORDS["amelie.lire"]),
        )
        self.assertLess(response.status_code, 300, response.text)
        [message] = [
            m for m in self.emails() if m["To"] == "amelie.nouvelle@example.org"
        ]
        [link] = self.assert_portal_email(message)
        self.assertTrue(link.startswith(f"{PUBLIC}/@@confirmer-courriel?token="), link)

    def test_tracking_link_of_an_account_less_request(self):
        challenge = requests.get(
            f"{self.url}/@registration/captcha", headers=JSON_HEADERS
        ).json()
        answer = requests.get(
            f"{self.url}/@@test-captcha-answer", params={"token": challenge["token"]}
        ).text
        response = requests.post(
            f"{self.url}/@requests",
            headers={**JSON_HEADERS, "Host": "attacker.example"},
            json={
                "service": "acte-de-naissance",
                "answers": {
                    "type_document": "Extrait sans filiation",
                    "qualite": "Autre (avocat, notaire, héritier…)",
                    "nombre_exemplaires": 1,
                    "nom": "Lire",
                    "prenoms": "Amélie",
                    "date_evenement": "1986-03-14",
                    "pays_livraison": "Étranger",
                    "destinataire": "Paul Martin",
                    "adresse": "Hauptstraße 5",
                    "ville": "Kehl",
                    "pays": "Allemagne",
                },
                "requester": {
                    "first_name": "Paul",
                    "last_name": "Martin",
                    "email": "paul.martin@example.org",
                },
                "captcha": {"token": challenge["token"], "answer": answer},
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        number = response.json()["number"]
        [message] = self.emails()
        links = self.assert_portal_email(message)
        self.assertIn(f"{PUBLIC}/@@suivre-ma-demande?numero={number}", links)

    def test_public_url_in_the_control_panel(self):
        page = requests.get(
            f"{self.url}/@@eservices-settings",
            auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("Adresse publique du portail", page.text)
        self.assertIn(PUBLIC, page.text)


class TestEmailOutsideARequest(EmailTestCase):
    """A validation decided by a command (no web request): French, the
    public URL, the headers."""

    def test_validation_email_sent_by_a_command(self):
        from illkirch.eservices.accounts import validation
        from illkirch.eservices.accounts.households import household_of

        saved = getRequest()
        setRequest(None)
        self.addCleanup(setRequest, saved)
        transaction.begin()
        setSite(self.portal)
        with api.env.adopt_user(username="agent.accueil"):
            validation.validate(household_of("jerome.attente"), comment="")
        transaction.commit()
        [message] = self.emails()
        self.assertEqual(message["To"], "jerome.attente@example.org")
        self.assertEqual(message["Subject"], "Votre compte est validé")
        self.assertIn(
            "La ville a validé votre compte", message.get_body(("plain",)).get_content()
        )
        [link] = self.assert_portal_email(message)
        self.assertEqual(link, f"{PUBLIC}/@@mon-espace")

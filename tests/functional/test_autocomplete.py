"""Every citizen form names the purpose of its identity, address and
contact fields (``autocomplete``, WCAG 1.3.5), over HTTP: login and lost
password, each step of the registration, the account's forms, the
civil-status requester. Only the user's own data: another member's fields
(a child, a spouse) and the birth place (no token) say ``off``."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.sessions import cookie_session

import lxml.html
import re
import requests
import unittest


IDENTITY = {
    "first_name": "given-name",
    "last_name": "family-name",
    "birth_date": "bday",
    "birth_place": "off",
    "email": "email",
}
ADDRESS = {
    "street": "address-line1",
    "address_complement": "address-line2",
    "postal_code": "postal-code",
    "city": "address-level2",
    "phone": "tel",
    "mobile": "tel",
}
ANOTHER_MEMBER = {
    "first_name": "off",
    "last_name": "off",
    "birth_date": "off",
    "birth_place": "off",
    "email": "off",
    "phone": "off",
}
NEW_PASSWORD = {"password": "new-password", "password_confirm": "new-password"}
TOKEN = re.compile(r'name="_authenticator" value="([^"]+)"')


class TestAutocomplete(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.anonymous = requests.Session()
        self.addCleanup(self.anonymous.close)

    def fields(self, response, form_selector="//form[.//button or .//input]"):
        """``{name: autocomplete}`` of the text-like fields of the page's
        forms but the search box (hidden fields, choices and buttons have no
        purpose to name)."""
        self.assertEqual(response.status_code, 200, response.url)
        html = lxml.html.fromstring(response.text)
        found = {}
        for element in html.xpath(
            "//form[not(@id='searchGadget_form') and not(contains(@class, 'search'))]"
            "//input[not(@type='hidden' or @type='submit' or @type='checkbox'"
            " or @type='radio' or @type='button')]"
        ):
            if element.get("name") in ("SearchableText", "website"):
                continue  # the search box; the registration's honeypot
            found[element.get("name")] = element.get("autocomplete")
        return found

    def post_step(self, path, step, action, **data):
        page = self.anonymous.get(f"{self.url}{path}")
        token = TOKEN.search(page.text).group(1)
        return self.anonymous.post(
            f"{self.url}{path}",
            data={"_authenticator": token, "step": step, "action": action, **data},
        )

    def test_login_and_lost_password(self):
        self.assertEqual(
            self.fields(self.anonymous.get(f"{self.url}/login")),
            {"__ac_name": "username", "__ac_password": "current-password"},
        )
        self.assertEqual(
            self.fields(self.anonymous.get(f"{self.url}/@@mot-de-passe-oublie")),
            {"login": "username"},
        )

    def test_registration_steps(self):
        path = "/@@creer-un-compte"
        self.assertEqual(self.fields(self.anonymous.get(f"{self.url}{path}")), IDENTITY)
        # the later steps, reached backwards (« Étape précédente » checks nothing)
        self.assertEqual(
            self.fields(self.post_step(path, "household", "previous")), ADDRESS
        )
        self.assertEqual(
            self.fields(self.post_step(path, "validation", "previous")), NEW_PASSWORD
        )
        members = self.fields(self.post_step(path, "household", "add_member"))
        self.assertLessEqual(
            {"members.0.first_name", "members.0.last_name", "members.0.birth_date"},
            set(members),
        )
        self.assertEqual(set(members.values()), {"off"})

    def test_account_forms(self):
        amelie = cookie_session(self.url, *AMELIE)
        self.addCleanup(amelie.close)

        def fields(path):
            return self.fields(amelie.get(f"{self.url}{path}"))

        self.assertEqual(fields("/@@modifier-foyer"), ADDRESS)
        persons = {
            p.relationship: p.getId() for p in household_of("amelie.lire").persons()
        }
        holder = dict(IDENTITY, phone="tel")
        self.assertEqual(
            fields(f"/@@modifier-membre?membre={persons['holder']}"), holder
        )
        others = [pid for rel, pid in persons.items() if rel != "holder"]
        self.assertTrue(others)
        for person_id in others:
            self.assertEqual(
                fields(f"/@@modifier-membre?membre={person_id}"), ANOTHER_MEMBER
            )
        self.assertEqual(fields("/@@ajouter-membre"), ANOTHER_MEMBER)
        self.assertEqual(
            fields("/@@changer-mot-de-passe"),
            dict(NEW_PASSWORD, current_password="current-password"),
        )
        self.assertEqual(
            fields("/@@changer-courriel"),
            {"email": "email", "current_password": "current-password"},
        )

    def test_civil_status_requester(self):
        service = self.anonymous.get(f"{self.url}/demarches/acte-de-naissance")
        link = lxml.html.fromstring(service.text).xpath(
            "//a[normalize-space()='Faire la demande en ligne']/@href"
        )
        self.assertTrue(link)
        fields = self.fields(self.anonymous.get(link[0]))
        self.assertEqual(
            {name: token for name, token in fields.items() if name.startswith("r.")},
            {
                "r.first_name": "given-name",
                "r.last_name": "family-name",
                "r.email": "email",
                "r.phone": "tel",
            },
        )

"""The « Déclaration d'accessibilité » (#15) over HTTP: its sections in the
RGAA's order, its figures those of the committed audit
(accessibility/audit.json), its state the lower of the setting and the
audit's; ``GET /@accessibility`` gives the same facts. Both public."""

from illkirch.eservices.accessibility import statement
from illkirch.eservices.testing import FUNCTIONAL_TESTING
from illkirch.eservices.testing.sessions import rest_session
from plone import api

import lxml.html
import re
import requests
import transaction
import unittest


SECTIONS = [
    "État de conformité",
    "Résultats des tests",
    "Contenus non accessibles",
    "Établissement de cette déclaration",
    "Retour d'information et contact",
    "Voies de recours",
]
STATES = {
    "none": "non conforme",
    "partial": "partiellement conforme",
    "full": "totalement conforme",
}


def text(element):
    return re.sub(r"\s+", " ", element.text_content()).strip()


class TestAccessibilityStatement(unittest.TestCase):
    layer = FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.audit = statement.load()
        self.http = requests.Session()
        self.addCleanup(self.http.close)

    def set_compliance(self, value):
        api.portal.set_registry_record(
            "illkirch.eservices.accessibility_compliance", value
        )
        transaction.commit()

    def page(self):
        response = self.http.get(f"{self.url}/@@declaration-accessibilite")
        self.assertEqual(response.status_code, 200)
        return lxml.html.fromstring(response.text)

    def test_sections_and_figures_are_the_audit(self):
        html = self.page()
        self.assertEqual(text(html.xpath("//h1")[0]), "Déclaration d'accessibilité")
        self.assertEqual(
            [text(h2) for h2 in html.xpath("//div[@class='eservices-statement']//h2")],
            SECTIONS,
        )
        results = text(html.get_element_by_id("statement-results"))
        facts = statement.statement("none", self.audit)
        rate = f"{facts['rate']:.1f}".rstrip("0").rstrip(".").replace(".", ",")
        self.assertIn(f"{rate} % des règles vérifiées", results)
        self.assertIn(
            f"{facts['results']['rules_respected']} règles sur "
            f"{facts['results']['rules']}",
            results,
        )
        self.assertIn(f"{facts['results']['pages']} pages vérifiées", results)
        self.assertIn(
            f"{facts['results']['violations']} violation(s) relevée(s)", results
        )
        day = facts["date"][:10].split("-")
        self.assertIn(f"{day[2]}/{day[1]}/{day[0]}", results)
        self.assertIn(
            f"axe-core {self.audit['axe_core']}",
            text(html.get_element_by_id("statement-tools")),
        )
        self.assertIn(
            f"Chromium {self.audit['chromium']}",
            text(html.get_element_by_id("statement-environment")),
        )
        listed = html.get_element_by_id("statement-pages").xpath("li/code/text()")
        self.assertEqual(listed, [page["path"] for page in facts["pages"]])
        known = self.audit["known_issues"]
        for kind, list_id in (
            ("non_compliant", "statement-non-compliant"),
            ("derogations", "statement-derogations"),
            ("exempt", "statement-exempt"),
        ):
            if not known.get(kind):
                continue
            items = [text(li) for li in html.get_element_by_id(list_id).xpath("li")]
            for issue in known[kind]:
                self.assertIn(f"{issue['title']} : {issue['detail']}", items)

    def test_contact_and_remedies(self):
        html = self.page()
        contact = html.get_element_by_id("statement-contact")
        self.assertEqual(
            contact.xpath(".//a[starts-with(@href, 'mailto:')]/@href"),
            ["mailto:accueil@illkirch.example"],
        )
        self.assertIn("181 route de Lyon", text(contact))
        remedies = html.get_element_by_id("statement-remedies")
        self.assertEqual(
            remedies.xpath(".//a/@href"),
            [
                "https://formulaire.defenseurdesdroits.fr/",
                "https://www.defenseurdesdroits.fr/saisir/delegues",
            ],
        )
        self.assertIn(
            "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07",
            text(remedies),
        )

    def test_state_never_exceeds_the_audit(self):
        audited = statement.audited_state(self.audit)
        for setting in ("none", "partial", "full"):
            self.set_compliance(setting)
            claimed = min(setting, audited, key=statement.STATES.index)
            html = self.page()
            state = html.xpath("//p[@class='eservices-statement-state']")[0]
            self.assertEqual(state.get("data-state"), claimed, setting)
            self.assertIn(f"est {STATES[claimed]} avec", text(state))
            footer = html.xpath("//li[@id='footer-link-accessibility']/a")[0]
            self.assertEqual(text(footer), f"Accessibilité : {STATES[claimed]}")
        # a « totalement conforme » setting is lowered by what the audit knows
        if self.audit["known_issues"].get("non_compliant"):
            self.assertEqual(audited, "partial")

    def test_rest_gives_the_same_facts(self):
        self.set_compliance("full")
        session = rest_session(self.url)
        self.addCleanup(session.close)
        response = session.get(f"{self.url}/@accessibility")
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        facts = statement.statement("full", self.audit)
        self.assertEqual(data["@id"], f"{self.url}/@accessibility")
        for key in ("state", "state_audit", "rate", "date", "results", "pages"):
            self.assertEqual(data[key], facts[key], key)
        self.assertEqual(data["state_setting"], "full")
        self.assertEqual(data["state_title"], STATES[facts["state"]])
        self.assertEqual(data["axe_core"], self.audit["axe_core"])
        self.assertEqual(
            data["non_compliant"], self.audit["known_issues"]["non_compliant"]
        )
        self.assertEqual(data["contact"]["email"], "accueil@illkirch.example")
        self.assertEqual(
            data["remedies"]["address"],
            ["Défenseur des droits", "Libre réponse 71120", "75342 Paris CEDEX 07"],
        )

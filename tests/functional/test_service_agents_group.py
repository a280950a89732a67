"""A service's agents' group (issue 13, items 1, 2 and 15).

- Only the groups the site's administrators designated as the town's
  agents' groups (« Espace citoyen » settings) may process a service: the
  REST ``PATCH`` and the edit form refuse any other group in French.
- Changing the group moves the access to the requests already filed: the
  old group's agents lose them (read, transitions, the Guichet's searches),
  the new group's agents get them.
- An anonymous JSON ``GET`` of a service answers without a trace.
"""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import EDITOR
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.requests import periscolaire_filing
from illkirch.eservices.testing.sessions import ACCEPT_JSON
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import lxml.html
import requests
import unittest


REFUSED = (401, 403, 404)
SERVICE = "inscription-periscolaire"
# Groups that are no agents' groups of the town.
NOT_AGENTS = (
    "AuthenticatedUsers",
    "Administrators",
    "Site Administrators",
    "Reviewers",
    "Regies",
    "no-such-group",
)


class ServiceTestCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.service_url = f"{self.url}/demarches/{SERVICE}"
        self.admin = self.session()
        self.admin.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)

    def session(self, account=None):
        session = rest_session(self.url, *(account or ()))
        self.addCleanup(session.close)
        return session

    def group(self):
        response = self.admin.get(self.service_url)
        self.assertEqual(response.status_code, 200, response.text)
        value = response.json()["agents_group"]
        return value["token"] if isinstance(value, dict) else value


class TestOnlyAgentsGroups(ServiceTestCase):
    """Item 1: an editor cannot open a service's requests to anyone."""

    def test_rest_patch_refuses_other_groups_in_french(self):
        editor = self.session(EDITOR)
        for group in NOT_AGENTS:
            response = editor.patch(self.service_url, json={"agents_group": group})
            self.assertEqual(response.status_code, 400, f"{group}: {response.text}")
            self.assertIn(
                f"« {group} » n'est pas un groupe d'agents de la ville",
                response.json()["message"],
                group,
            )
            self.assertEqual(self.group(), "agents-enfance", group)

    def test_rest_patch_accepts_a_designated_group(self):
        editor = self.session(EDITOR)
        response = editor.patch(
            self.service_url, json={"agents_group": "agents-voirie"}
        )
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(self.group(), "agents-voirie")

    def test_a_new_service_takes_a_designated_group_only(self):
        editor = self.session(EDITOR)
        base = {
            "@type": "Service",
            "title": "Prêt de salle",
            "category": "Cadre de vie",
            "concerns": "none",
        }
        response = editor.post(
            f"{self.url}/demarches", json={**base, "agents_group": "AuthenticatedUsers"}
        )
        self.assertEqual(response.status_code, 400, response.text)
        self.assertIn(
            "« AuthenticatedUsers » n'est pas un groupe d'agents",
            response.json()["message"],
        )
        response = editor.post(f"{self.url}/demarches", json=base)
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(
            self.admin.get(response.json()["@id"]).json()["agents_group"]["token"],
            "Agents",
        )

    def test_the_vocabulary_lists_the_designated_groups_only(self):
        response = self.session(EDITOR).get(
            f"{self.service_url}/@vocabularies/illkirch.eservices.AgentsGroups"
        )
        self.assertEqual(response.status_code, 200, response.text)
        tokens = {item["token"] for item in response.json()["items"]}
        self.assertEqual(
            tokens, {"Agents", "agents-enfance", "agents-population", "agents-voirie"}
        )
        # not for citizens nor anonymous visitors
        for account in (AMELIE, None):
            response = self.session(account).get(
                f"{self.service_url}/@vocabularies/illkirch.eservices.AgentsGroups"
            )
            self.assertIn(response.status_code, (401, 403), response.text)
            self.assertNotIn("agents-enfance", response.text)

    def edit_form(self, browser):
        """The values the edit form would send as it is shown."""
        page = browser.get(f"{self.service_url}/@@edit")
        self.assertEqual(page.status_code, 200)
        document = lxml.html.fromstring(page.text)
        form = next(
            f
            for f in document.forms
            if f.get_element_by_id("form-widgets-agents_group", None) is not None
        )
        options = set(
            form.xpath(".//select[@id='form-widgets-agents_group']/option/@value")
        )
        values = [
            (name, value)
            for name, value in form.form_values()
            if name != "form.widgets.agents_group:list"
        ]
        return options, values + [("form.buttons.save", "Enregistrer")]

    def test_the_edit_form_offers_and_accepts_designated_groups_only(self):
        browser = requests.Session()
        self.addCleanup(browser.close)
        browser.auth = EDITOR
        options, values = self.edit_form(browser)
        self.assertEqual(
            options - {"--NOVALUE--"},
            {"Agents", "agents-enfance", "agents-population", "agents-voirie"},
        )
        for group in NOT_AGENTS:
            response = browser.post(
                f"{self.service_url}/@@edit",
                data=[*values, ("form.widgets.agents_group:list", group)],
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn(
                f"« {group} » n'est pas un groupe d'agents de la ville", response.text
            )
            self.assertEqual(self.group(), "agents-enfance")
        browser.post(
            f"{self.service_url}/@@edit",
            data=[*values, ("form.widgets.agents_group:list", "agents-voirie")],
        )
        self.assertEqual(self.group(), "agents-voirie")


class TestGroupChangeMovesAccess(ServiceTestCase):
    """Item 2: the requests already filed follow the service's group."""

    def setUp(self):
        super().setUp()
        child = next(
            p for p in household_of("amelie.lire").persons() if p.member_type == "child"
        )
        response = self.session(AMELIE).post(
            f"{self.url}/@requests", json=periscolaire_filing(child.getId())
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.filed = response.json()
        self.request_url = self.filed["@id"]

    def set_group(self, group):
        response = self.admin.patch(self.service_url, json={"agents_group": group})
        self.assertEqual(response.status_code, 204, response.text)

    def assert_no_access(self, account):
        agent = self.session(account)
        for method, url in (
            ("GET", self.request_url),
            ("GET", f"{self.request_url}/@workflow"),
            ("GET", f"{self.request_url}/@attachments"),
            ("POST", f"{self.request_url}/@workflow/ask_documents"),
            ("POST", f"{self.request_url}/@workflow/mark_complete"),
        ):
            response = agent.request(
                method,
                url,
                json={"comment": "Il manque."} if method == "POST" else None,
            )
            self.assertIn(
                response.status_code,
                REFUSED,
                f"{account[0]} {method} {url}: {response.text[:200]}",
            )
        found = agent.get(
            f"{self.url}/@search", params={"request_number": self.filed["number"]}
        ).json()
        self.assertEqual(found["items_total"], 0, account[0])
        queue = agent.get(f"{self.url}/@requests").json()
        self.assertNotIn(
            self.filed["number"],
            [item.get("number") for item in queue.get("items", [])],
        )

    def assert_processes(self, account, transition):
        agent = self.session(account)
        response = agent.get(self.request_url)
        self.assertEqual(response.status_code, 200, response.text)
        found = agent.get(
            f"{self.url}/@search", params={"request_number": self.filed["number"]}
        ).json()
        self.assertEqual(found["items_total"], 1, account[0])
        queue = agent.get(f"{self.url}/@requests").json()
        self.assertIn(
            self.filed["number"], [item.get("number") for item in queue["items"]]
        )
        response = agent.post(
            f"{self.request_url}/@workflow/{transition}", json={"comment": "Vu."}
        )
        self.assertEqual(response.status_code, 200, response.text)

    def assignee(self):
        return self.admin.get(self.request_url).json().get("assignee") or ""

    def test_both_directions(self):
        self.assert_processes(AGENT, "mark_complete")
        self.assert_no_access(VOIRIE)
        response = self.session(AGENT).post(
            f"{self.request_url}/@assign", json={"assignee": "me"}
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.assignee(), "agent.accueil")
        self.set_group("agents-voirie")
        # the old group's agent is no longer its assignee
        self.assertEqual(self.assignee(), "")
        self.assert_no_access(AGENT)
        self.assert_processes(VOIRIE, "accept")
        self.set_group("agents-enfance")
        self.assert_no_access(VOIRIE)
        self.assert_processes(AGENT, "close")


class TestAnonymousJsonGet(ServiceTestCase):
    """Item 15: no 500 nor permission list for an anonymous JSON GET."""

    def test_anonymous_json_get_of_a_service(self):
        for url in (self.service_url, f"{self.url}/demarches"):
            response = requests.get(url, headers=ACCEPT_JSON)
            self.assert_public_json(response, url)

    def test_citizens_and_agents_json_get_of_a_service(self):
        # easyform's error struck everyone but a Manager
        for account in (AMELIE, AGENT, EDITOR):
            response = self.session(account).get(self.service_url)
            self.assertEqual(response.status_code, 200, response.text[:500])
            self.assertEqual(response.json()["title"], "Inscription périscolaire")
            self.assertEqual("agents_group" in response.json(), account == EDITOR)

    def assert_public_json(self, response, url):
        self.assertIn(response.status_code, (200, 401), response.text[:500])
        self.assertNotIn("Traceback", response.text)
        self.assertNotIn("permission", response.text.lower())
        if response.status_code == 200 and url == self.service_url:
            data = response.json()
            self.assertEqual(data["title"], "Inscription périscolaire")
            self.assertNotIn("agents_group", data)
            self.assertNotIn("actions_model", data)

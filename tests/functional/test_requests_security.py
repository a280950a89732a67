"""Who reaches a request over REST: its citizen and the agents of its
service's group only. Another household, an anonymous visitor and an agent
of another group get 401, 403 or 404 on every route (never its data); the
citizen cannot process her own request nor change what the portal wrote."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import periscolaire_filing
from illkirch.eservices.testing.requests import upload
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import unittest


REFUSED = (401, 403, 404)
# What the request holds: none of it may appear in a refusal.
SECRETS = ("Léo", "École élémentaire Sud", "assurance.pdf", "%PDF", "Restauration")


class TestRequestsSecurity(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        child = next(
            p for p in household_of("amelie.lire").persons() if p.member_type == "child"
        )
        self.amelie = self.session(AMELIE)
        response = self.amelie.post(
            f"{self.url}/@requests", json=periscolaire_filing(child.getId())
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.filed = response.json()
        self.request_url = self.filed["@id"]
        attachments = self.amelie.get(f"{self.request_url}/@attachments").json()
        self.download_url = attachments["items"][0]["@id"]
        self.admin = rest_session(self.url)
        self.admin.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        self.addCleanup(self.admin.close)

    def session(self, account=None):
        session = rest_session(self.url, *(account or ()))
        self.addCleanup(session.close)
        return session

    def stored(self):
        """The request as it is, read by the site's administrator."""
        response = self.admin.get(self.request_url)
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        attachments = self.admin.get(f"{self.request_url}/@attachments").json()
        return {
            key: data[key]
            for key in (
                "number",
                "service_uid",
                "service_title",
                "member_id",
                "member_name",
                "answers",
                "review_state",
                "by_post",
            )
        } | {"attachments": [a["id"] for a in attachments["items"]]}

    def assert_refused(self, response, what):
        self.assertIn(response.status_code, REFUSED, f"{what}: {response.text[:300]}")
        for secret in SECRETS:
            self.assertNotIn(secret, response.text, what)
        self.assertNotIn(b"%PDF", response.content, what)

    def routes(self):
        uid = self.filed["UID"]
        number = self.filed["number"]
        attachments = f"{self.request_url}/@attachments"
        new_document = {"documents": [upload("carnet-de-vaccination", "x.pdf", pdf())]}
        return (
            ("GET", self.request_url, None),
            ("GET", f"{self.request_url}/@workflow", None),
            ("GET", f"{self.request_url}/@history", None),
            ("GET", f"{self.request_url}/@sharing", None),
            ("GET", f"{self.url}/resolveuid/{uid}", None),
            ("GET", attachments, None),
            ("GET", self.download_url, None),
            ("POST", attachments, new_document),
            ("POST", f"{self.request_url}/@workflow/ask_documents", {"comment": "x"}),
            ("POST", f"{self.request_url}/@workflow/mark_complete", {}),
            ("POST", f"{self.request_url}/@workflow/resubmit", {}),
            ("PATCH", self.request_url, {"number": f"{number}-bis"}),
            ("DELETE", self.request_url, None),
        )

    def assert_locked_out(self, session, who):
        before = self.stored()
        for method, url, body in self.routes():
            response = session.request(method, url, json=body)
            self.assert_refused(response, f"{who}: {method} {url}")
        # not found by search, by UID, number or id, nor in their list
        for query in (
            {"UID": self.filed["UID"]},
            {"request_number": self.filed["number"]},
            {"id": self.filed["number"]},
            {"portal_type": "Request"},
        ):
            response = session.get(f"{self.url}/@search", params=query)
            if response.status_code == 200:
                self.assertEqual(response.json()["items_total"], 0, (who, query))
            else:
                self.assert_refused(response, f"{who}: @search {query}")
        self.assertEqual(self.stored(), before, who)

    def test_another_household(self):
        jerome = self.session(JEROME)
        self.assert_locked_out(jerome, "jérôme")
        self.assertEqual(jerome.get(f"{self.url}/@requests").json()["items"], [])

    def test_anonymous(self):
        self.assert_locked_out(self.session(), "anonymous")

    def test_an_agent_of_another_group(self):
        self.assert_locked_out(self.session(VOIRIE), "agent.voirie")

    def test_another_household_while_the_request_waits_for_documents(self):
        asked = self.session(AGENT).post(
            f"{self.request_url}/@workflow/ask_documents",
            json={"comment": "Il manque une page."},
        )
        self.assertEqual(asked.status_code, 200, asked.text)
        self.assert_locked_out(self.session(JEROME), "jérôme")

    def test_the_agent_of_the_group_reads_it(self):
        agent = self.session(AGENT)
        self.assertEqual(agent.get(self.request_url).status_code, 200)
        self.assertEqual(agent.get(self.download_url).content, pdf())
        found = agent.get(
            f"{self.url}/@search", params={"request_number": self.filed["number"]}
        ).json()
        self.assertEqual(found["items_total"], 1)
        # but changes nothing the portal wrote
        before = self.stored()
        response = agent.patch(self.request_url, json={"number": "2000-000001"})
        self.assertIn(response.status_code, (401, 403), response.text)
        self.assertEqual(self.stored(), before)

    def test_the_citizen_reads_her_request(self):
        response = self.amelie.get(self.request_url)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["number"], self.filed["number"])
        download = self.amelie.get(self.download_url)
        self.assertEqual(download.status_code, 200)
        self.assertTrue(
            download.headers["Content-Disposition"].startswith("attachment;")
        )
        self.assertEqual(download.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(download.headers["Content-Type"], "application/pdf")

    def test_the_citizen_cannot_process_her_request(self):
        before = self.stored()
        for transition in (
            "mark_complete",
            "accept",
            "reject",
            "ask_documents",
            "close",
        ):
            response = self.amelie.post(
                f"{self.request_url}/@workflow/{transition}", json={"comment": "Oui"}
            )
            self.assertIn(
                response.status_code, (400, 401, 403), f"{transition}: {response.text}"
            )
        self.assertEqual(self.stored(), before)
        self.assertEqual(before["review_state"], "submitted")

    def test_the_citizen_cannot_change_what_the_portal_wrote(self):
        before = self.stored()
        for change in (
            {"number": "2000-000001"},
            {"service_uid": "0" * 32},
            {"service_title": "Autre"},
            {"member_id": "quelquun"},
            {"member_name": "Quelqu'un"},
            {
                "answers": [
                    {
                        "name": "classe",
                        "label": "Classe",
                        "value": "CM2",
                        "display": "CM2",
                    }
                ]
            },
            {"review_state": "accepted"},
            {"by_post": True},
        ):
            response = self.amelie.patch(self.request_url, json=change)
            self.assertIn(
                response.status_code, (401, 403), f"{change}: {response.text}"
            )
            self.assertEqual(self.stored(), before, change)
        self.assertEqual(self.amelie.delete(self.request_url).status_code, 401)
        self.assertEqual(self.stored(), before)

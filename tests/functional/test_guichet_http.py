"""The Guichet over HTTP: its page, its CSV and its REST routes, and who
reaches what. An agent of another group gets 401, 403 or 404 on the
requests of a service they do not process (pages, downloads, REST) and
never finds them in their queue; a citizen gets nothing from the Guichet
and only her own requests from ``GET /@requests``; the page's actions need
plone.protect's token."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.requests import PERISCOLAIRE_REQUIRED_ANSWERS
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.sessions import rest_session
from urllib.parse import unquote

import base64
import csv
import io
import re
import requests
import unittest


REFUSED = (401, 403, 404)
SECRETS = ("Léo Lire", "assurance.pdf", "%PDF", "École élémentaire Sud")


class GuichetHTTPTestCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.sink = self.layer["mailsink"]
        child = next(
            p for p in household_of("amelie.lire").persons() if p.member_type == "child"
        )
        response = self.session(AMELIE).post(
            f"{self.url}/@requests",
            json={
                "service": "inscription-periscolaire",
                "member": child.getId(),
                "answers": PERISCOLAIRE_REQUIRED_ANSWERS,
                "by_post": True,
                "documents": [
                    {
                        "document": "attestation-dassurance-scolaire",
                        "filename": "assurance.pdf",
                        "data": base64.b64encode(pdf()).decode("ascii"),
                    }
                ],
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.leo = response.json()
        attachments = self.session(AMELIE).get(self.leo["attachments"]["@id"]).json()
        self.download = attachments["items"][0]
        response = self.session(JEROME).post(
            f"{self.url}/@requests",
            json={
                "service": "signalement-voie-publique",
                "answers": SIGNALEMENT_ANSWERS,
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.street = response.json()

    def session(self, account=None):
        session = rest_session(self.url, *(account or ()))
        self.addCleanup(session.close)
        return session

    def browser(self, account):
        """A session of pages and forms (no JSON headers), logged in."""
        session = requests.Session()
        token = self.session(account).headers["Authorization"]
        session.headers["Authorization"] = token
        self.addCleanup(session.close)
        return session

    def state(self, item):
        data = self.session(AGENT if item is self.leo else VOIRIE).get(item["@id"])
        self.assertEqual(data.status_code, 200, data.text)
        return data.json()["review_state"], data.json()["assignee"] or None

    def authenticator(self, session):
        html = session.get(f"{self.url}/@@guichet").text
        match = re.search(r'name="_authenticator" value="([^"]+)"', html)
        self.assertIsNotNone(match, "no CSRF token in the page")
        return match.group(1)

    def assert_refused(self, response, what):
        self.assertIn(response.status_code, REFUSED, f"{what}: {response.text[:300]}")
        for secret in SECRETS:
            self.assertNotIn(secret, response.text, what)

    def assert_login_asked_or_refused(self, response, what):
        self.assertIn(response.status_code, (302, 401, 403), what)
        if response.status_code == 302:
            self.assertIn("require_login", unquote(response.headers["Location"]), what)
        for secret in SECRETS + (self.leo["UID"],):
            self.assertNotIn(secret, response.text, what)


class TestAnotherGroup(GuichetHTTPTestCase):
    def test_pages_downloads_and_rest_are_refused(self):
        voirie, pages = self.session(VOIRIE), self.browser(VOIRIE)
        token = self.authenticator(pages)
        leo = self.leo["@id"]
        before = self.state(self.leo)
        for method, url, data in (
            ("GET", leo, None),
            ("GET", f"{leo}/view", None),
            ("GET", f"{leo}/@@piece-jointe/{self.download['id']}", None),
            ("POST", f"{leo}/@@assigner", {"_authenticator": token, "assignee": "me"}),
            (
                "POST",
                f"{leo}/@@changer-statut",
                {"_authenticator": token, "transition": "mark_complete"},
            ),
        ):
            response = pages.request(method, url, data=data, allow_redirects=False)
            self.assert_login_asked_or_refused(response, f"page {method} {url}")
        for method, url, body in (
            ("GET", leo, None),
            ("GET", f"{leo}/@attachments", None),
            ("GET", self.download["@id"], None),
            ("GET", f"{leo}/@workflow", None),
            ("POST", f"{leo}/@workflow/mark_complete", {}),
            ("POST", f"{leo}/@assign", {"assignee": "me"}),
        ):
            response = voirie.request(method, url, json=body, allow_redirects=False)
            self.assert_refused(response, f"REST {method} {url}")
        # in bulk, it is "not found", as a request that does not exist
        response = voirie.post(
            f"{self.url}/@requests-bulk",
            json={"uids": [self.leo["UID"], "0" * 32], "transition": "mark_complete"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        self.assertEqual(data["done"], [])
        [leo, missing] = data["refused"]
        self.assertEqual(
            leo, {"uid": self.leo["UID"], "number": None, "message": missing["message"]}
        )
        self.assertEqual(self.state(self.leo), before)
        self.assertEqual(before, ("submitted", None))

    def test_the_queue_lists_none_of_them(self):
        voirie, pages = self.session(VOIRIE), self.browser(VOIRIE)
        number, uid = self.leo["number"], self.leo["UID"]
        html = pages.get(f"{self.url}/@@guichet").text
        self.assertIn(self.street["number"], html)
        self.assertNotIn(number, html)
        for params in (
            {},
            {"number": number},
            {"q": "Léo Lire"},
            {"review_state": "submitted"},
        ):
            data = voirie.get(f"{self.url}/@requests", params=params).json()
            self.assertNotIn(number, [item["number"] for item in data["items"]], params)
            html = pages.get(f"{self.url}/@@guichet", params=params).text
            self.assertNotIn(uid, html, params)
            self.assertNotIn(self.leo["@id"], html, params)
            exported = voirie.get(f"{self.url}/@requests-export", params=params)
            self.assertEqual(exported.status_code, 200)
            self.assertNotIn(number, exported.content.decode("utf-8-sig"))
        data = voirie.get(f"{self.url}/@requests").json()
        self.assertEqual([i["number"] for i in data["items"]], [self.street["number"]])
        self.assertEqual(data["counts"]["submitted"], 1)
        response = voirie.get(
            f"{self.url}/@requests", params={"service": "inscription-periscolaire"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["errors"][0]["field"], "service")


class TestCitizens(GuichetHTTPTestCase):
    def test_no_guichet_for_citizens(self):
        for account in (AMELIE, JEROME, None):
            session = self.session(account) if account else self.session()
            pages = self.browser(account) if account else requests.Session()
            who = account[0] if account else "anonymous"
            for url in (
                f"{self.url}/@@guichet",
                f"{self.url}/@@guichet-export.csv",
                f"{self.url}/@@guichet?service=inscription-periscolaire",
            ):
                response = pages.get(url, allow_redirects=False)
                self.assert_login_asked_or_refused(response, f"{who} {url}")
            response = pages.post(
                f"{self.url}/@@guichet",
                allow_redirects=False,
                data={"uids:list": self.leo["UID"], "transition": "mark_complete"},
            )
            self.assert_login_asked_or_refused(response, f"{who} POST @@guichet")
            for method, url, kwargs in (
                (
                    "POST",
                    f"{self.url}/@requests-bulk",
                    {
                        "json": {
                            "uids": [self.leo["UID"]],
                            "transition": "mark_complete",
                        }
                    },
                ),
                ("GET", f"{self.url}/@requests-export", {}),
                ("GET", f"{self.url}/@requests", {"headers": {"Accept": "text/csv"}}),
                ("POST", f"{self.leo['@id']}/@assign", {"json": {"assignee": "me"}}),
            ):
                response = session.request(method, url, allow_redirects=False, **kwargs)
                self.assertIn(response.status_code, REFUSED, f"{who} {method} {url}")
                self.assertNotIn("Léo Lire", response.text)
        self.assertEqual(self.state(self.leo), ("submitted", None))

    def test_get_requests_never_widens_a_household(self):
        amelie = self.session(AMELIE)
        for params in (
            {"service": "signalement-voie-publique", "review_state": "submitted"},
            {"number": self.street["number"]},
            {"q": "Jérôme Attente", "assignee": "none", "late": "0"},
        ):
            data = amelie.get(f"{self.url}/@requests", params=params).json()
            # the agents' parameters (q, assignee, late) are ignored
            self.assertLessEqual(
                {item["number"] for item in data["items"]}, {self.leo["number"]}, params
            )
            self.assertNotIn("counts", data)
        data = amelie.get(
            f"{self.url}/@requests",
            params={"service": "inscription-periscolaire", "review_state": "submitted"},
        ).json()
        self.assertEqual(
            [item["number"] for item in data["items"]], [self.leo["number"]]
        )
        # the list's item is the filing's answer, with its unread messages
        self.assertEqual(data["items"][0], {**self.leo, "unread_messages": 0})
        response = amelie.get(f"{self.url}/@requests", params={"to": "31/02/2026"})
        self.assertEqual(response.status_code, 400)


class TestAgentOverHTTP(GuichetHTTPTestCase):
    def test_queue_assign_bulk_and_export_over_rest(self):
        agent = self.session(AGENT)
        data = agent.get(
            f"{self.url}/@requests",
            params={"service": "inscription-periscolaire", "b_size": 10},
        ).json()
        [item] = data["items"]
        self.assertEqual(item["number"], self.leo["number"])
        self.assertEqual(item["requester_name"], "Amélie Lire")
        self.assertRegex(item["due_date"], r"^\d{4}-\d\d-\d\d$")
        self.assertIs(item["late"], False)
        self.assertIsNone(item["assignee"])
        self.assertEqual(data["counts"]["submitted"], 1)
        # assign to oneself, then in bulk mark complete and accept
        response = agent.post(f"{self.leo['@id']}/@assign", json={"assignee": "me"})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            response.json()["assignee"],
            {"id": "agent.accueil", "fullname": "Claire Guichet (agent)"},
        )
        response = agent.post(
            f"{self.leo['@id']}/@assign", json={"assignee": "agent.voirie"}
        )
        self.assertEqual(response.status_code, 400)
        mine = agent.get(f"{self.url}/@requests", params={"assignee": "me"}).json()
        self.assertEqual([i["number"] for i in mine["items"]], [self.leo["number"]])
        for transition in ("mark_complete", "accept"):
            response = agent.post(
                f"{self.url}/@requests-bulk",
                json={
                    "uids": [self.leo["UID"]],
                    "transition": transition,
                    "comment": "Inscription enregistrée.",
                },
            )
            self.assertEqual(response.status_code, 200, response.text)
            self.assertEqual(
                [d["number"] for d in response.json()["done"]], [self.leo["number"]]
            )
        self.assertEqual(self.state(self.leo), ("accepted", "agent.accueil"))
        response = agent.post(
            f"{self.url}/@requests-bulk",
            json={"uids": [self.leo["UID"]], "transition": "reject"},
        )
        self.assertEqual(response.status_code, 400)
        # the CSV, by its own route and by content negotiation
        for response in (
            agent.get(
                f"{self.url}/@requests-export", params={"review_state": "accepted"}
            ),
            agent.get(
                f"{self.url}/@requests",
                params={"review_state": "accepted"},
                headers={"Accept": "text/csv"},
            ),
        ):
            self.assertEqual(response.status_code, 200, response.text)
            self.assertEqual(
                response.headers["Content-Type"], "text/csv; charset=utf-8"
            )
            self.assertTrue(
                response.headers["Content-Disposition"].startswith(
                    'attachment; filename="guichet-'
                )
            )
            self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))
            rows = list(
                csv.reader(
                    io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"
                )
            )
            self.assertEqual(rows[0][0], "Numéro")
            self.assertEqual([row[0] for row in rows[1:]], [self.leo["number"]])
            self.assertEqual(rows[1][8], "Claire Guichet (agent)")
        response = agent.get(f"{self.url}/@requests-export", params={"from": "demain"})
        self.assertEqual(response.status_code, 400)

    def test_batches(self):
        agent = self.session(AGENT)
        for _ in range(2):
            response = self.session(AMELIE).post(
                f"{self.url}/@requests",
                json={
                    "service": "rendez-vous-passeport-cni",
                    "member": next(
                        p
                        for p in household_of("amelie.lire").persons()
                        if p.member_type == "adult"
                    ).getId(),
                    "answers": PASSPORT_ANSWERS,
                },
            )
            self.assertEqual(response.status_code, 201, response.text)
        first = agent.get(
            f"{self.url}/@requests", params={"b_size": 2, "sort_on": "number"}
        ).json()
        self.assertEqual(first["items_total"], 3)
        self.assertEqual(first["items"][0]["number"], self.leo["number"])
        self.assertIn("next", first["batching"])
        second = agent.get(first["batching"]["next"]).json()
        self.assertEqual(len(second["items"]), 1)
        self.assertEqual(second["counts"], first["counts"])


class TestGuichetPage(GuichetHTTPTestCase):
    def test_the_page_lists_filters_and_links(self):
        agent = self.browser(AGENT)
        response = agent.get(
            f"{self.url}/@@guichet", params={"review_state": "submitted"}
        )
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn(self.leo["number"], html)
        self.assertNotIn(self.street["number"], html)
        self.assertIn(f'href="{self.leo["@id"]}"', html)
        self.assertIn('aria-sort="descending"', html)
        self.assertIn("@@guichet-export.csv?review_state=submitted", html)
        self.assertIn("eservices-status eservices-status-submitted", html)
        self.assertIn(f'id="select-{self.leo["number"]}"', html)
        total = re.search(r'<p id="guichet-total"[^>]*>\s*(\d+)', html)
        self.assertEqual(total.group(1), str(html.count('id="select-')))
        response = agent.get(
            f"{self.url}/@@guichet", params={"from": "2026-12-01", "to": "2026-11-01"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="guichet-to-error"', response.text)
        self.assertIn('aria-invalid="true"', response.text)
        exported = agent.get(
            f"{self.url}/@@guichet-export.csv", params={"review_state": "submitted"}
        )
        self.assertEqual(exported.status_code, 200)
        self.assertTrue(
            exported.headers["Content-Disposition"].startswith("attachment;")
        )
        self.assertIn(self.leo["number"], exported.content.decode("utf-8-sig"))

    def test_bulk_needs_the_csrf_token(self):
        agent = self.browser(AGENT)
        form = {
            "uids:list": self.leo["UID"],
            "transition": "mark_complete",
            "comment": "",
            "bulk": "transition",
            "query": "review_state=submitted",
        }
        response = agent.post(f"{self.url}/@@guichet", data=form, allow_redirects=False)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.state(self.leo), ("submitted", None))
        form["_authenticator"] = self.authenticator(agent)
        response = agent.post(f"{self.url}/@@guichet", data=form, allow_redirects=False)
        self.assertEqual(response.status_code, 302, response.text[-3000:])
        self.assertEqual(
            response.headers["Location"], f"{self.url}/@@guichet?review_state=submitted"
        )
        self.assertEqual(self.state(self.leo), ("complete", None))
        form["bulk"] = "assign"
        response = agent.post(f"{self.url}/@@guichet", data=form, allow_redirects=False)
        self.assertEqual(self.state(self.leo), ("complete", "agent.accueil"))
        # assigning from the request's page, without then with the token
        response = agent.post(
            f"{self.leo['@id']}/@@assigner",
            data={"assignee": ""},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 403)
        response = agent.post(
            f"{self.leo['@id']}/@@assigner",
            allow_redirects=False,
            data={"assignee": "", "_authenticator": form["_authenticator"]},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.state(self.leo), ("complete", None))

"""50 requests filed at once through ``POST /@requests``.

Ten clients, each with its own logged-in session (Amélie and Jérôme, two
households), file 50 requests against the running test server. The
transactions that take the same number (or add to the same household)
conflict and Zope's publisher retries them: every request must be stored
once, with its own number, and listed afterwards.

The server retries as the instance does (``max-conflict-retries`` of
``templates/instance/zope.conf.in``, 10), not with Zope's default of 3: a
submission is a long transaction (answers, files, catalog, email), and with
3 retries a few of 50 simultaneous submissions give up (500).
"""

from concurrent.futures import ThreadPoolExecutor
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.requests.numbering import parse_number
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import STREETLIGHT_ANSWERS
from illkirch.eservices.testing.sessions import rest_session
from pathlib import Path
from threading import Lock
from threading import local
from ZODB.POSException import ConflictError
from zope.component import getGlobalSiteManager
from ZPublisher.HTTPRequest import HTTPRequest
from ZPublisher.interfaces import IPubBeforeAbort

import base64
import json
import re
import unittest


REQUESTS = 50
WORKERS = 10
ZOPE_CONF = Path(__file__).parents[2] / "templates" / "instance" / "zope.conf.in"


def instance_conflict_retries():
    """``max-conflict-retries`` of the instance's zope.conf."""
    match = re.search(
        r"^max-conflict-retries\s+(\d+)", ZOPE_CONF.read_text(), re.MULTILINE
    )
    return int(match.group(1)) if match else HTTPRequest.retry_max_count


class TestRequestsConcurrency(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        child = next(
            p for p in household_of("amelie.lire").persons() if p.member_type == "child"
        )
        document = base64.b64encode(pdf()).decode("ascii")
        self.bodies = {
            AMELIE: {
                "service": "inscription-periscolaire",
                "member": child.getId(),
                "answers": {
                    "ecole": "École maternelle Sud",
                    "classe": "CP",
                    "accueils": ["Mercredi"],
                    "date_debut": "2027-09-01",
                },
                "documents": [
                    {
                        "document": "attestation-dassurance-scolaire",
                        "filename": "assurance.pdf",
                        "data": document,
                    },
                    {
                        "document": "carnet-de-vaccination",
                        "filename": "vaccins.pdf",
                        "data": document,
                    },
                ],
            },
            JEROME: {
                "service": "signalement-voie-publique",
                "answers": STREETLIGHT_ANSWERS,
            },
        }
        self.local = local()
        self.sessions = []
        self.lock = Lock()
        # Count the conflicts: every failing publication attempt notifies
        # IPubBeforeAbort, ``retry`` telling whether it is retried.
        self.aborts = []
        gsm = getGlobalSiteManager()
        gsm.registerHandler(self.on_abort, (IPubBeforeAbort,))
        self.addCleanup(gsm.unregisterHandler, self.on_abort, (IPubBeforeAbort,))
        # What zope.conf's max-conflict-retries sets in the instance.
        self.addCleanup(
            setattr, HTTPRequest, "retry_max_count", HTTPRequest.retry_max_count
        )
        HTTPRequest.retry_max_count = instance_conflict_retries()

    def tearDown(self):
        for session in self.sessions:
            session.close()

    def on_abort(self, event):
        with self.lock:
            self.aborts.append((event.exc_info[0], event.retry))

    def session(self, account):
        """This thread's own logged-in session for ``account``."""
        sessions = self.local.__dict__.setdefault("sessions", {})
        if account not in sessions:
            sessions[account] = rest_session(self.url, *account)
            with self.lock:
                self.sessions.append(sessions[account])
        return sessions[account]

    def file(self, index):
        account = AMELIE if index % 2 == 0 else JEROME
        response = self.session(account).post(
            f"{self.url}/@requests", json=self.bodies[account], timeout=120
        )
        return account, response.status_code, response.text

    def listed(self, account):
        with rest_session(self.url, *account) as session:
            response = session.get(f"{self.url}/@requests", params={"b_size": REQUESTS})
        self.assertEqual(response.status_code, 200, response.text)
        return [item["number"] for item in response.json()["items"]]

    def test_fifty_requests_at_once(self):
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            results = list(pool.map(self.file, range(REQUESTS)))

        conflicts = [
            retry for exc, retry in self.aborts if issubclass(exc, ConflictError)
        ]
        failed = [(status, text[:300]) for _, status, text in results if status != 201]
        print(
            f"\n{REQUESTS} requests filed at once: {len(conflicts)} conflicts, "
            f"{conflicts.count(True)} retried, {conflicts.count(False)} given up"
        )
        self.assertEqual(failed, [], f"{len(failed)} of {REQUESTS} refused")
        self.assertEqual(conflicts.count(False), 0)

        numbers = [json.loads(text)["number"] for _, _, text in results]
        self.assertEqual(len(set(numbers)), REQUESTS)
        parsed = [parse_number(number) for number in numbers]
        self.assertNotIn(None, parsed)
        self.assertEqual(
            sorted(sequence for _, sequence in parsed), list(range(1, REQUESTS + 1))
        )
        # each household lists its own, and only those
        by_account = {AMELIE: set(), JEROME: set()}
        for (account, _, _), number in zip(results, numbers, strict=True):
            by_account[account].add(number)
        for account, expected in by_account.items():
            listed = self.listed(account)
            self.assertEqual(len(listed), REQUESTS // 2)
            self.assertEqual(set(listed), expected)

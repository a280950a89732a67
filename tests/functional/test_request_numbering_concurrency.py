"""Request numbers under concurrency, through the published site.

50 citizens submit at once: the WSGI test server (waitress, 4 threads) runs
the transactions in parallel, those that take the same counter conflict and
Zope's publisher retries them (``max_conflict_retries``, 3 by default). Every
number must be given exactly once, without gaps.
"""

from concurrent.futures import ThreadPoolExecutor
from illkirch.eservices.requests.numbering import last_number
from illkirch.eservices.requests.numbering import parse_number
from illkirch.eservices.requests.numbering import submission_year
from illkirch.eservices.testing import FUNCTIONAL_TESTING
from illkirch.eservices.testing.requests import NextRequestNumber
from plone.base.interfaces import INavigationRoot
from threading import Barrier
from threading import Lock
from ZODB.POSException import ConflictError
from zope.component import getGlobalSiteManager
from zope.component import queryMultiAdapter
from zope.interface import Interface
from zope.publisher.interfaces.browser import IDefaultBrowserLayer
from ZPublisher.HTTPRequest import HTTPRequest
from ZPublisher.interfaces import IPubBeforeAbort

import requests
import transaction
import unittest


VIEW = "test-next-number"
CITIZENS = 50


class TestRequestNumberingConcurrency(unittest.TestCase):
    layer = FUNCTIONAL_TESTING

    def setUp(self):
        self.url = f"{self.layer['portal'].absolute_url()}/@@{VIEW}"
        gsm = getGlobalSiteManager()
        # Until testing.zcml registers the view, register it here (and only
        # here: never unregister a registration this test did not make).
        required = (INavigationRoot, IDefaultBrowserLayer)
        if (
            queryMultiAdapter((self.layer["portal"], self.layer["request"]), name=VIEW)
            is None
        ):
            gsm.registerAdapter(NextRequestNumber, required, Interface, VIEW)
            self.addCleanup(
                gsm.unregisterAdapter, NextRequestNumber, required, Interface, VIEW
            )
        # Measure the conflicts: every failing publication attempt notifies
        # IPubBeforeAbort, with ``retry`` telling whether it will be retried.
        self.aborts = []
        self.lock = Lock()
        gsm.registerHandler(self.on_abort, (IPubBeforeAbort,))
        self.addCleanup(gsm.unregisterHandler, self.on_abort, (IPubBeforeAbort,))

    def on_abort(self, event):
        with self.lock:
            self.aborts.append((event.exc_info[0], event.retry))

    def test_get_is_refused(self):
        response = requests.get(self.url)
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response.headers["Allow"], "POST")
        transaction.begin()
        self.assertEqual(last_number(submission_year()), 0)

    def test_post_gives_the_next_number(self):
        year = submission_year()
        first = requests.post(self.url)
        second = requests.post(self.url)
        self.assertEqual((first.status_code, second.status_code), (200, 200))
        self.assertEqual(
            [first.text, second.text], [f"{year}-000001", f"{year}-000002"]
        )

    def test_concurrent_submissions_get_distinct_numbers_without_gaps(self):
        self.assertEqual(HTTPRequest.retry_max_count, 3)  # Zope's default
        year_before = submission_year()
        barrier = Barrier(CITIZENS)

        def submit(_):
            with requests.Session() as session:
                barrier.wait()
                response = session.post(self.url, timeout=120)
                return response.status_code, response.text

        with ThreadPoolExecutor(max_workers=CITIZENS) as pool:
            results = list(pool.map(submit, range(CITIZENS)))
        year_after = submission_year()

        conflicts = [
            retry for exc, retry in self.aborts if issubclass(exc, ConflictError)
        ]
        failed = [(status, text[:200]) for status, text in results if status != 200]
        print(
            f"\n{CITIZENS} concurrent submissions: {len(conflicts)} conflicts, "
            f"{conflicts.count(True)} retried, {conflicts.count(False)} given up, "
            f"{len(failed)} failed requests"
        )
        self.assertEqual(failed, [], f"{len(failed)} of {CITIZENS} requests failed")
        self.assertEqual(conflicts.count(False), 0)

        numbers = [text for _, text in results]
        self.assertEqual(len(set(numbers)), CITIZENS)
        parsed = [parse_number(number) for number in numbers]
        self.assertNotIn(None, parsed)
        years = {year for year, _ in parsed}
        self.assertEqual(len(years), 1)
        year = years.pop()
        self.assertIn(year, {year_before, year_after})
        self.assertEqual(sorted(seq for _, seq in parsed), list(range(1, CITIZENS + 1)))
        transaction.begin()
        self.assertEqual(last_number(year), CITIZENS)

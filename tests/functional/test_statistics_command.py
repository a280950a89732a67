"""The command ``eservices-statistics-rebuild`` (cli/statistics.py): the
aggregates counted again from the content and committed, e.g. after a
restore that brought back content the aggregates did not count."""

from illkirch.eservices.cli import statistics as command
from illkirch.eservices.requests import queue
from illkirch.eservices.statistics import store
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.conversation import file_request
from plone.app.testing import logout

import io
import transaction
import unittest


class TestRebuildCommand(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def test_the_command_recounts_and_commits(self):
        portal = self.layer["portal"]
        request_obj = file_request(portal)
        logout()
        service = request_obj.service_uid
        # as after restoring an older backup of the aggregates
        store.reset(portal)
        transaction.commit()
        self.assertEqual(store.status_counts([service]), {})

        out = io.StringIO()
        self.assertEqual(command.run(portal, out=out), 0)
        self.assertIn("1 demande(s)", out.getvalue())
        transaction.abort()  # what is seen now was committed
        self.assertEqual(store.status_counts([service]), {(service, "submitted"): 1})
        counts = queue.kept_counts(queue.Filters(service=service), None)
        self.assertEqual(counts["submitted"], 1)

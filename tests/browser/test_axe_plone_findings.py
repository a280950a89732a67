"""The findings left to Plone (``PLONE_FINDINGS``) are ignored for their rule,
their node and the nodes they are compared with only: any other violation
still fails the browser tests."""

from illkirch.eservices.testing.browser import _without_plone_findings

import unittest


def node(target, related=()):
    check = {"relatedNodes": [{"target": [r]} for r in related]}
    return {"target": [target], "any": [check], "all": [], "none": []}


def violation(rule, *nodes):
    return {"id": rule, "nodes": list(nodes)}


class TestPloneFindings(unittest.TestCase):
    def test_barcelonetas_status_message_aside_against_the_portlet_columns(self):
        found = [
            violation(
                "landmark-unique",
                node("#global_statusmessage", ["#portal-column-one"]),
            )
        ]
        self.assertEqual(_without_plone_findings(found), [])

    def test_anything_else_is_kept(self):
        other_node = node("#portal-globalnav-wrapper", [".card-body"])
        other_related = node("#global_statusmessage", ["aside.eservices-aside"])
        found = [
            violation("landmark-unique", other_node, other_related),
            violation("region", node("#global_statusmessage")),
        ]
        self.assertEqual(_without_plone_findings(found), found)

    def test_only_the_plone_node_leaves_a_violation(self):
        ours = node("#eservices-panel", ["#portal-column-two"])
        found = [
            violation(
                "landmark-unique",
                node("#global_statusmessage", ["#portal-column-two"]),
                ours,
            )
        ]
        self.assertEqual(
            _without_plone_findings(found), [violation("landmark-unique", ours)]
        )

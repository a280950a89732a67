"""The accessibility statement's state and figures from an audit
(accessibility/statement.py), and the merge of the browser tests' records
into ``audit.json`` (testing/accessibility_audit.py)."""

from illkirch.eservices.accessibility import statement
from illkirch.eservices.testing import accessibility_audit

import json
import tempfile
import unittest


def page(path, width=1280, passes=(), violations=()):
    return {
        "path": path,
        "title": f"{path} — Ville",
        "width": width,
        "passes": list(passes),
        "violations": [
            {"id": rule, "help": rule, "impact": "serious"} for rule in violations
        ],
    }


def audit(*pages, non_compliant=()):
    return {
        "pages": list(pages),
        "known_issues": {"non_compliant": list(non_compliant)},
    }


class TestState(unittest.TestCase):
    def test_no_audit_is_not_compliant(self):
        self.assertEqual(statement.audited_state(audit()), "none")
        self.assertIsNone(statement.rate(audit()))
        self.assertEqual(statement.claimed_state("full", audit()), "none")

    def test_every_rule_respected_allows_full(self):
        clean = audit(
            page("/a", passes=["label", "link-name"]), page("/b", 320, ["label"])
        )
        self.assertEqual(statement.rate(clean), 100)
        self.assertEqual(statement.audited_state(clean), "full")
        self.assertEqual(statement.claimed_state("full", clean), "full")
        self.assertEqual(statement.claimed_state("partial", clean), "partial")
        self.assertEqual(statement.claimed_state("none", clean), "none")
        self.assertEqual(statement.claimed_state("nonsense", clean), "none")

    def test_a_known_issue_lowers_to_partial(self):
        known = audit(page("/a", passes=["label"]), non_compliant=[{"title": "PDF"}])
        self.assertEqual(statement.claimed_state("full", known), "partial")

    def test_rate_counts_a_rule_violated_on_one_page(self):
        mixed = audit(
            page("/a", passes=["label", "link-name", "list"]),
            page("/b", passes=["label", "list"], violations=["link-name"]),
            page("/b", 320, passes=["label"], violations=["color-contrast"]),
        )
        self.assertEqual(statement.rate(mixed), 50)
        self.assertEqual(statement.audited_state(mixed), "partial")
        facts = statement.statement("full", mixed)
        self.assertEqual(facts["state"], "partial")
        self.assertEqual(facts["state_setting"], "full")
        self.assertEqual(
            facts["results"],
            {
                "pages": 2,
                "checks": 3,
                "widths": [320, 1280],
                "rules": 4,
                "rules_respected": 2,
                "violations": 2,
            },
        )
        self.assertEqual(
            [
                (rule["id"], [p["path"] for p in rule["pages"]])
                for rule in facts["violations"]
            ],
            [("color-contrast", ["/b"]), ("link-name", ["/b"])],
        )
        self.assertEqual(
            facts["pages"],
            [
                {"path": "/a", "title": "/a", "widths": [1280]},
                {"path": "/b", "title": "/b", "widths": [1280, 320]},
            ],
        )

    def test_below_half_is_not_compliant(self):
        bad = audit(page("/a", passes=["label"], violations=["link-name", "list"]))
        self.assertEqual(statement.audited_state(bad), "none")


class TestMerge(unittest.TestCase):
    def line(self, path, width, test, passes, violations=()):
        return {
            "path": path,
            "title": "T",
            "width": width,
            "test": test,
            "what": "",
            "date": f"2026-12-0{width // 320}T10:00:00Z",
            "axe_core": "4.12.1",
            "chromium": "156",
            "tags": ["wcag2a"],
            "passes": passes,
            "incomplete": [],
            "violations": [
                {
                    "id": v,
                    "impact": "serious",
                    "help": v,
                    "tags": ["wcag2a"],
                    "nodes": [["a"]],
                }
                for v in violations
            ],
            "rules": {rule: ["wcag2a"] for rule in [*passes, *violations]},
        }

    def test_one_page_per_path_title_width_and_known_issues_kept(self):
        with tempfile.TemporaryDirectory() as tmp:
            raw = f"{tmp}/raw.jsonl"
            out = f"{tmp}/audit.json"
            with open(out, "w") as f:
                json.dump(
                    {"known_issues": {"exempt": [{"title": "X"}]}, "pages": []}, f
                )
            with open(raw, "w") as f:
                for entry in (
                    self.line("/a", 1280, "t1", ["label"]),
                    self.line("/a", 1280, "t2", ["list"], ["link-name"]),
                    self.line("/a", 320, "t1", ["label"]),
                ):
                    f.write(json.dumps(entry) + "\n")
            accessibility_audit.write(raw, out)
            with open(out) as f:
                data = json.load(f)
        self.assertEqual(data["known_issues"], {"exempt": [{"title": "X"}]})
        self.assertEqual(data["date"], "2026-12-04T10:00:00Z")
        self.assertEqual((data["axe_core"], data["chromium"]), ("4.12.1", "156"))
        self.assertEqual(
            [
                (
                    p["path"],
                    p["width"],
                    p["tests"],
                    p["passes"],
                    [v["id"] for v in p["violations"]],
                )
                for p in data["pages"]
            ],
            [
                ("/a", 320, ["t1"], ["label"], []),
                ("/a", 1280, ["t1", "t2"], ["label", "list"], ["link-name"]),
            ],
        )
        self.assertEqual(sorted(data["rules"]), ["label", "link-name", "list"])

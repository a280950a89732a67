"""The committed audit (accessibility/audit.json), from which the
accessibility statement is filled, is the browser tests' latest: every page
listed without a violation, its date and versions there, made with the
axe-core installed and by every browser test module that audits pages.
After changing a page or a browser test: ``make accessibility-audit``."""

from illkirch.eservices.accessibility import statement
from illkirch.eservices.testing.browser import AXE_TAGS
from pathlib import Path

import axe_playwright_python
import re
import unittest


ROOT = Path(__file__).resolve().parents[2]
BROWSER_TESTS = ROOT / "tests" / "browser"
AGAIN = "run `make accessibility-audit` and commit accessibility/audit.json"


class TestCommittedAudit(unittest.TestCase):
    def setUp(self):
        self.assertTrue(statement.AUDIT.exists(), AGAIN)
        self.audit = statement.load()

    def test_date_versions_and_tags(self):
        self.assertRegex(self.audit["date"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
        self.assertRegex(self.audit["chromium"], r"^\d+\.\d+")
        script = Path(axe_playwright_python.__file__).parent / "axe.min.js"
        installed = re.search(r'axe\.version="([^"]+)"', script.read_text()).group(1)
        self.assertEqual(self.audit["axe_core"], installed, AGAIN)
        self.assertLessEqual(set(AXE_TAGS), set(self.audit["tags"]))
        self.assertTrue(self.audit["rules"])

    def test_every_page_listed_has_no_violation(self):
        self.assertGreater(len(self.audit["pages"]), 20)
        for page in self.audit["pages"]:
            what = f"{page['path']} at {page['width']} px"
            self.assertEqual(page["violations"], [], what)
            self.assertTrue(page["passes"], what)
            self.assertTrue(page["title"], what)
            self.assertIn(page["width"], (320, 390, 640, 1280), what)

    def test_titles_are_unique_across_the_journeys_pages(self):
        """Two pages of the journeys never share a browser title (WCAG 2.4.2):
        each step, error state and confirmation has its own."""
        paths = {}
        for page in self.audit["pages"]:
            paths.setdefault(page["title"], set()).add(page["path"])
        shared = {title: sorted(p) for title, p in paths.items() if len(p) > 1}
        self.assertEqual(shared, {})

    def test_every_auditing_browser_test_module_is_recorded(self):
        recorded = {
            test.split(".")[0] for page in self.audit["pages"] for test in page["tests"]
        }
        auditing = {
            path.stem
            for path in BROWSER_TESTS.glob("test_*.py")
            if "assert_accessible" in path.read_text(encoding="utf-8")
        }
        self.assertEqual(sorted(auditing - recorded), [], AGAIN)

    def test_known_issues_are_described(self):
        known = self.audit["known_issues"]
        self.assertLessEqual(set(known), set(statement.KNOWN_ISSUE_KINDS))
        for kind in statement.KNOWN_ISSUE_KINDS:
            for issue in known.get(kind, []):
                self.assertTrue(issue["title"].strip(), kind)
                self.assertTrue(issue["detail"].strip(), kind)

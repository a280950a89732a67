"""Browser tests: Debian's Chromium driven by Playwright, checked by axe-core.

``BrowserTestCase`` gives each test a fresh browser context (``self.page``)
on the functional layer's WSGI server; ``assert_accessible`` runs axe-core
(WCAG 2.0/2.1 A and AA rules) on the current page and fails with a readable
list of the violations.
"""

from axe_playwright_python.sync_playwright import Axe
from illkirch.eservices.testing import accessibility_audit
from pathlib import Path
from playwright.sync_api import sync_playwright

import os
import shutil
import time
import transaction
import unittest


CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", "test-results"))


def chromium_path():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        raise RuntimeError(
            "Debian's chromium is not installed: run `make chromium` (apt-get)."
        )
    return path


class _Browser:
    """One Chromium process per test run, started on first use."""

    playwright = None
    browser = None

    @classmethod
    def get(cls):
        if cls.browser is None:
            cls.playwright = sync_playwright().start()
            cls.browser = cls.playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
        return cls.browser

    @classmethod
    def close(cls):
        if cls.browser is not None:
            cls.browser.close()
            cls.playwright.stop()
            cls.browser = cls.playwright = None


class BrowserTestCase(unittest.TestCase):
    """Base class of the browser tests; set ``layer`` in subclasses."""

    axe = Axe()

    @classmethod
    def tearDownClass(cls):
        _Browser.close()
        super().tearDownClass()

    def setUp(self):
        self.portal = self.layer["portal"]
        self.portal_url = self.portal.absolute_url()
        self.mailsink = self.layer["mailsink"]
        transaction.commit()
        self.context = _Browser.get().new_context(locale="fr-FR")
        self.context.set_default_timeout(15000)
        self.page = self.context.new_page()

    def tearDown(self):
        outcome = getattr(self, "_outcome", None)
        failed = outcome is not None and not getattr(outcome, "success", True)
        if failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(
                path=str(ARTIFACTS / f"{self.id()}.png"), full_page=True
            )
        self.context.close()

    # helpers -------------------------------------------------------------

    def login(self, login, password):
        page = self.page
        page.goto(f"{self.portal_url}/login")
        page.fill("#__ac_name", login)
        page.fill("#__ac_password", password)
        page.click("#login-form button[type=submit], #login-form .btn-primary")
        page.wait_for_selector(
            "#personaltools-logout, .personaltools-logout, a[href$='/logout']",
            state="attached",
        )

    def wait_for_mail(self, to, text, timeout=10):
        """The first email to ``to`` whose subject or body holds ``text``,
        waited for in the SMTP sink (it leaves when the transaction commits)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.mailsink.messages():
                body = message.get_body(("plain",)).get_content()
                if message["To"] == to and (text in message["Subject"] or text in body):
                    return message
            time.sleep(0.2)
        self.fail(f"no email to {to} with {text!r}")

    def logout(self):
        self.context.clear_cookies()

    def assert_accessible(self, what=""):
        """No axe-core violation at WCAG 2.1 AA on the current page."""
        results = self.axe.run(
            self.page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_AA_TAGS},
                "resultTypes": ["violations"],
            },
        )
        accessibility_audit.record(self, results, what)
        violations = results.response["violations"]
        if violations:
            lines = []
            for violation in violations:
                lines.append(
                    f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                )
                for node in violation["nodes"][:5]:
                    lines.append(f"    {node['target']}: {node['html'][:160]}")
                    summary = (node.get("failureSummary") or "").splitlines()
                    lines.extend(f"      {line.strip()}" for line in summary[1:3])
            self.fail(
                f"axe-core: {len(violations)} WCAG 2.1 AA violation(s) on "
                f"{what or self.page.url}:\n" + "\n".join(lines)
            )

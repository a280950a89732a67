"""Screenshots of the portal's main pages, at 1280 px and on a 390 px phone,
into ``docs/screenshots/`` (``make screenshots``), so that the look is
reviewed with the code.

The demo runs as ``make start`` runs it, on a temporary instance and data
folder and on free ports; a citizen (Amélie), who files a report first, and
the agent of the public space, who processes it, then visit their pages in
Debian's Chromium.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from illkirch.eservices.cli.processes import Process
from illkirch.eservices.cli.processes import answering
from illkirch.eservices.cli.processes import free_port
from illkirch.eservices.testing.browser import CHROMIUM_ARGS
from illkirch.eservices.testing.browser import chromium_path
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.requests import STREETLIGHT_ANSWERS
from illkirch.eservices.testing.sessions import rest_session
from pathlib import Path
from playwright.sync_api import sync_playwright

import argparse
import tempfile


ROOT = Path(__file__).resolve().parents[1]
ADMIN = "admin:Admin-Screens-2026"
# width → height of the window (a desktop, a phone)
SIZES = {1280: 900, 390: 844}
# (file name, page under the site, or None for the first request of Demandes)
VISITOR = [("accueil-du-site", ""), ("suivre-ma-demande", "@@suivre-ma-demande")]
CITIZEN = [
    ("mon-espace", "@@mon-espace"),
    ("mes-demandes", "@@mon-espace-demandes"),
    ("une-demande", None),
    ("mes-comptes", "@@mon-espace-factures"),
    ("services", "@@mon-espace-services"),
]
AGENT_PAGES = [("guichet", "@@guichet"), ("comptes-a-valider", "@@comptes-a-valider")]


def start_demo(workdir):
    """``make start`` on ``workdir``; returns the process and the site's URL."""
    port = free_port()
    url = f"http://localhost:{port}/Plone"
    demo = Process(
        [
            "make",
            "start",
            f"INSTANCE={workdir / 'instance'}",
            f"VAR={workdir / 'var'}",
            f"HTTP_PORT={port}",
            f"SMTP_PORT={free_port()}",
            f"ADMIN={ADMIN}",
        ],
        log=workdir / "make-start.log",
        cwd=ROOT,
    )
    demo.start()
    demo.wait_until(lambda: answering(url, timeout=30), 300, f"the demo on {url}")
    return demo, url


def file_a_request(url):
    """A report of a street light out, filed by Amélie (the demo gives her
    none), for the page « une-demande »."""
    response = rest_session(url, *AMELIE).post(
        f"{url}/@requests",
        json={"service": "signalement-voie-publique", "answers": STREETLIGHT_ANSWERS},
    )
    response.raise_for_status()


def log_in(page, url, credentials):
    page.goto(f"{url}/login")
    page.fill("#__ac_name", credentials[0])
    page.fill("#__ac_password", credentials[1])
    page.click("#login-form button[type=submit], #login-form .btn-primary")
    page.wait_for_selector("a[href$='/logout']", state="attached")


def shoot(browser, url, out, pages, credentials=None):
    """Each of ``pages`` at each size, as the user of ``credentials``."""
    for width, height in SIZES.items():
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="fr-FR"
        )
        page = context.new_page()
        if credentials:
            log_in(page, url, credentials)
        for name, path in pages:
            if path is None:
                page.goto(f"{url}/@@mon-espace-demandes")
                page.locator("main a[href*='/foyers/']").first.click()
            else:
                page.goto(f"{url}/{path}")
            page.wait_for_load_state("networkidle")
            target = out / f"{name}-{width}.png"
            page.screenshot(path=target, full_page=True)
            print(f"wrote {target.relative_to(ROOT)}")
        context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    out = parser.parse_args().out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="eservices-screenshots-") as tmp:
        demo, url = start_demo(Path(tmp))
        try:
            file_a_request(url)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_path(), args=CHROMIUM_ARGS
                )
                shoot(browser, url, out, VISITOR)
                shoot(browser, url, out, CITIZEN, AMELIE)
                shoot(browser, url, out, AGENT_PAGES, VOIRIE)
                browser.close()
        finally:
            demo.stop()


if __name__ == "__main__":
    main()

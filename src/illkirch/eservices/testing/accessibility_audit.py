"""The record of the browser tests' axe audits, from which the accessibility
statement is filled (accessibility/statement.py, « Déclaration
d'accessibilité »).

When ``ACCESSIBILITY_AUDIT`` names a file, every ``assert_accessible`` of a
browser test (testing/browser.py) appends there one JSON line: the page
(its path in the site, title and width), the test, the axe-core rules run
with their tags, which passed, which were violated (with their nodes), and
the versions of axe-core and Chromium. Without the variable nothing is
recorded.

``make accessibility-audit`` runs the browser tests so, then ``python -m
illkirch.eservices.testing.accessibility_audit RAW OUT`` merges the lines
into the committed ``accessibility/audit.json`` (one entry per path, title
and width), keeping its hand-written ``known_issues``.
"""

from datetime import UTC
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import json
import os
import re
import sys


HOUSEHOLD_FOLDER = re.compile(r"/foyer-[0-9a-f]+")


ENV = "ACCESSIBILITY_AUDIT"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "accessibility" / "audit.json"


def record(test, results, what=""):
    """Append the axe ``results`` of ``test``'s current page to the file
    named by ``ACCESSIBILITY_AUDIT`` (nothing without it)."""
    target = os.environ.get(ENV)
    if not target:
        return
    page = test.page
    response = results.response
    portal_path = urlsplit(test.portal_url).path.rstrip("/")
    path = urlsplit(response.get("url") or page.url).path
    if path.startswith(portal_path):
        path = path[len(portal_path) :] or "/"
    # a household's folder is named at random on each demo site: the same
    # page of two test sites is one page of the audit
    path = HOUSEHOLD_FOLDER.sub("/foyer-…", path)
    browser = page.context.browser
    entry = {
        "path": path,
        "title": page.title(),
        "width": page.viewport_size["width"],
        "test": test.id(),
        "what": what,
        "date": response.get("timestamp")
        or datetime.now(UTC).isoformat(timespec="seconds"),
        "axe_core": response.get("testEngine", {}).get("version"),
        "chromium": browser.version if browser is not None else None,
        "tags": (response.get("toolOptions", {}).get("runOnly", {}).get("values", [])),
        "passes": sorted(rule["id"] for rule in response.get("passes", [])),
        "incomplete": sorted(rule["id"] for rule in response.get("incomplete", [])),
        "violations": [
            {
                "id": rule["id"],
                "impact": rule.get("impact"),
                "help": rule.get("help"),
                "tags": rule.get("tags", []),
                "nodes": [node["target"] for node in rule.get("nodes", [])],
            }
            for rule in response.get("violations", [])
        ],
        "rules": {
            rule["id"]: [tag for tag in rule.get("tags", []) if _standard(tag)]
            for kind in ("passes", "violations", "incomplete")
            for rule in response.get(kind, [])
        },
    }
    with open(target, "a", encoding="utf-8") as raw:
        raw.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _standard(tag):
    """The tags naming a level (wcag2a, wcag21aa, best-practice…) or a
    success criterion (wcag143 is 1.4.3)."""
    return bool(re.fullmatch(r"wcag\d+a*|best-practice", tag))


def merge(lines, known_issues):
    """The audit (``audit.json``'s content) of the recorded ``lines``: one
    page per path, title and width (rules and violations united), the
    rules run with their tags, the date and versions of the run."""
    pages = {}
    rules = {}
    tags = set()
    dates, axe, chromium = [], set(), set()
    for entry in lines:
        key = (entry["path"], entry["title"], entry["width"])
        page = pages.setdefault(
            key,
            {
                "path": entry["path"],
                "title": entry["title"],
                "width": entry["width"],
                "tests": set(),
                "passes": set(),
                "incomplete": set(),
                "violations": {},
            },
        )
        page["tests"].add(entry["test"])
        page["passes"].update(entry["passes"])
        page["incomplete"].update(entry["incomplete"])
        for violation in entry["violations"]:
            seen = page["violations"].setdefault(
                violation["id"], {**violation, "nodes": []}
            )
            for node in violation["nodes"]:
                if node not in seen["nodes"]:
                    seen["nodes"].append(node)
        rules.update(entry["rules"])
        tags.update(entry["tags"])
        dates.append(entry["date"])
        axe.add(entry["axe_core"])
        chromium.add(entry["chromium"])
    result = []
    for page in sorted(pages.values(), key=lambda p: (p["path"], p["width"])):
        violated = set(page["violations"])
        result.append(
            {
                "path": page["path"],
                "title": page["title"],
                "width": page["width"],
                "tests": sorted(page["tests"]),
                "passes": sorted(page["passes"] - violated),
                "incomplete": sorted(page["incomplete"]),
                "violations": [page["violations"][id] for id in sorted(violated)],
            }
        )
    return {
        "date": max(dates) if dates else None,
        "axe_core": ", ".join(sorted(v for v in axe if v)),
        "chromium": ", ".join(sorted(v for v in chromium if v)),
        "tags": sorted(tags),
        "rules": {id: rules[id] for id in sorted(rules)},
        "pages": result,
        "known_issues": known_issues,
    }


def write(raw_path, out_path=DEFAULT_OUT):
    """Merge the recorded lines of ``raw_path`` into ``out_path``, keeping
    the ``known_issues`` written there by hand."""
    out_path = Path(out_path)
    known_issues = {}
    if out_path.exists():
        known_issues = json.loads(out_path.read_text("utf-8")).get("known_issues", {})
    with open(raw_path, encoding="utf-8") as raw:
        lines = [json.loads(line) for line in raw if line.strip()]
    audit = merge(lines, known_issues)
    out_path.write_text(dump(audit), encoding="utf-8")
    return audit


# A list of strings or numbers spread over lines by ``json.dumps(indent=…)``.
_SCALARS = re.compile(
    r'\[\n\s*((?:"[^"\n]*"|[\d.]+)(?:,\n\s*(?:"[^"\n]*"|[\d.]+))*)\n\s*\]'
)


def dump(audit):
    """The audit as JSON, indented, its lists of names on one line each."""
    text = json.dumps(audit, ensure_ascii=False, indent=1)
    text = _SCALARS.sub(
        lambda match: "[" + re.sub(r",\n\s*", ", ", match.group(1)) + "]", text
    )
    return text + "\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or len(argv) > 2:
        print(
            "usage: python -m illkirch.eservices.testing.accessibility_audit "
            "RAW.jsonl [audit.json]",
            file=sys.stderr,
        )
        return 2
    audit = write(*argv)
    violations = sum(len(page["violations"]) for page in audit["pages"])
    print(
        f"{len(audit['pages'])} pages, {len(audit['rules'])} rules, "
        f"{violations} violation(s), axe-core {audit['axe_core']}, "
        f"Chromium {audit['chromium']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The accessibility statement's facts (« Déclaration d'accessibilité », in
the format of the RGAA), computed from the browser tests' audit.

``audit.json`` (beside this module) is written by ``make
accessibility-audit`` from the axe-core audits of the browser tests
(testing/accessibility_audit.py): the pages checked (path, title, width),
the rules run with their tags, the violations, the date and the versions of
axe-core and Chromium. Its ``known_issues`` are written by hand: the
contents known not to be accessible that the tests do not see
(``non_compliant``), the derogations for a disproportionate burden
(``derogations``) and the contents not subject to the obligation
(``exempt``), each ``{"title": …, "detail": …}`` in French.

The state of compliance the statement claims is the lower of the site's
setting (« Conformité au RGAA », which the town sets from a full RGAA
audit) and the state the audit allows: « totalement conforme » only when
every rule checked passes on every page and no known issue is left,
« partiellement conforme » when at least half of the rules checked pass
everywhere, « non conforme » otherwise or without an audit. A setting of
« non conforme » therefore always wins; a setting of « totalement
conforme » is lowered as soon as a test finds a violation.
"""

from pathlib import Path

import json


AUDIT = Path(__file__).resolve().parent / "audit.json"
# The RGAA's states, from the lowest.
STATES = ("none", "partial", "full")
KNOWN_ISSUE_KINDS = ("non_compliant", "derogations", "exempt")


_cache = {}


def load(path=AUDIT):
    """The audit (``audit.json``), or an empty one when the file is absent
    (then the site is « non conforme »); read again when the file changes."""
    path = Path(path)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return {"pages": [], "rules": {}, "known_issues": {}}
    cached = _cache.get(path)
    if cached is None or cached[0] != mtime:
        cached = _cache[path] = (mtime, json.loads(path.read_text("utf-8")))
    return cached[1]


def violated_rules(audit):
    """``{rule id: {"help", "impact", "pages": [{path, title, width}]}}``
    for the rules violated on at least one page."""
    violated = {}
    for page in audit.get("pages", []):
        for violation in page.get("violations", []):
            rule = violated.setdefault(
                violation["id"],
                {
                    "id": violation["id"],
                    "help": violation.get("help", ""),
                    "impact": violation.get("impact"),
                    "pages": [],
                },
            )
            rule["pages"].append(_page(page))
    return violated


def checked_rules(audit):
    """The ids of the rules that applied to at least one page (passed or
    violated there)."""
    rules = set()
    for page in audit.get("pages", []):
        rules.update(page.get("passes", []))
        rules.update(violation["id"] for violation in page.get("violations", []))
    return rules


def rate(audit):
    """The share of the checked rules respected on every page, in percent
    (one decimal), ``None`` without an audit."""
    checked = checked_rules(audit)
    if not checked:
        return None
    respected = checked - set(violated_rules(audit))
    return round(100 * len(respected) / len(checked), 1)


def audited_state(audit):
    """The best state the audit allows (see the module's docstring)."""
    value = rate(audit)
    if value is None:
        return "none"
    known = audit.get("known_issues", {}).get("non_compliant", [])
    if value == 100 and not known:
        return "full"
    return "partial" if value >= 50 else "none"


def claimed_state(setting, audit):
    """The state the statement claims: the lower of the ``setting`` (one of
    STATES; anything else counts as « non conforme ») and the audit's."""
    setting = setting if setting in STATES else "none"
    return min(setting, audited_state(audit), key=STATES.index)


def _page(page):
    return {"path": page["path"], "title": page["title"], "width": page["width"]}


def page_title(title):
    """A page's title without the site's title that ends it
    (« Suivre ma demande — Ville d'Illkirch » is « Suivre ma demande »)."""
    return title.rsplit(" — ", 1)[0] if " — " in title else title


def pages(audit):
    """The pages checked, once per path and title (without the site's
    title): ``[{path, title, widths}]`` in the audit's order."""
    seen = {}
    for page in audit.get("pages", []):
        title = page_title(page["title"])
        entry = seen.setdefault(
            (page["path"], title),
            {"path": page["path"], "title": title, "widths": []},
        )
        if page["width"] not in entry["widths"]:
            entry["widths"].append(page["width"])
    return list(seen.values())


def statement(setting, audit):
    """What the statement shows, from the compliance ``setting`` and the
    ``audit`` (``audit.json``'s content): the states, the rate, the test
    results, the contents not accessible (the violations found, then the
    known issues), and how the statement was established."""
    checked = checked_rules(audit)
    violated = violated_rules(audit)
    known = audit.get("known_issues", {})
    widths = sorted({page["width"] for page in audit.get("pages", [])})
    return {
        "state": claimed_state(setting, audit),
        "state_setting": setting if setting in STATES else "none",
        "state_audit": audited_state(audit),
        "rate": rate(audit),
        "date": audit.get("date"),
        "results": {
            "pages": len(pages(audit)),
            "checks": len(audit.get("pages", [])),
            "widths": widths,
            "rules": len(checked),
            "rules_respected": len(checked - set(violated)),
            "violations": sum(
                len(page.get("violations", [])) for page in audit.get("pages", [])
            ),
        },
        "violations": [violated[rule] for rule in sorted(violated)],
        "non_compliant": list(known.get("non_compliant", [])),
        "derogations": list(known.get("derogations", [])),
        "exempt": list(known.get("exempt", [])),
        "tags": list(audit.get("tags", [])),
        "axe_core": audit.get("axe_core") or "",
        "chromium": audit.get("chromium") or "",
        "pages": pages(audit),
    }

"""The benchmark's coverage (#22, ``benchmarks/all_pages.py``) and its
report's verdicts (``benchmarks/report.py``), without a site.

- every page view and REST ``GET`` service of the add-on's ZCML is measured
  by a figure or listed with the reason it is not (``COVERAGE``): a new page
  without a figure fails here;
- the scale comparison of 1,000 / 10,000 / 50,000 households: each figure's
  ratio, PASS/MISS at ≤ 1.10 and ≤ 1.15, ``scale.json`` and the charts;
- the report's grouping by role and its list of misses.
"""

from pathlib import Path

import importlib
import json
import re
import sys


ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"
PACKAGE = ROOT / "src" / "illkirch" / "eservices"
BENCHMARK_SOURCES = ("run.py", "conversation_drafts.py", "dashboard_figures.py")


def load(name):
    """A module of ``benchmarks/`` (not on the path: its siblings are
    found while it loads)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCHMARKS))


all_pages = load("all_pages")
report = load("report")


def attribute(block, name):
    match = re.search(rf'\b{name}="([^"]*)"', block)
    return match.group(1) if match else ""


def registrations():
    """``{name: {interface}}`` of every browser:page and every GET
    plone:service in the add-on's ZCML (not the test fixtures')."""
    found = {}
    for path in PACKAGE.rglob("*.zcml"):
        if "testing" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for kind, block in re.findall(
            r"<(browser:page|plone:service)\b(.*?)/>", text, re.S
        ):
            if kind == "plone:service" and attribute(block, "method") != "GET":
                continue
            name = attribute(block, "name")
            found.setdefault(name, set()).add(attribute(block, "for").split(".")[-1])
    return found


def coverage_keys():
    """The keys ``COVERAGE`` must have: a name, or ``name@Type`` when the
    name is registered for several types."""
    keys = set()
    for name, interfaces in registrations().items():
        if len(interfaces) == 1:
            keys.add(name)
        else:
            keys.update(f"{name}@{interface}" for interface in interfaces)
    return keys


def planned_keys():
    """The keys of the figures ``all_pages.Figures`` measures, built
    without a site (its data stubbed)."""
    figures = object.__new__(all_pages.Figures)
    figures.service = {"id": "service", "title": "Service", "url": "http://x/s"}
    figures.civil_status = dict(figures.service)
    figures.drafts = [(None, "http://x/d")]
    figures.steps = [(None, "http://x/d", [], 2)]
    return {row[0] for row in figures.rows("http://x/doc")}


def test_every_page_and_get_service_is_covered_or_explained():
    expected = coverage_keys()
    listed = set(all_pages.COVERAGE)
    assert expected - listed == set(), (
        "pages or REST GET services without a figure nor a reason in "
        "benchmarks/all_pages.py COVERAGE"
    )
    assert listed - expected == set(), "COVERAGE names what the ZCML does not have"


def test_the_figures_named_exist():
    known = planned_keys() | set(all_pages.OLDER_FIGURES)
    for name, measured in all_pages.COVERAGE.items():
        if isinstance(measured, str):
            assert measured.strip(), f"{name}: an empty reason"
            continue
        assert measured, name
        assert set(measured) <= known, f"{name}: {set(measured) - known}"


def test_older_figures_are_in_the_benchmark():
    sources = "".join((BENCHMARKS / name).read_text() for name in BENCHMARK_SOURCES)
    for key in all_pages.OLDER_FIGURES:
        assert f'"{key}"' in sources, key


def test_every_citizen_page_has_a_figure():
    """The citizen area's pages (permission « Use citizen area ») that are
    pages to read, not actions: each one measured."""
    for name in (
        "mon-espace",
        "mon-espace-compte",
        "mon-espace-services",
        "mon-espace-demandes",
        "mon-espace-documents",
        "mon-espace-factures",
        "panier",
        "paiement-retour",
        "deposer",
        "@requests",
        "@invoices",
        "@household",
        "@cart",
        "@payments",
        "@drafts",
        "@locker",
        "@dashboard",
        "@franceconnect-link",
    ):
        assert isinstance(all_pages.COVERAGE[name], tuple), name


def test_figures_have_a_baseline_of_their_role():
    figures = object.__new__(all_pages.Figures)
    figures.service = {"id": "s", "title": "S", "url": "http://x/s"}
    figures.civil_status = dict(figures.service)
    figures.drafts = [(None, "http://x/d")]
    figures.steps = [(None, "http://x/d", [], 2)]
    for key, _label, base, kind, _call in figures.rows("http://x/doc"):
        if base is None:
            continue
        staff = base in all_pages.STAFF
        assert (kind == "staff") == staff, key


def figure(key, median, base=None, ratio=None, target=None, label=None):
    return {
        "key": key,
        "label": label or key,
        "baseline": base,
        "median": median,
        "p95": median,
        "ratio": ratio,
        "target": target,
    }


def write(path, figures):
    path.write_text(json.dumps({"figures": figures}))


def test_scale_verdicts(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "log", lambda *a: None)
    write(
        tmp_path / "households-1000.json",
        [
            figure("document-citizen", 40.0),
            figure("accueil", 50.0, "document-citizen", 1.25, 1.25),
            figure("guichet", 60.0, "document-agent", 1.5, 2.0),
            {"key": "gone", "label": "gone", "not_measured": "why"},
        ],
    )
    write(
        tmp_path / "households-10000.json",
        [
            figure("document-citizen", 44.0),
            figure("accueil", 54.0, "document-citizen", 54 / 44, 1.25),
            figure("guichet", 67.0, "document-agent", 1.5, 2.0),
            {"key": "gone", "label": "gone", "not_measured": "why"},
        ],
    )
    write(
        tmp_path / "households-50000.json",
        [
            figure("document-citizen", 45.0),
            figure("accueil", 57.0, "document-citizen", 57 / 45, 1.25),
            figure("guichet", 70.0, "document-agent", 1.5, 2.0),
        ],
    )
    compared = report.scale(tmp_path)
    assert set(compared) == {10000, 50000}
    verdicts = {
        size: {row["key"]: (round(row["ratio"], 3), row["verdict"]) for row in rows}
        for size, rows in compared.items()
    }
    assert verdicts[10000] == {
        "document-citizen": (1.1, "PASS"),  # ≤ 1.10
        "accueil": (1.08, "PASS"),
        "guichet": (1.117, "MISS"),
    }
    assert verdicts[50000] == {
        "document-citizen": (1.125, "PASS"),  # ≤ 1.15
        "accueil": (1.14, "PASS"),
        "guichet": (1.167, "MISS"),
    }
    written = json.loads((tmp_path / "scale.json").read_text())
    assert written["targets"] == {"10000": 1.10, "50000": 1.15}
    assert written["sources"] == [
        "households-1000.json",
        "households-10000.json",
        "households-50000.json",
    ]
    assert (tmp_path / "scale.png").exists()
    assert (tmp_path / "scale-50000.png").exists()


def test_scale_with_only_one_size(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "log", lambda *a: None)
    assert report.scale(tmp_path) == {}
    write(tmp_path / "households-1000.json", [figure("accueil", 50.0)])
    write(tmp_path / "households-50000.json", [figure("accueil", 60.0)])
    compared = report.scale(tmp_path)
    assert list(compared) == [50000]
    assert compared[50000][0]["verdict"] == "MISS"
    assert not (tmp_path / "scale.png").exists()


def test_report_groups_by_role_and_lists_the_misses(monkeypatch):
    lines = []
    monkeypatch.setattr(report, "log", lines.append)
    figures = [
        figure("document-citizen", 40.0),
        figure("compte", 60.0, "document-citizen", 1.5, 1.25, "Compte"),
        figure("guichet", 60.0, "document-agent", 1.5, 2.0, "Guichet"),
        figure("home", 30.0, "document-anonymous", 0.9, 1.25, "Home"),
        {"key": "x", "label": "X", "baseline": "document-agent", "not_measured": "why"},
    ]
    for f in figures[1:4]:
        f["verdict"] = report.verdict(f["ratio"], f["target"])
    assert [title for title, _group in report.by_role(figures)] == [
        title for _name, title in report.ROLES
    ]
    assert report.misses(figures) == [("Compte", 1.5, 1.25)]
    report.print_figures(figures, "server time")
    text = "\n".join(lines)
    assert text.index("Citizen") < text.index("Compte") < text.index("Anonymous")
    assert text.index("Anonymous") < text.index("Home") < text.index("Staff")
    assert "not measured (why)" in text
    assert "2 PASS, 1 MISS of 3 figures with a target: Compte 1.50 (≤ 1.25)" in text


def test_run_targets():
    run = load("run")
    assert (run.PAGE_TARGET, run.QUEUE_TARGET, run.DASHBOARD_TARGET) == (1.25, 2, 2)
    assert run.IMPORT_TARGET == 2.0

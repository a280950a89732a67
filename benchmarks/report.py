"""The printed report and the charts of ``benchmarks/run.py``.

- ``print_figures`` / ``print_import``: one line per figure, its ratio to its
  baseline and PASS/MISS against its target;
- ``chart``: ``households-<N>.png``, horizontal bars of the ratios with the
  target of each;
- ``scale``: when ``households-1000.json`` and ``households-10000.json``
  or ``households-50000.json`` are in ``benchmarks/results/``, each
  figure's median at 10,000 (target ≤ 1.10) and at 50,000 households
  (≤ 1.15) over its median at 1,000 (#22), printed by role with PASS/MISS,
  in ``scale.json``, ``scale.png`` and ``scale-50000.png``, with, for
  information, the same of its ratio to its baseline
  (``baseline_ratio_scale``: less moved by the machine's load between the
  two runs).

The figures are printed grouped by the role of their baseline (citizen,
anonymous, staff), with a count of PASS and MISS and the misses.

Not a script: imported by ``run.py``.
"""

from paths import RESULTS
from paths import shown
from progress import log
from result_files import write_json

import json


SCALE_SIZES = (1000, 10000, 50000)
# #22: each figure's median at N households over its median at 1,000
SCALE_TARGETS = {10000: 1.10, 50000: 1.15}
SCALE_CHARTS = {10000: "scale.png", 50000: "scale-50000.png"}


def verdict(ratio, target, higher_is_better=False):
    if target is None or ratio is None:
        return ""
    ok = ratio >= target if higher_is_better else ratio <= target
    return "PASS" if ok else "MISS"


ROLES = (
    ("citizen", "Citizen (cookie pages, JWT REST)"),
    ("anonymous", "Anonymous"),
    ("staff", "Staff (agents, Supervisor)"),
)
BASELINE_ROLES = {
    "document-citizen": "citizen",
    "document-rest-citizen": "citizen",
    "document-anonymous": "anonymous",
    "document-rest-anonymous": "anonymous",
    "document-agent": "staff",
    "document-rest-agent": "staff",
    "document-supervisor": "staff",
}


def role(figure):
    """The kind of user of a figure: that of its baseline (a baseline's own)."""
    return BASELINE_ROLES.get(figure.get("baseline") or figure["key"], "staff")


def by_role(figures):
    """``[(role title, figures)]`` in the order of ``ROLES``, each group in
    the figures' order."""
    return [
        (title, [f for f in figures if role(f) == name])
        for name, title in ROLES
        if any(role(f) == name for f in figures)
    ]


def misses(figures):
    """The figures over their target: ``[(label, ratio, target)]``."""
    return [
        (f["label"], f["ratio"], f["target"])
        for f in figures
        if verdict(f.get("ratio"), f.get("target")) == "MISS"
    ]


def print_figures(figures, clock):
    log(f"\nTimes in ms ({clock}); ratio = median / median of the baseline.")
    log(
        f"{'figure':<48} {'median':>8} {'p95':>8} {'ratio':>6}  {'target':<7} "
        f"{'':<4}  baseline"
    )
    for title, group in by_role(figures):
        log(f"— {title}")
        for figure in group:
            print_figure(figure)
    checked = [f for f in figures if f.get("verdict")]
    missed = misses(figures)
    log(
        f"\n{len(checked) - len(missed)} PASS, {len(missed)} MISS of "
        f"{len(checked)} figures with a target"
        + (
            ": " + ", ".join(f"{label} {r:.2f} (≤ {t:g})" for label, r, t in missed)
            if missed
            else ""
        )
    )


def print_figure(figure):
    if "not_measured" in figure:
        log(f"  {figure['label']:<46} not measured ({figure['not_measured']})")
        return
    ratio = figure.get("ratio")
    target = figure.get("target")
    shown = "—" if ratio is None else f"{ratio:.2f}"
    limit = "" if target is None else f"≤ {target:g}"
    log(
        f"  {figure['label']:<46} {figure['median']:>8.1f} {figure['p95']:>8.1f} "
        f"{shown:>6}  {limit:<7} {verdict(ratio, target):<4}  "
        f"{figure.get('baseline_label', '(baseline)')}"
    )
    if figure.get("conversation_shown", "").startswith("0/"):
        log(f"{'':<48} (the page did not show the conversation)")


def print_import(result):
    invoices, documents = result["invoices"], result["documents"]
    log(
        f"\nImport of {invoices['count']} invoices (eservices-import-invoices' "
        f"code, one commit): {invoices['seconds']:.1f} s, "
        f"{invoices['per_object_ms']:.1f} ms per invoice"
    )
    log(
        f"Creation of {documents['count']} bare Documents (plone.api, one commit): "
        f"{documents['seconds']:.1f} s, {documents['per_object_ms']:.1f} ms per "
        "Document"
    )
    log(
        f"Import speed-up per object: {result['speedup']:.2f}× (target ≥ "
        f"{result['target']:g}×) {verdict(result['speedup'], result['target'], True)}"
    )


def print_memory(result):
    """The add-on instance's resident memory beside the bare Plone's
    (``memory.py``)."""
    addon, bare = result["addon"], result["bare"]
    log(
        f"\nResident memory after the benchmark: the instance "
        f"({addon['households']} households, {addon['requests']} requests) "
        f"{addon['rss_mb']:.0f} MB, a bare Plone instance after "
        f"{bare['document_views']} Document views {bare['rss_mb']:.0f} MB: "
        f"{result['ratio']:.2f}× (target ≤ {result['target']:g}×) {result['verdict']}"
    )
    for name, figures in (("instance", addon), ("bare Plone", bare)):
        zodb = figures.get("zodb") or {}
        if zodb.get("objects_in_memory") is not None:
            log(
                f"  ZODB of the {name}: {zodb['objects_in_database']} objects, "
                f"{zodb['objects_in_memory']} in memory (cache-size "
                f"{zodb['cache_size']} per connection; per connection: "
                f"{', '.join(str(c[0]) for c in zodb['connections'])})"
            )
    if result.get("per_object_kb"):
        log(f"  memory per object in the caches: {result['per_object_kb']:.1f} KB")
    settings = {k: v for k, v in (result.get("settings") or {}).items() if v}
    if settings:
        log(f"  settings: {', '.join(f'{k}={v}' for k, v in settings.items())}")


RATIO_LABEL = "median / median of the baseline"


def chart(path, title, figures, imported=None, xlabel=RATIO_LABEL):
    """Bars of the ratios (lower is better), a tick at each target; below,
    the import speed-up (higher is better) when given."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    rows = [f for _title, group in by_role(figures) for f in group if f.get("ratio")]
    heights = [len(rows) * 0.45 + 1.2] + ([1.3] if imported else [])
    fig, axes = pyplot.subplots(
        len(heights),
        1,
        figsize=(9, sum(heights) + 0.6),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    ax = axes[0][0]
    for y, figure in enumerate(reversed(rows)):
        ok = verdict(figure["ratio"], figure.get("target")) != "MISS"
        ax.barh(y, figure["ratio"], color="tab:green" if ok else "tab:red")
        ax.text(figure["ratio"], y, f" {figure['ratio']:.2f}", va="center", fontsize=8)
        if figure.get("target") is not None:
            ax.vlines(
                figure["target"],
                y - 0.45,
                y + 0.45,
                colors="black",
                linestyles="dashed",
            )
    ax.set_yticks(
        range(len(rows)),
        [f"{f['label']} [{role(f)}]" for f in reversed(rows)],
        fontsize=8,
    )
    ax.axvline(1.0, color="grey", linewidth=0.8)
    limits = [f["ratio"] for f in rows] + [f["target"] for f in rows if f.get("target")]
    ax.set_xlim(0, max(limits) * 1.15)
    ax.set_xlabel(f"{xlabel} (dashed: target, lower is better)")
    ax.set_title(title, fontsize=10)
    if imported:
        ax = axes[1][0]
        speedup = imported["speedup"]
        ok = verdict(speedup, imported["target"], True) == "PASS"
        ax.barh(0, speedup, color="tab:green" if ok else "tab:red")
        ax.text(speedup, 0, f" {speedup:.2f}", va="center", fontsize=8)
        ax.vlines(imported["target"], -0.45, 0.45, colors="black", linestyles="dashed")
        ax.set_xlim(0, max(speedup, imported["target"]) * 1.15)
        ax.set_yticks([0], ["Invoice import vs bare Documents"], fontsize=8)
        ax.set_xlabel(
            "time per Document / time per invoice (dashed: target, higher is better)"
        )
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    pyplot.close(fig)
    log(f"wrote {shown(path)}")


def scale_rows(small, large, target):
    """Each figure of two runs (their JSON): its median in the larger over
    its median in the smaller, with its verdict against ``target``."""
    before = {f["key"]: f for f in small["figures"]}
    rows = []
    for figure in large["figures"]:
        key = figure["key"]
        if "median" not in figure or "median" not in before.get(key, {}):
            continue
        ratio = figure["median"] / before[key]["median"]
        row = {
            "key": key,
            "label": figure["label"],
            "baseline": figure.get("baseline"),
            "median_small": before[key]["median"],
            "median_large": figure["median"],
            "ratio": ratio,
            "target": target,
            "verdict": verdict(ratio, target),
        }
        # for information: the same with each median over its baseline's
        # in its own run (less moved by the machine's load between runs)
        if figure.get("ratio") and before[key].get("ratio"):
            row["baseline_ratio_scale"] = figure["ratio"] / before[key]["ratio"]
        rows.append(row)
    return rows


def scale(results=None):
    """Compare each size's figures with those at 1,000 households, for the
    sizes whose results exist (10,000: ≤ 1.10; 50,000: ≤ 1.15); print them,
    write ``scale.json`` and one chart per size (``scale.png`` for 10,000,
    ``scale-50000.png``). Return ``{size: rows}``."""
    results = results or RESULTS
    base, *sizes = SCALE_SIZES
    small = results / f"households-{base}.json"
    if not small.exists():
        return {}
    before = json.loads(small.read_text())
    compared, sources = {}, [small.name]
    for size in sizes:
        large = results / f"households-{size}.json"
        if not large.exists():
            continue
        target = SCALE_TARGETS[size]
        rows = scale_rows(before, json.loads(large.read_text()), target)
        compared[size] = rows
        sources.append(large.name)
        print_scale(rows, base, size, target)
        chart(
            results / SCALE_CHARTS[size],
            f"Median at {size:,} households / median at {base:,} (target ≤ {target:g})",
            rows,
            xlabel=f"median at {size:,} / median at {base:,}",
        )
    if compared:
        write_json(
            results / "scale.json",
            {
                "targets": {str(s): SCALE_TARGETS[s] for s in compared},
                "sizes": {str(s): rows for s, rows in compared.items()},
                "sources": sources,
            },
        )
    return compared


def print_scale(rows, base, size, target):
    log(f"\nScale: median at {size:,} households / median at {base:,} (≤ {target:g})")
    for title, group in by_role(rows):
        log(f"— {title}")
        for row in group:
            relative = row.get("baseline_ratio_scale")
            log(
                f"  {row['label']:<46} {row['median_small']:>8.1f} "
                f"{row['median_large']:>8.1f} {row['ratio']:>6.2f}  ≤ {target:g}  "
                f"{row['verdict']:<4}"
                + ("" if relative is None else f"  (over its baseline: {relative:.2f})")
            )
    missed = misses(rows)
    log(f"{len(rows) - len(missed)} PASS, {len(missed)} MISS of {len(rows)} figures")

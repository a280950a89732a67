"""The printed report and the charts of ``benchmarks/run.py``.

- ``print_figures`` / ``print_import``: one line per figure, its ratio to its
  baseline and PASS/MISS against its target;
- ``chart``: ``households-<N>.png``, horizontal bars of the ratios with the
  target of each;
- ``scale``: when ``households-1000.json`` and ``households-10000.json`` are
  both in ``benchmarks/results/``, each figure's median at 10,000 households
  over its median at 1,000 (target ≤ 1.15; the Guichet's first page is
  #19's acceptance), printed, in ``scale.json`` and ``scale.png``, with,
  for information, the same of its ratio to its baseline
  (``baseline_ratio_scale``: less moved by the machine's load between the
  two runs).

Not a script: imported by ``run.py``.
"""

from paths import RESULTS
from paths import shown
from progress import log
from result_files import write_json

import json


SCALE_SIZES = (1000, 10000)
SCALE_TARGET = 1.15


def verdict(ratio, target, higher_is_better=False):
    if target is None or ratio is None:
        return ""
    ok = ratio >= target if higher_is_better else ratio <= target
    return "PASS" if ok else "MISS"


def print_figures(figures, clock):
    log(f"\nTimes in ms ({clock}); ratio = median / median of the baseline.")
    log(
        f"{'figure':<44} {'median':>8} {'p95':>8} {'ratio':>6}  {'target':<7} "
        f"{'':<4}  baseline"
    )
    for figure in figures:
        if "not_measured" in figure:
            log(f"{figure['label']:<44} not measured ({figure['not_measured']})")
            continue
        ratio = figure.get("ratio")
        target = figure.get("target")
        shown = "—" if ratio is None else f"{ratio:.2f}"
        limit = "" if target is None else f"≤ {target:g}"
        log(
            f"{figure['label']:<44} {figure['median']:>8.1f} {figure['p95']:>8.1f} "
            f"{shown:>6}  {limit:<7} {verdict(ratio, target):<4}  "
            f"{figure.get('baseline_label', '(baseline)')}"
        )
        if figure.get("conversation_shown", "").startswith("0/"):
            log(f"{'':<44} (the page did not show the conversation)")


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


RATIO_LABEL = "median / median of the baseline"


def chart(path, title, figures, imported=None, xlabel=RATIO_LABEL):
    """Bars of the ratios (lower is better), a tick at each target; below,
    the import speed-up (higher is better) when given."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    rows = [f for f in figures if f.get("ratio") is not None]
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
    ax.set_yticks(range(len(rows)), [f["label"] for f in reversed(rows)], fontsize=8)
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


def scale():
    """Compare the figures at 1,000 and 10,000 households when both exist."""
    small, large = (RESULTS / f"households-{n}.json" for n in SCALE_SIZES)
    if not (small.exists() and large.exists()):
        return None
    before = {f["key"]: f for f in json.loads(small.read_text())["figures"]}
    after = {f["key"]: f for f in json.loads(large.read_text())["figures"]}
    rows = []
    for key, figure in after.items():
        if "median" in figure and "median" in before.get(key, {}):
            ratio = figure["median"] / before[key]["median"]
            row = {
                "key": key,
                "label": figure["label"],
                "median_1000": before[key]["median"],
                "median_10000": figure["median"],
                "ratio": ratio,
                "target": SCALE_TARGET,
                "verdict": verdict(ratio, SCALE_TARGET),
            }
            # for information: the same with each median over its baseline's
            # in its own run (less moved by the machine's load between runs)
            if figure.get("ratio") and before[key].get("ratio"):
                row["baseline_ratio_scale"] = figure["ratio"] / before[key]["ratio"]
            rows.append(row)
    log("\nScale: median at 10,000 households / median at 1,000")
    for row in rows:
        relative = row.get("baseline_ratio_scale")
        log(
            f"{row['label']:<44} {row['median_1000']:>8.1f} "
            f"{row['median_10000']:>8.1f} {row['ratio']:>6.2f}  ≤ {SCALE_TARGET:g}  "
            f"{row['verdict']:<4}"
            + ("" if relative is None else f"  (over its baseline: {relative:.2f})")
        )
    write_json(
        RESULTS / "scale.json",
        {"target": SCALE_TARGET, "figures": rows, "sources": [small.name, large.name]},
    )
    chart(
        RESULTS / "scale.png",
        f"Median at 10,000 households / median at 1,000 (target ≤ {SCALE_TARGET:g})",
        rows,
        xlabel="median at 10,000 / median at 1,000",
    )
    return rows

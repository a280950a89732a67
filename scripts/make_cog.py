"""Write ``src/illkirch/eservices/cog/communes.json.gz``, the table of
the communes' INSEE codes and names that ``illkirch.eservices.cog`` reads,
from INSEE's Code officiel géographique as Etalab publishes it on npm
(``@etalab/decoupage-administratif``, Licence Ouverte, pinned in
``insee-cog/package.json`` and ``insee-cog/package-lock.json``):

- 6.0.0 (COG 2026): the communes today, with the communes déléguées and
  associées and the municipal arrondissements (Paris, Lyon, Marseille), and
  the départements' names;
- 0.8.0 (COG 2020, the last version that has it): ``historique-communes.json``,
  every commune since 1943 with its names and their dates.

    cd insee-cog && npm ci && cd .. && python scripts/make_cog.py
    python scripts/make_cog.py --check   # fail when the committed file differs

The file holds, per code, one tab-separated text: today's name ("" when
gone), then the periods of its names since 1943 (start, end or "" when
open, name), merged, without the period that only repeats today's name.
"""

from pathlib import Path

import argparse
import gzip
import json
import sys


ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "insee-cog" / "node_modules"
CURRENT = "decoupage-administratif"
HISTORY = "decoupage-administratif-historique"
TARGET = ROOT / "src" / "illkirch" / "eservices" / "cog" / "communes.json.gz"
# today's entries of one code, the first kind wins
KINDS = (
    "commune-actuelle",
    "arrondissement-municipal",
    "commune-deleguee",
    "commune-associee",
)
START = "1943-01-01"


def _read(package, name):
    return json.loads((MODULES / package / "data" / name).read_text("utf-8"))


def _version(package):
    return _read_package(package)["version"]


def _read_package(package):
    return json.loads((MODULES / package / "package.json").read_text("utf-8"))


def table():
    now = {}
    for kind in reversed(KINDS):
        for item in _read(CURRENT, "communes.json"):
            if item["type"] == kind:
                now[item["code"]] = item["nom"]
    periods = {}
    for item in _read(HISTORY, "historique-communes.json"):
        periods.setdefault(item["code"], []).append(
            (item.get("dateDebut") or START, item.get("dateFin"), item["nom"])
        )
    communes = {}
    for code in sorted(set(now) | set(periods)):
        merged = []
        for start, end, name in sorted(
            set(periods.get(code, ())), key=lambda p: (p[0], p[1] or "9999", p[2])
        ):
            last = merged[-1] if merged else None
            if last and last[2] == name and (last[1] is None or last[1] >= start):
                if last[1] is not None and (end is None or end > last[1]):
                    last[1] = end
                continue
            merged.append([start, end, name])
        if len(merged) == 1 and merged[0][1] is None and merged[0][2] == now.get(code):
            merged = []
        # one text per code (less memory once loaded than lists):
        # today's name ("" when gone), then start, end ("" when open), name
        fields = [now.get(code) or ""]
        for start, end, name in merged:
            fields += [start, end or "", name]
        communes[code] = "\t".join(fields)
    dates = [
        day
        for item in _read(HISTORY, "historique-communes.json")
        for day in (item.get("dateDebut"), item.get("dateFin"))
        if day
    ]
    departements = {
        item["code"]: item["nom"] for item in _read(CURRENT, "departements.json")
    }
    return {
        "source": {
            "@etalab/decoupage-administratif": _version(CURRENT),
            "@etalab/decoupage-administratif (history)": _version(HISTORY),
            "license": "Licence Ouverte (data), INSEE Code officiel géographique",
        },
        "departements": departements,
        # the history's last change: after it, today's names
        "history_until": max(dates),
        "communes": communes,
    }


def encoded(data):
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # mtime=0: the same data gives the same bytes
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if not MODULES.is_dir():
        sys.exit("insee-cog/node_modules is missing: cd insee-cog && npm ci")
    data = encoded(table())
    if args.check:
        if not TARGET.exists() or TARGET.read_bytes() != data:
            sys.exit(
                f"{TARGET.relative_to(ROOT)} is out of date: run scripts/make_cog.py"
            )
        return
    TARGET.write_bytes(data)
    print(f"{TARGET.relative_to(ROOT)}: {len(data)} bytes")


if __name__ == "__main__":
    main()

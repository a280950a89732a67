"""Keep the two pin files in sync: ``constraints.txt`` (pip) is the source,
``versions.cfg`` (buildout) is generated from it.

    python scripts/sync_pins.py            # write versions.cfg from constraints.txt
    python scripts/sync_pins.py --check    # fail when versions.cfg is out of date
    python scripts/sync_pins.py --freeze   # rewrite constraints.txt from .venv

``--freeze`` is for upgrades: install new versions in ``.venv``, run the whole
suite, then freeze and commit both files.
"""

from pathlib import Path

import argparse
import re
import subprocess
import sys


ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints.txt"
VERSIONS = ROOT / "versions.cfg"
# pip freeze leaves these out; the project pins them too.
TOOLS = ("pip", "setuptools", "wheel")
HEADER = """\
# Every package the project installs, pinned: Plone 6.2.2 and all its transitive
# dependencies, the test tools and the buildout recipes, resolved and tested on
# Python 3.11. Source of truth for versions.cfg: after an edit run
#     python scripts/sync_pins.py
"""


def read_pins(path=CONSTRAINTS):
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)", line)
        if not match:
            raise SystemExit(f"{path.name}: not an exact pin: {line!r}")
        pins[match.group(1)] = match.group(2)
    return pins


def versions_cfg(pins):
    lines = [
        "# Generated from constraints.txt by scripts/sync_pins.py: do not edit.",
        "[versions]",
    ]
    lines += [
        f"{name} = {version}"
        for name, version in sorted(pins.items(), key=lambda item: item[0].lower())
    ]
    return "\n".join(lines) + "\n"


def freeze():
    python = ROOT / ".venv" / "bin" / "python"
    out = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pins = [
        line
        for line in out.splitlines()
        if line and not line.lower().startswith("illkirch")
    ]
    CONSTRAINTS.write_text(
        HEADER + "\n".join(sorted(pins, key=str.lower)) + "\n", encoding="utf-8"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true")
    group.add_argument("--freeze", action="store_true")
    args = parser.parse_args(argv)

    if args.freeze:
        freeze()
    expected = versions_cfg(read_pins())
    if args.check:
        if not VERSIONS.exists() or VERSIONS.read_text(encoding="utf-8") != expected:
            print("versions.cfg is out of date: run python scripts/sync_pins.py")
            return 1
        print("constraints.txt and versions.cfg are in sync")
        return 0
    VERSIONS.write_text(expected, encoding="utf-8")
    print(f"wrote {VERSIONS.name} ({expected.count(chr(10)) - 2} pins)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

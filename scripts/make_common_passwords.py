"""Regenerate ``accounts/data/common-passwords.txt``, the list of common
passwords refused by the password policy (``illkirch.eservices.accounts.passwords``).

The list comes from the ``zxcvbn`` package on PyPI (MIT licence), whose
frequency lists include the most used passwords, most frequent first. It is
not a dependency of the add-on: install it in a throwaway virtualenv and run
this script with that interpreter::

    python3 -m venv /tmp/pwvenv
    /tmp/pwvenv/bin/pip install zxcvbn
    /tmp/pwvenv/bin/python scripts/make_common_passwords.py

The output keeps the ``--count`` (default 10,000) most frequent passwords,
lowercased and deduplicated in frequency order, one per line, UTF-8, after a
``# source:`` header line (lines starting with ``#`` are ignored by the loader).
"""

from importlib.metadata import metadata
from pathlib import Path

import argparse


ROOT = Path(__file__).resolve().parent.parent
OUTPUT = (
    ROOT
    / "src"
    / "illkirch"
    / "eservices"
    / "accounts"
    / "data"
    / "common-passwords.txt"
)
PACKAGE = "zxcvbn"


def common_passwords(count: int) -> list[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    words = FREQUENCY_LISTS["passwords"]
    if isinstance(words, str):  # stored as one comma-separated string
        words = words.split(",")
    seen = set()
    result = []
    for word in words:
        word = word.strip().lower()
        if not word or word.startswith("#") or word in seen:
            continue
        seen.add(word)
        result.append(word)
        if len(result) == count:
            break
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    meta = metadata(PACKAGE)
    header = f"# source: {PACKAGE} {meta['Version']}, {meta['License']}"
    words = common_passwords(args.count)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join([header, *words]) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} passwords to {args.output}")


if __name__ == "__main__":
    main()

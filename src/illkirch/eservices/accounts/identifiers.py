"""Login identifiers of citizen accounts: ``prénom.nom``.

The identifier is the first name and the last name in lower case, accents
kept, joined by a dot: ("Amélie", "Lire") gives "amélie.lire". Uniqueness is
judged on the folded form (``folding.fold``: no accents, case-folded), so
that "amelie.lire" and "amélie.lire" cannot both exist.
"""

from collections.abc import Callable
from illkirch.eservices.folding import fold

import re
import unicodedata


# Whitespace and apostrophes (straight and typographic) separate words.
_SEPARATORS = re.compile(r"[\s'\u2019]+")
_DASHES = re.compile(r"-{2,}")


def _part(name: str) -> str:
    """One normalised part of an identifier (first name or last name)."""
    name = unicodedata.normalize("NFC", (name or "").lower())
    name = _SEPARATORS.sub("-", name)
    # Any dash (en dash, non-breaking hyphen…) is a hyphen.
    name = "".join("-" if unicodedata.category(c) == "Pd" else c for c in name)
    # Letters of any script (accents kept, as composed by NFC), digits, "-".
    name = "".join(c for c in name if c.isalpha() or c.isdecimal() or c == "-")
    return _DASHES.sub("-", name).strip("-")


def base_identifier(first_name: str, last_name: str) -> str:
    """The identifier ``prénom.nom`` before any collision suffix.

    Raises ValueError when the first or last name has nothing usable left.
    """
    first, last = _part(first_name), _part(last_name)
    if not first:
        raise ValueError(f"No usable character in the first name {first_name!r}")
    if not last:
        raise ValueError(f"No usable character in the last name {last_name!r}")
    return f"{first}.{last}"


def unique_identifier(
    first_name: str, last_name: str, taken: Callable[[str], bool]
) -> str:
    """The base identifier, or the first free of base + "2", "3", …

    ``taken(folded)`` tells whether an identifier whose folded form is
    ``folded`` is already used.
    """
    base = base_identifier(first_name, last_name)
    candidate = base
    number = 1
    while taken(fold(candidate)):
        number += 1
        candidate = f"{base}{number}"
    return candidate

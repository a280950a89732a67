"""Accent- and case-insensitive keys of text: login identifiers, people's
names and the words searched for them."""

import unicodedata


def fold(text: str) -> str:
    """Accent- and case-insensitive key of a text.

    NFKD decomposition, combining marks dropped, then casefold:
    "Amélie.Lire" gives "amelie.lire", "ß" gives "ss".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()

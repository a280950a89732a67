"""Password policy of citizen accounts.

Follows the CNIL's deliberation no. 2022-100 (recommendation on passwords),
for a password used alone with a limit on failed attempts: at least 12
characters mixing at least 3 of the 4 character classes. No fixed expiry and
no security question. On top of that the password must not be a common one
nor contain the user's own names, identifier or email local part.
"""

from collections.abc import Iterable
from illkirch.eservices import _
from pathlib import Path

import functools
import re
import unicodedata


MIN_LENGTH = 12
MIN_CLASSES = 3
MAX_LENGTH = 128
# Personal values (and their parts) shorter than this are not looked for.
MIN_PERSONAL_LENGTH = 3

COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt"

RULE = _(
    "password_rule",
    default="At least 12 characters, mixing at least 3 of: lowercase letters, "
    "uppercase letters, digits, special characters. Avoid common passwords "
    "and your own name.",
)

_NON_ALNUM = re.compile(r"[\W_]+")


@functools.cache
def _common_passwords() -> frozenset:
    """The lowercased common passwords; lines starting with # are comments."""
    with COMMON_PASSWORDS_FILE.open(encoding="utf-8") as lines:
        return frozenset(
            line.strip().lower()
            for line in lines
            if line.strip() and not line.startswith("#")
        )


def is_common(password: str) -> bool:
    """Whether the password is in the list of common passwords (any case)."""
    return unicodedata.normalize("NFC", password).lower() in _common_passwords()


def character_classes(password: str) -> int:
    """How many of lowercase, uppercase, digits and special characters occur.

    Accented letters count as letters of their case; any character that is
    not alphanumeric (punctuation, symbols, spaces) is special.
    """
    lower = upper = digit = special = False
    for char in password:
        if char.islower():
            lower = True
        elif char.isupper():
            upper = True
        elif char.isnumeric():
            digit = True
        elif not char.isalnum():
            special = True
    return lower + upper + digit + special


def _fold(text: str) -> str:
    """Accent- and case-insensitive form: NFKD, combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _personal_fragments(personal: Iterable[str]) -> set:
    """The folded strings a password must not contain.

    For each value (an email address counts by its local part): the value
    without its separators, and each of its alphanumeric parts, e.g.
    "Jean-Pierre" gives "jeanpierre", "jean" and "pierre"; fragments shorter
    than MIN_PERSONAL_LENGTH are left out.
    """
    fragments = set()
    for value in personal:
        if not value:
            continue
        value = _fold(str(value).strip())
        if "@" in value:
            value = value.rsplit("@", 1)[0]
        parts = [part for part in _NON_ALNUM.split(value) if part]
        for fragment in ("".join(parts), *parts):
            if len(fragment) >= MIN_PERSONAL_LENGTH:
                fragments.add(fragment)
    return fragments


def contains_personal(password: str, personal: Iterable[str]) -> bool:
    """Whether the password contains one of the user's personal values."""
    folded = _fold(password)
    bare = "".join(_NON_ALNUM.split(folded))
    return any(
        fragment in folded or fragment in bare
        for fragment in _personal_fragments(personal)
    )


def password_problems(password: str, personal: Iterable[str] = ()) -> list:
    """The rules the password breaks, as i18n messages; empty when acceptable.

    ``personal`` holds the user's first name, last name, identifier, email…
    One message per broken rule, always in the same order: length, character
    classes, common password, personal information.
    """
    password = unicodedata.normalize("NFC", password or "")
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(
            _(
                "password_too_short",
                default="The password must be at least ${min_length} characters long.",
                mapping={"min_length": MIN_LENGTH},
            )
        )
    elif len(password) > MAX_LENGTH:
        problems.append(
            _(
                "password_too_long",
                default="The password must be at most ${max_length} characters long.",
                mapping={"max_length": MAX_LENGTH},
            )
        )
    if character_classes(password) < MIN_CLASSES:
        problems.append(
            _(
                "password_too_few_classes",
                default="The password must mix at least ${min_classes} of: "
                "lowercase letters, uppercase letters, digits, special "
                "characters.",
                mapping={"min_classes": MIN_CLASSES},
            )
        )
    if password and is_common(password):
        problems.append(
            _(
                "password_common",
                default="This password is among the most commonly used "
                "passwords; choose another one.",
            )
        )
    if contains_personal(password, personal):
        problems.append(
            _(
                "password_personal",
                default="The password must not contain your name, your "
                "identifier or your email address.",
            )
        )
    return problems

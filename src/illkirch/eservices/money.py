"""Amounts in euros: kept as integer cents, typed and shown the French way
(``12,50 €``)."""

from decimal import Decimal

import re


_AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")


def decimal_text(text: str) -> str:
    """A number typed the French way as decimal text: spaces (no-break ones
    too) and « € » dropped, comma as point: « 1 234,50 € » → « 1234.50 »."""
    return (
        text.strip()
        .replace("\u00a0", "")
        .replace("\u202f", "")
        .replace(" ", "")
        .replace("€", "")
        .replace(",", ".")
    )


def parse_cents(text: str) -> int:
    """Euros (« 12,50 », « 4.5 », « -3 ») as integer cents; ValueError otherwise."""
    value = decimal_text(text)
    if not _AMOUNT.match(value):
        raise ValueError(text)
    return int(Decimal(value) * 100)


def euros(cents: int | None) -> str:
    """``1250`` → ``"12,50 €"`` (French format, narrow no-break spaces)."""
    cents = int(cents or 0)
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    grouped = f"{units:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{rest:02d}\u00a0€"

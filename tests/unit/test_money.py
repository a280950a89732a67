"""Amounts in euros: plain unit tests."""

from illkirch.eservices.money import decimal_text
from illkirch.eservices.money import euros
from illkirch.eservices.money import parse_cents

import pytest


@pytest.mark.parametrize(
    ("cents", "shown"),
    [
        (1250, "12,50\u00a0€"),
        (0, "0,00\u00a0€"),
        (None, "0,00\u00a0€"),
        (5, "0,05\u00a0€"),
        (-300, "-3,00\u00a0€"),
        (123456, "1\u202f234,56\u00a0€"),
        (123456789, "1\u202f234\u202f567,89\u00a0€"),
    ],
)
def test_euros(cents, shown):
    assert euros(cents) == shown


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12,50", 1250),
        ("4.5", 450),
        ("-3", -300),
        (" 1 234,56 € ", 123456),
        ("1\u202f234,56\u00a0€", 123456),
        ("0,05", 5),
    ],
)
def test_parse_cents(typed, cents):
    assert parse_cents(typed) == cents


@pytest.mark.parametrize("typed", ["", "12,505", "12,5,0", "douze", "1e3", "+4", "€"])
def test_parse_cents_refused(typed):
    with pytest.raises(ValueError):
        parse_cents(typed)


def test_euros_read_back():
    for cents in (0, 5, 1250, -300, 123456):
        assert parse_cents(euros(cents)) == cents


def test_decimal_text():
    assert decimal_text(" 1 234,5 € ") == "1234.5"

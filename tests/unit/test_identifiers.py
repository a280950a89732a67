"""Citizen login identifiers ``prénom.nom``: plain unit tests."""

from illkirch.eservices.accounts.identifiers import base_identifier
from illkirch.eservices.accounts.identifiers import unique_identifier
from illkirch.eservices.folding import fold

import pytest
import unicodedata


@pytest.mark.parametrize(
    "first, last, expected",
    [
        ("Amélie", "Lire", "amélie.lire"),
        ("Jean-Pierre", "Le Gall", "jean-pierre.le-gall"),
        ("Anne Marie", "D'Artagnan", "anne-marie.d-artagnan"),
        ("Anne", "D\u2019Artagnan", "anne.d-artagnan"),  # typographic apostrophe
        ("  Zoé ", " Müller ", "zoé.müller"),
        ("Jean  --  Pierre", "O' Neil", "jean-pierre.o-neil"),  # runs collapse
        ("-Éloïse-", "'Çelik'", "éloïse.çelik"),  # leading/trailing "-"
        ("Jean (Paul)", "Dupont, Jr.", "jean-paul.dupont-jr"),  # dropped
        ("Louis", "XIV 2", "louis.xiv-2"),  # digits kept
        ("Ελένη", "Παπαδοπούλου", "ελένη.παπαδοπούλου"),  # any script
        ("Jean\u2013Luc", "Straße", "jean-luc.straße"),  # en dash
    ],
)
def test_base_identifier(first, last, expected):
    assert base_identifier(first, last) == expected


def test_base_identifier_is_nfc():
    decomposed = unicodedata.normalize("NFD", "Amélie")
    assert len(decomposed) == 7
    result = base_identifier(decomposed, "Lire")
    assert result == "amélie.lire"
    assert result == unicodedata.normalize("NFC", result)


@pytest.mark.parametrize(
    "first, last",
    [
        ("", "Lire"),
        ("Amélie", ""),
        ("   ", "Lire"),
        ("Amélie", "' - ’"),
        ("!!", "Lire"),
        (None, "Lire"),
    ],
)
def test_empty_parts_raise(first, last):
    with pytest.raises(ValueError):
        base_identifier(first, last)


@pytest.mark.parametrize(
    "identifier, expected",
    [
        ("Amélie.Lire", "amelie.lire"),
        ("amélie.lire", "amelie.lire"),
        ("jean-pierre.straße", "jean-pierre.strasse"),
        ("ÉLOÏSE.ÇELIK2", "eloise.celik2"),
    ],
)
def test_fold(identifier, expected):
    assert fold(identifier) == expected


def test_unique_identifier_free():
    calls = []

    def taken(folded):
        calls.append(folded)
        return False

    assert unique_identifier("Amélie", "Lire", taken) == "amélie.lire"
    assert calls == ["amelie.lire"]  # asked with the folded form


def test_unique_identifier_suffixes():
    used = {"amelie.lire"}
    assert unique_identifier("Amélie", "Lire", used.__contains__) == "amélie.lire2"
    used.add("amelie.lire2")
    assert unique_identifier("Amélie", "Lire", used.__contains__) == "amélie.lire3"


def test_unique_identifier_first_free_suffix():
    used = {"amelie.lire", "amelie.lire3"}
    assert unique_identifier("Amélie", "Lire", used.__contains__) == "amélie.lire2"


def test_unique_identifier_accent_insensitive():
    # "amelie.lire" (no accent) is taken: "Amélie Lire" must not get it.
    used = {fold("amelie.lire")}
    assert unique_identifier("Amélie", "Lire", used.__contains__) == "amélie.lire2"
    # And the other way round.
    used = {fold("amélie.lire")}
    assert unique_identifier("AMELIE", "LIRE", used.__contains__) == "amelie.lire2"

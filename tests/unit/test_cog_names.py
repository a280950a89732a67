"""INSEE's Code officiel géographique in words (``illkirch.eservices.cog``):
real codes of communes, today's and former ones at a birth date, countries,
unknown codes; the committed table matches the npm packages it is made from
(``insee-cog/``, ``scripts/make_cog.py``)."""

from datetime import date
from illkirch.eservices import cog
from pathlib import Path

import json
import pytest
import subprocess
import sys


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("code", "on", "name"),
    [
        ("67218", None, "Illkirch-Graffenstaden (Bas-Rhin)"),
        ("67218", date(1950, 5, 1), "Illkirch-Graffenstaden (Bas-Rhin)"),
        ("67482", "1985-03-12", "Strasbourg (Bas-Rhin)"),
        ("75056", None, "Paris"),
        # a municipal arrondissement (the provider's « angela »)
        ("75107", "1962-08-24", "Paris 7e Arrondissement"),
        ("68224", None, "Mulhouse (Haut-Rhin)"),
        # Évry: 78228 in Seine-et-Oise, renamed in 1965, 91228 in the
        # Essonne from 1968, merged as Évry-Courcouronnes in 2019
        ("78228", "1960-01-01", "Évry-Petit-Bourg (Seine-et-Oise)"),
        ("78228", date(1966, 1, 1), "Évry (Seine-et-Oise)"),
        ("91228", "1990-06-01", "Évry (Essonne)"),
        ("91228", "2020-06-01", "Évry-Courcouronnes (Essonne)"),
        ("91228", None, "Évry-Courcouronnes (Essonne)"),
        # a Bas-Rhin commune renamed in 1961
        ("67496", "1955-01-01", "Ueberach (Bas-Rhin)"),
        ("67496", "1970-01-01", "Uberach (Bas-Rhin)"),
        # a commune merged into a commune nouvelle (2016), named as it was
        ("01015", "1960-01-01", "Arbignieu (Ain)"),
        ("01015", "2017-01-01", "Arboys en Bugey (Ain)"),
        # Corsica before its division
        ("2A004", "1970-01-01", "Ajaccio (Corse)"),
        ("2a004", None, "Ajaccio (Corse-du-Sud)"),
        ("97411", None, "Saint-Denis (La Réunion)"),
        ("12345", None, "commune de code INSEE 12345"),
        ("99999", "1960-01-01", "commune de code INSEE 99999"),
    ],
)
def test_commune_name(code, on, name):
    assert cog.commune_name(code, on) == name


def test_commune_not_a_date():
    # a birth date that is not one: today's name
    assert cog.commune_name("91228", "24/08/1962") == "Évry-Courcouronnes (Essonne)"
    assert cog.commune("00000") is None


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("99100", "France"),
        ("99109", "Allemagne"),
        ("99134", "Espagne"),
        ("99131", "Belgique"),
        ("99140", "Suisse"),
        ("99352", "Algérie"),
        ("99350", "Maroc"),
        ("99142", "Allemagne de l’Ouest"),
        ("99115", "Tchécoslovaquie"),
        ("99999", "pays de code INSEE 99999"),
        ("", "pays de code INSEE "),
    ],
)
def test_country_name(code, name):
    assert cog.country_name(code) == name


def test_place_name():
    assert (
        cog.place_name("67218", "99100", "1962-08-24")
        == "Illkirch-Graffenstaden (Bas-Rhin)"
    )
    assert cog.place_name("78228", "99100", "1961-04-02") == (
        "Évry-Petit-Bourg (Seine-et-Oise)"
    )
    # born abroad: the country (FranceConnect gives no commune then)
    assert cog.place_name("", "99109", "1990-11-02") == "Allemagne"
    assert cog.place_name(None, "99134") == "Espagne"
    # a commune without a country: in France
    assert cog.place_name("67482", "", None) == "Strasbourg (Bas-Rhin)"
    assert cog.place_name("", "") == ""
    assert cog.place_name("12345", "99100") == "commune de code INSEE 12345"


def test_source_matches_its_pinned_packages():
    """The committed table says which versions it was made from: those
    pinned in insee-cog/package.json and its lock."""
    package = json.loads((ROOT / "insee-cog" / "package.json").read_text("utf-8"))
    lock = json.loads((ROOT / "insee-cog" / "package-lock.json").read_text("utf-8"))
    pins = {
        name: spec.rsplit("@", 1)[1] for name, spec in package["dependencies"].items()
    }
    for name, version in pins.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert (
        cog.source()["@etalab/decoupage-administratif"]
        == pins["decoupage-administratif"]
    )
    assert (
        cog.source()["@etalab/decoupage-administratif (history)"]
        == pins["decoupage-administratif-historique"]
    )


@pytest.mark.skipif(
    not (ROOT / "insee-cog" / "node_modules").is_dir(),
    reason="insee-cog/node_modules is not installed (cd insee-cog && npm ci)",
)
def test_committed_table_is_the_packages():
    """Made again from the installed packages, the table is byte for byte
    the committed one."""
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_cog.py"), "--check"],
        check=True,
        capture_output=True,
        text=True,
    )

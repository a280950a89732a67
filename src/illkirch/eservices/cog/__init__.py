"""French names of INSEE's Code officiel géographique (COG) codes: the
communes (« 67218 » → « Illkirch-Graffenstaden (Bas-Rhin) ») and the foreign
countries (« 99109 » → « Allemagne »), for the places of birth that
FranceConnect gives as codes (docs/franceconnect.md).

A commune's code is the one valid at the birth date: communes merge, change
names and codes. ``communes.json.gz`` (written by ``scripts/make_cog.py``
from Etalab's npm packages of the COG, see docs/architecture.md) holds
today's communes (COG 2026, with the communes déléguées and associées and the
municipal arrondissements) and their history since 1943 (up to COG 2020).
``pays.csv`` holds the countries' codes (typed by hand, no registry ships
them). Both are read once per process, on first use.

An unknown code reads clearly as a code (« commune de code INSEE 12345 »),
never as a guess.
"""

from datetime import date
from pathlib import Path

import csv
import functools
import gzip
import json


HERE = Path(__file__).parent
FRANCE = "99100"
# Départements whose code was another's before a date: the Seine and
# Seine-et-Oise until their division (1968), Corsica until its (1976).
FORMER_DEPARTEMENTS = (
    ("1968-01-01", {"75": "Seine", "78": "Seine-et-Oise"}),
    ("1976-01-01", {"2A": "Corse", "2B": "Corse"}),
)


@functools.cache
def _table():
    with gzip.open(HERE / "communes.json.gz", "rt", encoding="utf-8") as data:
        return json.load(data)


@functools.cache
def _countries():
    with open(HERE / "pays.csv", encoding="utf-8", newline="") as data:
        lines = (line for line in data if not line.startswith("#"))
        return {
            row["code"]: row["name"] for row in csv.DictReader(lines, delimiter=";")
        }


def source():
    """The versions the communes' table was made from (its ``source``)."""
    return dict(_table()["source"])


def _day(on):
    """``on`` (a date, datetime or ISO text) as ``YYYY-MM-DD``, or None."""
    if not on:
        return None
    if isinstance(on, date):
        return on.isoformat()[:10]
    try:
        return date.fromisoformat(str(on)[:10]).isoformat()
    except ValueError:
        return None


def _clean(code):
    return (code or "").strip().upper()


def departement_name(code, on=None):
    """The name of the département of a commune's code (as it was on ``on``)."""
    code = _clean(code)
    number = code[:3] if code[:2] in ("97", "98") else code[:2]
    day = _day(on)
    for until, former in FORMER_DEPARTEMENTS:
        if day and day < until and number in former:
            return former[number]
    return _table()["departements"].get(number)


def commune(code, on=None):
    """The commune's name as it was on ``on`` (a date; today's when None or
    after the history), or None for a code the COG never had."""
    table = _table()
    entry = table["communes"].get(_clean(code))
    if entry is None:
        return None
    fields = entry.split("\t")
    now = fields[0] or None
    periods = [
        (fields[i], fields[i + 1] or None, fields[i + 2])
        for i in range(1, len(fields), 3)
    ]
    day = _day(on)
    if day and (now is None or day < table["history_until"]):
        valid = [
            (start, name)
            for start, end, name in periods
            if start <= day and (end is None or day < end)
        ]
        if valid:
            return max(valid)[1]
    if now is not None:
        return now
    # gone since: its last name (before its first one when born earlier)
    if day and periods and day < periods[0][0]:
        return periods[0][2]
    return max((start, name) for start, _end, name in periods)[1] if periods else None


def commune_name(code, on=None):
    """« Illkirch-Graffenstaden (Bas-Rhin) »: the commune and its département
    (left out when the name says it: « Paris », « Lyon 3e Arrondissement »),
    or « commune de code INSEE 12345 » for an unknown code."""
    code = _clean(code)
    name = commune(code, on)
    if name is None:
        return f"commune de code INSEE {code}"
    departement = departement_name(code, on)
    if not departement or name.startswith(departement) or "Arrondissement" in name:
        return name
    return f"{name} ({departement})"


def country_name(code):
    """« Allemagne » for 99109, or « pays de code INSEE 99xxx » when unknown."""
    code = _clean(code)
    return _countries().get(code) or f"pays de code INSEE {code}"


def place_name(birthplace, birthcountry, birthdate=None):
    """The place of birth of FranceConnect's identity pivot in words: the
    commune (its name at ``birthdate``) for a birth in France, the country
    for a birth abroad; "" when neither is given."""
    birthplace, birthcountry = _clean(birthplace), _clean(birthcountry)
    if birthplace and birthcountry in ("", FRANCE):
        return commune_name(birthplace, birthdate)
    if birthcountry:
        return country_name(birthcountry)
    return ""

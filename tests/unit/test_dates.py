"""Dates as the town types and shows them: plain unit tests."""

from datetime import UTC
from datetime import date
from datetime import datetime
from illkirch.eservices.dates import format_date
from illkirch.eservices.dates import format_datetime
from illkirch.eservices.dates import parse_date
from illkirch.eservices.dates import parse_datetime
from zoneinfo import ZoneInfo

import pytest


PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    "typed",
    ["03/02/1990", "1990-02-03", " 03/02/1990 ", "3/2/1990", "1990-2-3"],
)
def test_parse_date_french_and_iso(typed):
    assert parse_date(typed) == date(1990, 2, 3)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "31/02/1990",
        "32/01/1990",
        "1990/02/03",
        "03-02-1990",
        "03.02.1990",
        "3 février 1990",
        "03/02/90",
        "1990-02-03T10:00",
    ],
)
def test_parse_date_refused(typed):
    with pytest.raises(ValueError):
        parse_date(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "2026-11-27T08:17",
        "2026-11-27T08:17:00",
        "27/11/2026 08:17",
        " 27/11/2026 08:17",
    ],
)
def test_parse_datetime(typed):
    assert parse_datetime(typed) == datetime(2026, 11, 27, 8, 17)


@pytest.mark.parametrize("typed", ["27/11/2026", "2026-11-27 08:17", "27/11/2026 8h17"])
def test_parse_datetime_refused(typed):
    with pytest.raises(ValueError):
        parse_datetime(typed)


def test_format_date():
    assert format_date(date(1986, 3, 14)) == "14/03/1986"
    assert format_date(datetime(2026, 4, 7, 23, 30)) == "07/04/2026"
    assert format_date(None) == ""


def test_format_datetime():
    moment = datetime(2026, 11, 27, 7, 17, tzinfo=UTC)
    assert format_datetime(moment) == "27/11/2026 07:17"
    assert format_datetime(moment, PARIS) == "27/11/2026 08:17"
    summer = datetime(2026, 7, 1, 22, 5, tzinfo=UTC)
    assert format_datetime(summer, PARIS) == "02/07/2026 00:05"
    assert format_datetime(None, PARIS) == ""

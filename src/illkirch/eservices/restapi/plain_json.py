"""``json_compatible`` without its cost on what is JSON already.

plone.restapi's ``json_compatible`` looks up a converter adapter for every
value of a structure, a string or a number too: on a listing of a few
thousand values (``GET /@services``: every question of every service) that
was a third of the answer's time (#22, docs/performance.md). ``plain``
walks dicts and lists itself, keeps the values that are plain JSON as they
are, and gives every other value to ``json_compatible``: the same result.

Exact types only: an i18n ``Message`` is a ``str`` that
``json_compatible`` translates, a ``bool`` an ``int``…
"""

from datetime import UTC
from datetime import date
from datetime import datetime
from plone.restapi.serializer.converters import json_compatible


PLAIN = (str, int, float, bool, type(None))


def plain(value):
    """``json_compatible(value)``, faster on plain dicts, lists and scalars,
    dates and datetimes (converted as plone.restapi's
    ``datetimelike_to_iso``: an aware datetime in UTC, no microseconds)."""
    kind = type(value)
    if kind in PLAIN:
        return value
    if kind is date:
        return value.isoformat()
    if kind is datetime:
        if value.tzinfo:
            value = value.astimezone(UTC)
        return value.replace(microsecond=0).isoformat()
    if kind is dict and all(type(key) is str for key in value):
        return {key: plain(item) for key, item in value.items()}
    if kind is list:
        return [plain(item) for item in value]
    return json_compatible(value)

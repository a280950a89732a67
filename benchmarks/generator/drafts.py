"""Drafts of requests in the generated households (#17): « Mon espace »
Accueil with ``DRAFTS_PER_HOUSEHOLD`` drafts, in one household out of
``DRAFTS_EVERY``.

The drafts are being built in the add-on (``illkirch.eservices.drafts``).
Until the package has its ``store``, ``add_drafts`` writes nothing and
raises ``DraftsUnavailable``: the generation goes on, the manifest says why
there are no drafts and ``benchmarks/run.py`` reports the figure « Accueil
with 5 drafts » as not measured. Once the store exists, ``add_drafts`` is
the one function to write (with the store's own API, the drafts dated in
the past like everything else); nothing else changes.
"""

import importlib


DRAFTS_EVERY = 20
DRAFTS_OFFSET = 10  # households 10, 30, 50 …
DRAFTS_PER_HOUSEHOLD = 5
STORE = "illkirch.eservices.drafts.store"
NOT_AVAILABLE = "drafts not available"


class DraftsUnavailable(Exception):
    """The drafts cannot be written; its text says why (in the manifest
    and the report)."""


def has_drafts(index):
    return index % DRAFTS_EVERY == DRAFTS_OFFSET


def drafts_store():
    """The add-on's drafts store, None while the package has none."""
    try:
        return importlib.import_module(STORE)
    except ModuleNotFoundError as error:
        if error.name != STORE:
            raise
        return None


def add_drafts(household, service, count):
    """Store ``count`` drafts of a request to ``service`` (a Service) in
    ``household``, as the request wizard keeps them; return how many were
    stored. Raises ``DraftsUnavailable`` while the add-on cannot store
    drafts."""
    if drafts_store() is None:
        raise DraftsUnavailable(NOT_AVAILABLE)
    raise DraftsUnavailable(
        f"drafts not written: {STORE} exists but add_drafts "
        "(benchmarks/generator/drafts.py) does not use it"
    )

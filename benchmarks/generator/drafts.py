"""Drafts of requests in the generated households (#17): « Mon espace »
Accueil with ``DRAFTS_PER_HOUSEHOLD`` drafts, in one household out of
``DRAFTS_EVERY``.

``add_drafts`` stores them with the add-on's own store
(``illkirch.eservices.drafts.store.create``, which takes the household
explicitly: the generator runs as the site's administrator), as the request
wizard leaves them: the same service started again, the drafts stopped in
turn after the form's first step, its second … (the answers of the steps
filled, taken from the household's latest request to that service, and the
step reached), the most advanced one with a small PDF kept for the
service's first document. Then, as everything
the generator writes, they are made the household holder's and dated in the
past: saved a day apart, the last one a day before the generation (1 to 6
days before it), well inside the 30 days before expiry and before the
reminder's day, so that a kept site shows them for about three weeks and
sends no email.

Without the store (an add-on older than the drafts) ``add_drafts`` raises
``DraftsUnavailable``: the generation goes on, the manifest says why there
are no drafts and ``benchmarks/run.py`` reports the figure « Accueil with
5 drafts » as not measured.
"""

from datetime import timedelta

import importlib
import random


DRAFTS_EVERY = 20
DRAFTS_OFFSET = 10  # households 10, 30, 50 …
DRAFTS_PER_HOUSEHOLD = 5
STORE = "illkirch.eservices.drafts.store"
NOT_AVAILABLE = "drafts not available"
NO_HOUSEHOLD = (
    f"no household with drafts (households {DRAFTS_OFFSET}, "
    f"{DRAFTS_OFFSET + DRAFTS_EVERY} …: generate at least {DRAFTS_OFFSET + 1})"
)


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


def small_pdf():
    """A valid one-page PDF of a few hundred bytes (the type is read from
    the content: ``requests.attachments.sniff``): the tests' own."""
    from illkirch.eservices.testing.files import pdf

    return pdf()


def latest_request(household, service):
    """The household's latest request to ``service`` (None without one)."""
    uid = service.UID()
    requests = [
        obj
        for obj in household.objectValues()
        if obj.portal_type == "Request" and obj.service_uid == uid
    ]
    return max(requests, key=lambda r: r.submitted, default=None)


def draft_values(service, earlier, reached):
    """What the wizard keeps when the citizen has filled the first
    ``reached`` steps of the service's form (answers of ``earlier``, a
    request's stored answers) and moved on to the next one."""
    from illkirch.eservices.browser.services import FINAL_STEP
    from illkirch.eservices.requests import forms
    from illkirch.eservices.requests.answers import raw_of

    steps = forms.steps(service)
    raw = raw_of(earlier.answers) if earlier is not None else {}
    names = [name for step in steps[:reached] for name, _field in step.fields]
    return {
        "answers": {name: raw[name] for name in names if name in raw},
        "member": earlier.member_id if earlier is not None else "",
        "by_post": False,
        "step": steps[reached].id if reached < len(steps) else FINAL_STEP,
    }


def add_drafts(household, service, count):
    """Store ``count`` drafts of a request to ``service`` (a Service) in
    ``household``, as the request wizard keeps them; return how many were
    stored. Raises ``DraftsUnavailable`` while the add-on cannot store
    drafts."""
    store = drafts_store()
    if store is None:
        raise DraftsUnavailable(NOT_AVAILABLE)
    from illkirch.eservices.requests import forms

    rng = random.Random(f"drafts:{household.getId()}")
    earlier = latest_request(household, service)
    steps = len(forms.steps(service))
    documents = service.documents()
    saved = store.now() - timedelta(days=1, minutes=rng.randrange(0, 600))
    reached = [1 + n % max(steps, 1) for n in range(count)]  # 1, 2 … then 1
    advanced = max(range(count), key=lambda n: (reached[n], n), default=None)
    for n in range(count):
        files = []
        if documents and n == advanced:
            files.append(
                {
                    "document": documents[0].getId(),
                    "filename": f"{documents[0].getId()}.pdf",
                    "data": small_pdf(),
                }
            )
        draft = store.create(
            household, service, draft_values(service, earlier, reached[n]), files
        )
        # the household's holder's, saved a day apart, the last one yesterday
        draft.owner = household.holder_id
        draft.modified = saved - timedelta(days=count - 1 - n)
        draft.created = draft.modified - timedelta(minutes=rng.randrange(3, 40))
        for kept in draft.files:
            kept.added = draft.modified
    return count

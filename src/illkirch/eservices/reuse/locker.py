"""The household's document locker, « Mes documents » (#17).

A document given with a request for a supporting document marked with a
reusable type (``SupportingDocument.reusable_type``, types and validities
in the registry: ``vocabularies/document_types.py``) enters the locker of
the request's household when the request is submitted (``keep_submitted``,
subscribed to ``IRequestSubmitted``), or when a correction replaces it
(``keep_replaced``, subscribed to ``IRequestDocumentsReplaced``: the new
file is the newest valid one). It is then offered, while valid, to
the supporting documents of the same type of the household's next requests:
``files`` gives it back as an upload that ``requests.submission.submit``
checks as any other.

The locker is an annotation of the Household, so that the household's
workflow and local roles protect it; closing the account empties it
(``account_closed``) and deleting the household deletes it.
Each entry holds its **own copy** of the file (a blob of its own): deleting
an entry never touches the request's document, and the retention purge
deleting a request (its blobs) leaves no entry pointing at nothing.

Validity: ``given`` + the type's months (read from the registry when asked,
so that a change of validity applies to what is kept). Expired entries, and
entries of a type the editors removed, are never offered nor listed; the
daily task ``reuse.locker-purge`` deletes them (nothing is written when a
page or the API reads the locker).
"""

from datetime import date
from illkirch.eservices import _
from illkirch.eservices import business_days
from illkirch.eservices import jobs
from illkirch.eservices.content.household import IHousehold
from illkirch.eservices.vocabularies.document_types import document_types
from persistent import Persistent
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations

import calendar
import hashlib
import logging
import secrets


logger = logging.getLogger("illkirch.eservices.reuse")

LOCKER_KEY = "illkirch.eservices.locker"

NOT_IN_LOCKER = _(
    "error_locker_unknown",
    default="This document is no longer in your documents (deleted, or no "
    "longer valid): attach the file again.",
)
WRONG_TYPE = _(
    "error_locker_type",
    default="This document of your documents is not of the type asked here.",
)


class Entry(Persistent):
    """A document of the locker."""

    def __init__(self, type_id, title, filename, content_type, data, given, number):
        self.id = secrets.token_hex(8)
        self.type = type_id
        self.title = title  # the supporting document's title when it was given
        self.filename = filename
        self.content_type = content_type
        self.file = NamedBlobFile(
            data=data, contentType=content_type, filename=filename
        )
        self.size = len(data)
        self.digest = hashlib.sha256(data).hexdigest()
        self.given = given  # a date (the town's day)
        self.request_number = number


def add_months(day, months):
    """``day`` + ``months`` (the last day of the month when it has fewer)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def today():
    return business_days.today()


def _store(household, create=False):
    annotations = IAnnotations(household)
    store = annotations.get(LOCKER_KEY)
    if store is None and create:
        from BTrees.OOBTree import OOBTree

        store = annotations[LOCKER_KEY] = OOBTree()
    return store


def valid_until(entry, types=None):
    """The last day the entry is offered; None for an unknown type."""
    types = document_types() if types is None else types
    info = types.get(entry.type)
    if info is None:
        return None
    return add_months(entry.given, info["months"])


def is_valid(entry, on=None, types=None):
    until = valid_until(entry, types)
    return until is not None and (on or today()) <= until


def entries(household, type_id=None, on=None):
    """The valid entries of the household's locker (of ``type_id`` when
    given), the most recently given first."""
    if household is None:
        return []
    store = _store(household)
    if not store:
        return []
    types = document_types()
    found = [
        entry
        for entry in store.values()
        if (type_id is None or entry.type == type_id) and is_valid(entry, on, types)
    ]
    return sorted(found, key=lambda e: (e.given, e.id), reverse=True)


def entry_info(entry, types=None):
    """A JSON-compatible description of an entry (no bytes)."""
    types = document_types() if types is None else types
    until = valid_until(entry, types)
    return {
        "id": entry.id,
        "type": entry.type,
        "type_title": types.get(entry.type, {}).get("title", entry.type),
        "title": entry.title,
        "filename": entry.filename,
        "content_type": entry.content_type,
        "size": entry.size,
        "given": entry.given.isoformat(),
        "valid_until": until.isoformat() if until else None,
        "request_number": entry.request_number,
    }


def get(household, entry_id):
    """A valid entry of the household's locker; None otherwise."""
    if household is None or not isinstance(entry_id, str):
        return None
    store = _store(household)
    entry = store.get(entry_id) if store else None
    if entry is None or not is_valid(entry):
        return None
    return entry


def delete(household, entry_id):
    """Delete an entry of the household's locker (its copy only: the
    request's document stays); False when there is none."""
    if household is None or not isinstance(entry_id, str):
        return False
    store = _store(household)
    if not store or entry_id not in store:
        return False
    del store[entry_id]
    return True


def offered(household, document):
    """The entries offered to a SupportingDocument (valid, of its type)."""
    type_id = getattr(document, "reusable_type", None)
    if not type_id:
        return []
    return entries(household, type_id)


def files(household, choices, documents):
    """The uploads of the chosen entries, for ``submission.submit``.

    ``choices``: ``[(document id, entry id)]``; ``documents``: the service's
    SupportingDocuments by id. Return ``(files, errors)``: the uploads
    ``{"document", "filename", "data", "locker"}`` (checked again by
    ``submission.submit`` as any file) and ``document-<id>`` → message for
    an entry that is not (or no longer) in the household's valid locker or
    not of the document's type."""
    result, errors = [], {}
    for document_id, entry_id in choices:
        key = f"document-{document_id}"
        document = documents.get(document_id)
        entry = get(household, entry_id)
        if entry is None:
            errors.setdefault(key, NOT_IN_LOCKER)
            continue
        if document is None or getattr(document, "reusable_type", None) != entry.type:
            errors.setdefault(key, WRONG_TYPE)
            continue
        result.append(
            {
                "document": document_id,
                "filename": entry.filename,
                "data": entry.file.data,
                "locker": entry.id,
            }
        )
    return result, errors


# filling the locker ------------------------------------------------------------


def keep(household, document, upload, number, given=None):
    """Keep a checked upload given for ``document`` (with a type); return
    the entry, or None when the same file of this type is already kept."""
    type_id = getattr(document, "reusable_type", None)
    if not type_id or type_id not in document_types():
        return None
    data = upload["data"]
    digest = hashlib.sha256(data).hexdigest()
    store = _store(household, create=True)
    for entry in store.values():
        if entry.type == type_id and entry.digest == digest:
            return None
    entry = Entry(
        type_id,
        document.Title(),
        upload["filename"],
        upload["content_type"],
        data,
        given or today(),
        number,
    )
    store[entry.id] = entry
    return entry


def keep_submitted(event):
    """IRequestSubmitted: keep the request's documents that have a type
    (not those taken from the locker: they are there already)."""
    submission = event.submission
    household = submission.household
    if household is None or not IHousehold.providedBy(household):
        return
    known = {doc.getId(): doc for doc in submission.service.documents()}
    for upload in submission.files:
        if upload.get("locker"):
            continue
        document = known.get(upload.get("document"))
        if document is not None:
            keep(household, document, upload, event.object.number)


def keep_replaced(event):
    """IRequestDocumentsReplaced: the documents a correction gave are the
    newest valid ones of their type; keep those that have a type."""
    household = event.household
    if household is None or not IHousehold.providedBy(household):
        return
    known = {doc.getId(): doc for doc in event.service.documents()}
    for upload in event.files:
        document = known.get(upload.get("document"))
        if document is not None:
            keep(household, document, upload, event.object.number)


def account_closed(household, event):
    """Subscriber (``accounts.closure.AccountClosed``): a closed account
    keeps no document in its locker."""
    IAnnotations(household).pop(LOCKER_KEY, None)


# the daily purge -----------------------------------------------------------------


@jobs.periodic("reuse.locker-purge", hour="3", minute="30")
def purge_daily():
    """Idempotent: deletes only the entries past their validity (or of a
    type no longer in the settings); a second run finds nothing."""
    return purge()


def purge(on=None):
    """Delete the expired entries of every household; return how many."""
    catalog = api.portal.get_tool("portal_catalog")
    types = document_types()
    count = 0
    for brain in catalog.unrestrictedSearchResults(
        object_provides=IHousehold.__identifier__
    ):
        store = _store(brain._unrestrictedGetObject())
        if not store:
            continue
        for entry_id in [
            key for key, entry in store.items() if not is_valid(entry, on, types)
        ]:
            del store[entry_id]
            count += 1
    logger.info("Document locker purge: %s expired document(s) deleted", count)
    return count

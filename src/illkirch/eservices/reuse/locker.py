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

Antivirus (#21, the kind ``locker`` of ``antivirus.files``, ``ref``
``"<household UID>/<entry id>"``): an entry is offered and downloaded only
once found clean. A request's document refused by the antivirus never
enters the locker; one found clean gives its verdict to its copy (the same
bytes: the SHA-256 is the same); one not scanned yet (the request's scan
runs after the commit) makes its copy wait for a scan of its own — the
request's scan knows nothing of the copy, so a copied « pending » would
never end. Until then the entry is listed « en cours d'analyse », neither
offered nor downloadable (``refusal``); a refused entry loses its content,
stays listed « Fichier refusé par l'antivirus » and the household's holder
is told by email.

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
from illkirch.eservices import mail
from illkirch.eservices import urls
from illkirch.eservices.antivirus import files as scanned
from illkirch.eservices.antivirus import served
from illkirch.eservices.content.household import IHousehold
from illkirch.eservices.vocabularies.document_types import document_types
from persistent import Persistent
from persistent.mapping import PersistentMapping
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations
from zope.interface import implementer

import calendar
import hashlib
import logging
import secrets


logger = logging.getLogger("illkirch.eservices.reuse")

LOCKER_KEY = "illkirch.eservices.locker"
KIND = "locker"

NOT_IN_LOCKER = _(
    "error_locker_unknown",
    default="This document is no longer in your documents (deleted, or no "
    "longer valid): attach the file again.",
)
WRONG_TYPE = _(
    "error_locker_type",
    default="This document of your documents is not of the type asked here.",
)
PENDING = _(
    "error_locker_pending",
    default="This document of your documents is being scanned by the "
    "antivirus: choose it again once the scan is over, or attach the file "
    "again.",
)
REFUSED = _(
    "error_locker_refused",
    default="This document of your documents was refused by the antivirus: "
    "attach another copy of it.",
)


class Entry(Persistent):
    """A document of the locker (``scan``: the antivirus' record, #21;
    ``file`` None once the antivirus refused it)."""

    scan = None

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
        # the antivirus (#21): "pending", "clean", "refused" or None
        "scan": served.scan_state(entry),
        "available": served.refusal(entry) is None,
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


def refusal(entry):
    """Why the entry may not be downloaded nor reused now (« en cours
    d'analyse », refused by the antivirus), or None."""
    return served.refusal(entry)


def offered(household, document):
    """The entries offered to a SupportingDocument (valid, of its type,
    found clean by the antivirus)."""
    type_id = getattr(document, "reusable_type", None)
    if not type_id:
        return []
    return [e for e in entries(household, type_id) if refusal(e) is None]


def files(household, choices, documents):
    """The uploads of the chosen entries, for ``submission.submit``.

    ``choices``: ``[(document id, entry id)]``; ``documents``: the service's
    SupportingDocuments by id. Return ``(files, errors)``: the uploads
    ``{"document", "filename", "data", "locker"}`` (checked again by
    ``submission.submit`` as any file) and ``document-<id>`` → message for
    an entry that is not (or no longer) in the household's valid locker,
    not of the document's type, or not found clean by the antivirus
    (pending or refused: never copied into a request)."""
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
        if refusal(entry) is not None:
            errors.setdefault(key, REFUSED if scanned.is_refused(entry) else PENDING)
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


def keep(household, document, upload, number, given=None, source=None):
    """Keep a checked upload given for ``document`` (with a type); return
    the entry, or None when the same file of this type is already kept or
    the antivirus refused it. ``source``: the request's ``Attachment`` of
    the upload (its scan decides the entry's, see the module)."""
    if source is not None and scanned.is_refused(source):
        return None
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
    # kept from a request's document, whose own scan tells the citizen if
    # the antivirus refuses the file: the locker's says nothing more
    entry.from_request = source is not None
    ref = f"{household.UID()}/{entry.id}"
    record = getattr(source, "scan", None)
    if (
        record
        and record.get("state") == scanned.CLEAN
        and record.get("sha256") in (None, entry.digest)
    ):
        entry.scan = PersistentMapping(dict(record))
    else:
        scanned.start(KIND, ref, entry)
    return entry


def source_of(request_obj, upload):
    """The request's ``Attachment`` stored from ``upload`` (the newest of
    its document with its name and size), or None."""
    size = len(upload.get("data") or b"")
    for attachment in reversed(list(getattr(request_obj, "attachments", ()))):
        if (
            attachment.document == (upload.get("document") or "")
            and attachment.filename == upload.get("filename")
            and attachment.size == size
        ):
            return attachment
    return None


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
            keep(
                household,
                document,
                upload,
                event.object.number,
                source=source_of(event.object, upload),
            )


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
            keep(
                household,
                document,
                upload,
                event.object.number,
                source=source_of(event.object, upload),
            )


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


# the antivirus (#21) ---------------------------------------------------------------


def _household(uid):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        UID=uid, object_provides=IHousehold.__identifier__
    ):
        return brain._unrestrictedGetObject()
    return None


@implementer(scanned.IScannedFiles)
class LockerFiles(served.BlobFiles):
    """The named utility ``locker``: ``ref`` ``"<household UID>/<entry id>"``."""

    def _find(self, ref):
        uid, _sep, entry_id = (ref or "").partition("/")
        household = _household(uid) if uid and entry_id else None
        store = _store(household) if household is not None else None
        return household, (store.get(entry_id) if store else None)

    def refused(self, holder, ref, record):
        served.drop_content(holder)
        household, _entry = self._find(ref)
        if household is None or getattr(holder, "from_request", False):
            # the request's refusal of the same file already told the citizen
            return
        served.tell_citizen(
            mail.user_email(household.holder_id),
            "locker",
            holder.filename,
            urls.public_url(suffix="/@@mon-espace-documents"),
        )

    def unscanned(self):
        """``(ref, holder)`` of the entries never scanned (kept while the
        antivirus was off)."""
        catalog = api.portal.get_tool("portal_catalog")
        for brain in catalog.unrestrictedSearchResults(
            object_provides=IHousehold.__identifier__
        ):
            household = brain._unrestrictedGetObject()
            store = _store(household)
            for entry_id, entry in list(store.items()) if store else ():
                if entry.scan is None:
                    yield f"{household.UID()}/{entry_id}", entry

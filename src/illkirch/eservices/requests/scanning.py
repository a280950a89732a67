"""The antivirus scan of a request's documents (#21), the kind
``request-documents`` of ``antivirus.files``.

Every document stored by ``documents.store`` (the filing, « Ajouter des
pièces », a correction's replacement, a document taken from the locker, an
account-less civil-status request) waits for its scan: until found clean it
is « en cours d'analyse », listed with that status and never opened (the
page's download, ``GET @attachments/<id>``: ``check_available`` refuses it
with 409). A refused one (infected, or too large for the daemon) leaves the
request's ``attachments`` for its ``quarantined`` records (its name, the
document it was given for, the signature, SHA-256, size, dates; its blob
dropped): a history entry, the citizen emailed to send another, the request
« Incomplète » when the document was a required one (as the system, while
the request waits in « En cours »), the agents warned on its page and in the
Guichet (``quarantined_count``).
"""

from Acquisition import aq_base
from illkirch.eservices import _
from illkirch.eservices import history
from illkirch.eservices import mail
from illkirch.eservices.antivirus import files
from illkirch.eservices.antivirus.files import IScannedFiles
from illkirch.eservices.requests import processing
from illkirch.eservices.site_storage import site_btree
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from zope.i18nmessageid import Message
from zope.interface import implementer

import logging


logger = logging.getLogger(__name__)

KIND = "request-documents"
QUARANTINED = "document_quarantined"
ASK_TRANSITION = "ask_documents"
# the requests with refused documents: request UID → how many (the
# Guichet's marker, read without waking the requests up)
MARKERS_KEY = "illkirch.eservices.quarantined_requests"

PENDING_MESSAGE = _(
    "error_document_scan_pending",
    default="This document is being scanned by the antivirus: it can be "
    "opened as soon as the scan is over.",
)
REFUSED_MESSAGE = _(
    "error_document_scan_refused",
    default="This document was refused by the antivirus: it can no longer be opened.",
)
HISTORY_TEXT = _(
    "request_history_document_quarantined_text",
    default="“${filename}” refused by the antivirus (${signature}).",
)
INCOMPLETE_COMMENT = _(
    "request_document_quarantined_comment",
    default="The file “${filename}” you sent for “${document}” was refused "
    "by the antivirus. Please send another file for this document.",
)


class DocumentNotAvailable(Exception):
    """A document that may not be opened now (pending or refused):
    ``status`` the HTTP status (409) and ``message`` the reason."""

    status = 409

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def ref_of(request_obj, attachment):
    return f"{request_obj.UID()}/{attachment.id}"


def status(attachment):
    """``"pending"``, ``"clean"``, ``"refused"`` or None (received while the
    antivirus was off)."""
    return files.state(attachment)


def is_available(attachment):
    return files.is_available(attachment)


def check_available(attachment):
    """Raise ``DocumentNotAvailable`` unless the document may be opened
    (by anyone: agents and the citizen alike)."""
    if files.is_available(attachment):
        return
    if files.is_refused(attachment):
        raise DocumentNotAvailable(REFUSED_MESSAGE)
    raise DocumentNotAvailable(PENDING_MESSAGE)


def start(request_obj, attachment):
    """The document was just stored in ``request_obj.attachments``."""
    return files.start(KIND, ref_of(request_obj, attachment), attachment)


def quarantined(request_obj):
    """The records of the request's refused documents (oldest first): the
    request's own attribute, never one acquired from its containers (which
    looking up cost each listing's item: #22)."""
    return list(getattr(aq_base(request_obj), "quarantined", None) or ())


def quarantined_counts():
    """``{request UID: number of refused documents}`` (a listing reads it
    once for all its rows)."""
    return site_btree(MARKERS_KEY)


def quarantined_count(uid):
    """How many documents of the request ``uid`` were refused."""
    return quarantined_counts().get(uid, 0)


def _request(uid):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(UID=uid, portal_type="Request"):
        return brain._unrestrictedGetObject()
    return None


def _service(request_obj):
    from illkirch.eservices.requests import documents

    return documents.service_of(request_obj)


def _document(request_obj, document_id):
    """The SupportingDocument given for, or None."""
    service = _service(request_obj)
    if service is None or not document_id:
        return None
    for doc in service.documents():
        if doc.getId() == document_id:
            return doc
    return None


@implementer(IScannedFiles)
class RequestDocuments:
    """``ref``: "<request UID>/<attachment id>"."""

    def find(self, ref):
        uid, _sep, attachment_id = ref.partition("/")
        request_obj = _request(uid)
        if request_obj is None:
            return None
        return request_obj.attachment(attachment_id)

    def content(self, holder):
        return holder.file.open()

    def unscanned(self):
        catalog = api.portal.get_tool("portal_catalog")
        for brain in catalog.unrestrictedSearchResults(portal_type="Request"):
            request_obj = brain._unrestrictedGetObject()
            for attachment in request_obj.attachments:
                if getattr(attachment, "scan", None) is None:
                    yield ref_of(request_obj, attachment), attachment

    def refused(self, holder, ref, record):
        uid, _sep, _id = ref.partition("/")
        request_obj = _request(uid)
        if request_obj is None:
            return
        quarantine(request_obj, holder, record)


def quarantine(request_obj, attachment, record):
    """Take the refused ``attachment`` out of the request, keep its record,
    tell the citizen, make the request « Incomplète » when the document was
    required, warn the agents."""
    if attachment in request_obj.attachments:
        request_obj.attachments.remove(attachment)
    document = _document(request_obj, attachment.document)
    kept = PersistentMapping(
        {
            "id": attachment.id,
            "filename": attachment.filename,
            "document": attachment.document or "",
            "document_title": document.Title() if document is not None else "",
            "content_type": attachment.content_type,
            "signature": record.get("signature") or "",
            "reason": record.get("reason") or "",
            "sha256": record.get("sha256") or "",
            "size": record.get("size") or attachment.size,
            "added": attachment.added,
            "added_by": attachment.added_by,
            "scanned": record.get("scanned") or "",
        }
    )
    if getattr(request_obj, "quarantined", None) is None:
        request_obj.quarantined = PersistentList()
    request_obj.quarantined.append(kept)
    # its content is deleted: the blob goes with the last reference
    attachment.file = None
    markers = site_btree(MARKERS_KEY)
    markers[request_obj.UID()] = markers.get(request_obj.UID(), 0) + 1
    history.record(
        request_obj,
        QUARANTINED,
        mail._text(
            Message(
                HISTORY_TEXT,
                mapping={
                    "filename": kept["filename"],
                    "signature": kept["signature"] or kept["reason"],
                },
            ),
            None,
        ),
        actor="",
    )
    request_obj.reindexObject(idxs=["modified"])
    comment = mail._text(
        Message(
            INCOMPLETE_COMMENT,
            mapping={
                "filename": kept["filename"],
                "document": kept["document_title"] or kept["filename"],
            },
        ),
        None,
    )
    required = document is not None and bool(getattr(document, "required", False))
    # the status email carries the comment: the citizen gets one email
    if not (required and _make_incomplete(request_obj, comment)):
        notify_citizen(request_obj, kept)


def _make_incomplete(request_obj, comment):
    """Fire ``ask_documents`` as the system with ``comment`` when the
    workflow allows it now; whether it was fired."""
    workflow = api.portal.get_tool("portal_workflow")
    with api.env.adopt_roles(["Manager"]):
        allowed = {t["id"] for t in workflow.getTransitionsFor(request_obj) or ()}
        if ASK_TRANSITION not in allowed:
            return False
        workflow.doActionFor(request_obj, ASK_TRANSITION, comment=comment)
    return True


def notify_citizen(request_obj, kept):
    """Email the citizen naming the refused file, asking for another."""
    address = processing.recipient(request_obj)
    if not address:
        logger.warning("No email for request %s: not notified", request_obj.number)
        return False
    mapping = {
        "number": request_obj.number,
        "service": request_obj.service_title,
        "filename": kept["filename"],
        "document": kept["document_title"] or kept["filename"],
        "url": processing.follow_url(request_obj),
    }
    subject = Message(
        _(
            "mail_document_quarantined_subject",
            default="Your request ${number}: a file was refused",
        ),
        mapping=mapping,
    )
    body = Message(
        _(
            "mail_document_quarantined_body",
            default="Hello,\n\nThe file “${filename}” you sent for “${document}” "
            "with your request “${service}” number ${number} was refused by "
            "the antivirus: it has been deleted.\n\nPlease send another file "
            "for this document on your request's page:\n${url}",
        ),
        mapping=mapping,
    )
    try:
        mail.send(address, subject, body)
    except ValueError as error:  # no MailHost
        logger.warning("Email about %s not sent: %s", request_obj.number, error)
        return False
    return True

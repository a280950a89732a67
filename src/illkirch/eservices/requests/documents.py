"""The documents attached to a request: adding them (checked), finding
them, and the limits, which are registry settings."""

from AccessControl import Unauthorized
from Acquisition import aq_base
from illkirch.eservices import _
from illkirch.eservices import history
from illkirch.eservices.content.request import Attachment
from illkirch.eservices.errors import FieldErrors
from illkirch.eservices.requests import attachments as checks
from illkirch.eservices.requests import scanning
from illkirch.eservices.roles import may
from plone import api
from plone.namedfile.file import NamedBlobFile
from plone.uuid.interfaces import ATTRIBUTE_NAME
from zope.component import getAllUtilitiesRegisteredFor
from zope.interface import Interface


ADD_DOCUMENTS = "illkirch.eservices: Add request documents"
MEGABYTE = 1024 * 1024

NOT_NOW = _(
    "error_documents_closed",
    default="Documents can no longer be added to this request.",
)
UNKNOWN_DOCUMENT = _(
    "error_document_unknown", default="This service asks for no such document."
)


def limits():
    """(bytes per file, bytes per request) from the registry."""
    per_file = api.portal.get_registry_record(
        "illkirch.eservices.max_attachment_mb", default=10
    )
    per_request = api.portal.get_registry_record(
        "illkirch.eservices.max_request_attachments_mb", default=30
    )
    return per_file * MEGABYTE, per_request * MEGABYTE


def check_files(files, already=0):
    """Check uploaded files ``[{"filename", "data", "document"}]``.

    Return ``(checked, errors)``: the files with their safe name and real
    type, and key → message (key ``document-<id>`` or ``documents``).
    """
    max_file, max_total = limits()
    checked, errors = [], {}
    total = already
    for upload in files:
        key = (
            f"document-{upload.get('document')}"
            if upload.get("document")
            else "documents"
        )
        try:
            filename, content_type = checks.check_attachment(
                upload.get("filename") or "",
                upload.get("data") or b"",
                already=total,
                max_file=max_file,
                max_total=max_total,
            )
        except checks.AttachmentError as error:
            errors.setdefault(key, error.message)
            continue
        total += len(upload["data"])
        checked.append(dict(upload, filename=filename, content_type=content_type))
    return checked, errors


def store(request_obj, checked_upload, user_id=""):
    """Attach one checked file to the request (no permission check)."""
    attachment = Attachment(
        checked_upload["filename"],
        checked_upload["content_type"],
        NamedBlobFile(
            data=checked_upload["data"],
            contentType=checked_upload["content_type"],
            filename=checked_upload["filename"],
        ),
        document=checked_upload.get("document") or "",
        added_by=user_id,
    )
    request_obj.attachments.append(attachment)
    # pending until the antivirus finds it clean (#21)
    scanning.start(request_obj, attachment)
    return attachment


class IDocumentsLock(Interface):
    """A rule of a higher package that may forbid adding documents to a
    request for now (utilities; corrections: while an ask is open, the
    citizen replaces the asked documents with the correction form only)."""

    def refusal(request_obj):
        """The message (French through the catalogs) saying why no
        document may be added now, or None."""


def refusal(request_obj):
    """Why the generic « Ajouter des pièces » is closed now, or None."""
    for lock in getAllUtilitiesRegisteredFor(IDocumentsLock):
        message = lock.refusal(request_obj)
        if message:
            return message
    return None


def can_add(request_obj):
    """Whether the current user may add documents (the permission of the
    workflow; see ``may_add`` for the form)."""
    return may(ADD_DOCUMENTS, request_obj)


def may_add(request_obj):
    """Whether the generic form « Ajouter des pièces » is offered now."""
    return can_add(request_obj) and refusal(request_obj) is None


def add(request_obj, files):
    """Add documents to an existing request as the current user: its
    citizen, while it is « En cours » or « Incomplète » (the workflow gives
    them ``Add request documents`` then). Raise Unauthorized, or
    ``DocumentsRefused`` with key → message; nothing is stored when one file
    is refused."""
    if not can_add(request_obj):
        if may("View", request_obj):
            raise DocumentsRefused({"documents": NOT_NOW})
        raise Unauthorized("Cannot add documents to this request")
    locked = refusal(request_obj)
    if locked:
        raise DocumentsRefused({"documents": locked})
    if not files:
        raise DocumentsRefused(
            {
                "documents": _(
                    "error_documents_none", default="Choose at least one file."
                )
            }
        )
    service = service_of(request_obj)
    known = (
        {doc.getId() for doc in service.documents()} if service is not None else set()
    )
    errors = {}
    for upload in files:
        if upload.get("document") and upload["document"] not in known:
            errors[f"document-{upload['document']}"] = UNKNOWN_DOCUMENT
    checked, check_errors = check_files(files, request_obj.attachments_size())
    errors.update(check_errors)
    if errors:
        raise DocumentsRefused(errors)
    user_id = api.user.get_current().getId() or ""
    added = [store(request_obj, upload, user_id) for upload in checked]
    request_obj.reindexObject(idxs=["modified"])
    history.record(request_obj, "documents_added", ", ".join(a.filename for a in added))
    return added


class DocumentsRefused(FieldErrors):
    """The documents are refused (keys ``document-<id>`` or ``documents``)."""


def set_download_headers(response, attachment):
    """Headers of a document's download: always saved, never rendered by the
    browser (nosniff, a sandboxing CSP), never kept in shared caches."""
    response.setHeader("Content-Type", attachment.content_type)
    response.setHeader("Content-Length", str(attachment.size))
    response.setHeader(
        "Content-Disposition", checks.content_disposition(attachment.filename)
    )
    response.setHeader("X-Content-Type-Options", "nosniff")
    response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox")
    response.setHeader("Cache-Control", "private, no-store")


def service_of(request_obj):
    """The Service of a request (None if it was deleted)."""
    return service_by_uid(request_obj.service_uid)


# A service's physical path by its UID, for all threads (#22: the request
# page, « Mon espace » with drafts and the wizard looked each service up in
# the catalog). A UID never changes: a kept path is only trusted when the
# object found there still has that UID; a service moved, renamed or
# deleted is looked up in the catalog again.
_SERVICE_PATHS = {}
_SERVICE_PATHS_MAX = 1000


def service_by_uid(uid):
    """The object of that UID (a service), unrestricted, or None."""
    if not uid:
        return None
    path = _SERVICE_PATHS.get(uid)
    if path is not None:
        obj = api.portal.get().unrestrictedTraverse(path, None)
        if obj is not None and getattr(aq_base(obj), ATTRIBUTE_NAME, None) == uid:
            return obj
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(UID=uid):
        obj = brain._unrestrictedGetObject()
        if len(_SERVICE_PATHS) >= _SERVICE_PATHS_MAX:
            _SERVICE_PATHS.clear()
        _SERVICE_PATHS[uid] = obj.getPhysicalPath()
        return obj
    _SERVICE_PATHS.pop(uid, None)
    return None

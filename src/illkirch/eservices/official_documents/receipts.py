"""The « Récépissé de dépôt » of every request (#18).

When a request is filed (``requests.events.IRequestSubmitted``, account-less
civil-status requests included), ``request_submitted`` queues the task
``issue_receipt``; the worker renders the receipt (the town, the service,
the number, the date and time of filing in Europe/Paris, the requester, the
member concerned, the answers as stored, the documents received or the
postal mention), stores it with the request (``store.add``) and sends the
email announcing the submission with the PDF attached.

That email is therefore not sent by ``requests.processing.notify_citizen``
any more: ``ReceiptEmails`` (an ``ICitizenEmails`` utility) tells it so.
The tracking code of an account-less request, known only at submission, is
passed to the task as an argument, as ``mail.deliver`` already carries the
composed email holding it (docs/documents.md).
"""

from illkirch.eservices import _
from illkirch.eservices import dates
from illkirch.eservices import jobs
from illkirch.eservices import town
from illkirch.eservices.business_days import TIMEZONE
from illkirch.eservices.official_documents import pages
from illkirch.eservices.official_documents import pdf
from illkirch.eservices.official_documents import store
from illkirch.eservices.requests import documents as request_documents
from illkirch.eservices.requests import processing
from illkirch.eservices.requests.events import ICitizenEmails
from illkirch.eservices.sizes import size_text
from plone import api
from zope.interface import implementer

import logging


logger = logging.getLogger(__name__)

TITLE = _("receipt_title", default="Filing receipt")
INTRO = _(
    "receipt_intro",
    default="The town's services received this request on ${date} at "
    "${time}. This receipt does not mean that the request is accepted.",
)
SERVICE = _("receipt_service", default="Service")
NUMBER = _("receipt_number", default="Request number")
FILED = _("receipt_filed", default="Filed on")
FILED_AT = _("receipt_filed_at", default="${date} at ${time}")
REQUESTER = _("receipt_requester", default="Requester")
MEMBER = _("receipt_member", default="Person concerned")
ANSWERS = _("receipt_answers", default="Answers given")
NO_ANSWER = _("receipt_no_answer", default="No answer.")
DOCUMENTS = _("receipt_documents", default="Documents received")
DOCUMENT = _("receipt_document", default="Document")
FILE = _("receipt_file", default="File")
SIZE = _("receipt_size", default="Size")
NO_DOCUMENT = _("receipt_no_document", default="No document was attached.")
BY_POST = _("receipt_by_post", default="Documents to send by post")
BY_POST_TEXT = _(
    "receipt_by_post_text",
    default="To be sent by post to:\n${address}\n\nWrite on the envelope the "
    "request number: ${number}",
)


def filed_at(request_obj):
    """(date, time) of the filing in the town (Europe/Paris)."""
    moment = request_obj.submitted.astimezone(TIMEZONE)
    return dates.format_date(moment), moment.strftime("%H:%M")


def document_titles(request_obj):
    """The service's supporting documents' titles, by id."""
    service = request_documents.service_of(request_obj)
    if service is None:
        return {}
    return {doc.getId(): doc.Title() for doc in service.documents()}


def sections(request_obj):
    """The receipt's body (``pages`` sections)."""
    t = pages.text
    day, time = filed_at(request_obj)
    facts = [
        (t(SERVICE), request_obj.service_title),
        (t(NUMBER), request_obj.number),
        (t(FILED), t(FILED_AT, {"date": day, "time": time})),
        (t(REQUESTER), request_obj.requester_name or ""),
    ]
    if request_obj.member_name:
        facts.append((t(MEMBER), request_obj.member_name))
    result = [
        ("p", t(INTRO, {"date": day, "time": time})),
        ("dl", facts),
        ("h2", t(ANSWERS)),
    ]
    answers = [
        (answer["label"], answer["display"])
        for answer in (request_obj.answers or ())
        if answer.get("display") not in (None, "")
    ]
    result.append(("dl", answers) if answers else ("p", t(NO_ANSWER)))
    titles = document_titles(request_obj)
    rows = [
        [
            titles.get(attachment.document, "") or attachment.document,
            attachment.filename,
            size_text(attachment.file.getSize()),
        ]
        for attachment in (request_obj.attachments or ())
    ]
    if rows or not request_obj.by_post:
        result.append(("h2", t(DOCUMENTS)))
    if rows:
        result.append(("table", None, [t(DOCUMENT), t(FILE), t(SIZE)], rows))
    elif not request_obj.by_post:
        result.append(("p", t(NO_DOCUMENT)))
    if request_obj.by_post:
        address = api.portal.get_registry_record(
            "illkirch.eservices.postal_address", default=""
        )
        result.append(("h2", t(BY_POST)))
        result.append(
            (
                "p",
                t(
                    BY_POST_TEXT,
                    {"address": address or "", "number": request_obj.number},
                ),
            )
        )
    return result


def heading(request_obj):
    """What the receipt states in its heading (public: the verification
    page shows it)."""
    day, time = filed_at(request_obj)
    return {
        "kind": store.RECEIPT,
        "title": pages.text(TITLE),
        "number": request_obj.number,
        "date": f"{day} {time}",
        "town": town.name(),
    }


def render(request_obj, code):
    """The receipt's PDF (bytes)."""
    day, time = filed_at(request_obj)
    return pdf.render(
        pages._page(
            pages.text(TITLE),
            sections(request_obj),
            code,
            number=request_obj.number,
            date=f"{day} {time}",
        )
    )


def find_request(uid, path):
    """The request of a job (its path, checked against its UID; by UID if
    it moved), or None when it is gone."""
    portal = api.portal.get()
    obj = portal.unrestrictedTraverse(path, None)
    if obj is not None and api.content.get_uuid(obj) == uid:
        return obj
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(UID=uid):
        return brain._unrestrictedGetObject()
    return None


@pdf.issuing_task(retries=5, retry_delay=60)
def issue_receipt(uid, path, tracking_code=None):
    """Issue the receipt of the request ``uid`` (at ``path``) and send the
    « submitted » email with it (and the ``tracking_code`` of an
    account-less request). Idempotent: a request has one receipt; a retried
    or repeated job finds it and does nothing."""
    request_obj = find_request(uid, path)
    if request_obj is None:
        logger.warning("Request %s gone: no receipt", path)
        return None
    if store.of_kind(request_obj, store.RECEIPT):
        return None
    code = store.new_code()
    data = render(request_obj, code)
    document = store.add(
        request_obj,
        store.IssuedDocument(
            store.RECEIPT,
            f"recepisse-{request_obj.number}.pdf",
            data,
            heading(request_obj),
            code,
        ),
        code,
    )
    processing.send_to_citizen(
        request_obj,
        "submitted",
        code=tracking_code,
        attachments=[(document.filename, "application/pdf", data)],
    )
    return document


def request_submitted(event):
    """IRequestSubmitted: queue the receipt (never rendered in the web
    request that files it)."""
    request_obj = event.object
    jobs.enqueue(
        issue_receipt,
        api.content.get_uuid(request_obj),
        "/".join(
            request_obj.getPhysicalPath()[len(api.portal.get().getPhysicalPath()) :]
        ),
        getattr(event.submission, "tracking_code", None),
    )


@implementer(ICitizenEmails)
class ReceiptEmails:
    """The « submitted » email leaves with the receipt (``issue_receipt``)."""

    def sends(self, request_obj, kind, transition_id=None):
        return kind == "submitted"

"""Where the issued documents are seen and downloaded, and by whom.

One rule, written here once: the documents of a request or a payment are
seen by whoever may View it, as its own documents are (``@@piece-jointe``,
``@attachments``):

- a request: its household's citizen and the agents of its service's group
  (``request_workflow`` gives View to the Owner and the RequestProcessor);
- a payment: its household's citizen and the régie staff (``payment_workflow``
  gives View to the Owner and the Finance role).

Nobody else: another household, an agent of another group, an anonymous
visitor get Unauthorized (or, not knowing the document's id, NotFound).

The listings (« Demandes ») read the catalog's metadata column
``issued_documents`` (``summary``, indexed by ``indexers.py``): what each
row needs to link its documents without waking the request up.
"""

from AccessControl import Unauthorized
from illkirch.eservices import _
from illkirch.eservices.official_documents import store
from illkirch.eservices.payments import records
from illkirch.eservices.requests import documents as request_documents
from illkirch.eservices.roles import may
from types import SimpleNamespace


VIEW = "View"
PAGE = "document-officiel"  # @@document-officiel/<id>: the pages' download
SERVICE = "@documents"  # <obj>/@documents[/<id>]: the REST list and download

KIND_TITLES = {
    store.RECEIPT: _("issued_kind_receipt", default="Filing receipt"),
    store.DECISION: _("issued_kind_decision", default="Decision"),
    store.PAYMENT_CERTIFICATE: _(
        "issued_kind_payment_certificate", default="Payment certificate"
    ),
}


def may_see(obj):
    """May the current user see ``obj``'s documents (View on ``obj``)?"""
    return bool(may(VIEW, obj))


def check(obj):
    if not may_see(obj):
        raise Unauthorized("Cannot see the documents of this object")


def documents(obj):
    """The documents of ``obj`` (a Request or a Payment), oldest first.
    Raises Unauthorized for who may not see them."""
    check(obj)
    return store.documents(obj)


def get(obj, document_id):
    """One document of ``obj``, or None (no such id). Raises Unauthorized
    for who may not see ``obj``'s documents."""
    check(obj)
    if not isinstance(document_id, str) or not document_id:
        return None
    return store.find(obj, document_id)


def latest(obj, kind):
    """The latest document of ``kind`` of ``obj`` (or None)."""
    check(obj)
    found = store.of_kind(obj, kind)
    return found[-1] if found else None


def download_url(obj_url, document_id):
    """The pages' download URL of a document, from its object's URL."""
    return f"{obj_url}/@@{PAGE}/{document_id}"


def rest_url(obj_url, document_id=None):
    """``<obj>/@documents`` (the list) or ``<obj>/@documents/<id>``."""
    base = f"{obj_url}/{SERVICE}"
    return f"{base}/{document_id}" if document_id else base


def set_download_headers(response, document):
    """The headers of a request's documents' downloads (saved, never
    rendered: nosniff, a sandboxing CSP; never kept in shared caches)."""
    request_documents.set_download_headers(
        response,
        SimpleNamespace(
            content_type="application/pdf",
            size=document.size,
            filename=document.filename,
        ),
    )


def info(obj, document):
    """What the pages and the REST API show of a document (no code: the
    site keeps only its hash; no heading beyond what the PDF states)."""
    obj_url = obj.absolute_url()
    return {
        "id": document.id,
        "kind": document.kind,
        "title": KIND_TITLES.get(document.kind, document.kind),
        "issued": document.issued,
        "filename": document.filename,
        "size": document.size,
        "sha256": document.sha256,
        "url": download_url(obj_url, document.id),
        "rest_url": rest_url(obj_url, document.id),
    }


def listing(obj):
    """``info`` of each document of ``obj``, oldest first."""
    return [info(obj, document) for document in documents(obj)]


# --- the catalog's metadata: listings without waking the objects up --------


def summary(obj):
    """The metadata column ``issued_documents``: ``((kind, id, size), …)``,
    oldest first. Nothing the object's View does not already give (no code,
    no hash, no heading); never searchable (a column, not an index)."""
    return tuple((d.kind, d.id, d.size) for d in store.documents(obj))


def latest_from_brain(brain, kind):
    """``{"id", "kind", "size", "url"}`` of the latest document of ``kind``
    of the brain's object, from its metadata only; None without one. The
    brain comes from a search the current user may make (their household's
    own entries, the Guichet's), whose objects they may View."""
    value = getattr(brain, "issued_documents", None)
    if not value or not isinstance(value, tuple):  # Missing.Value before 1010
        return None
    found = [entry for entry in value if entry[0] == kind]
    if not found:
        return None
    kind, document_id, size = found[-1]
    return {
        "id": document_id,
        "kind": kind,
        "size": size,
        "url": download_url(brain.getURL(), document_id),
    }


# --- « Mes comptes »: the payment certificates ------------------------------


def payment_certificates(household, since=None):
    """The household's paid payments made since ``since`` (a date) with a
    payment certificate, newest first: ``{"payment", "date", "amount_cents",
    "regie", "reference", "document"}`` (the latest certificate, ``info``)."""
    if household is None:
        return []
    result = []
    for payment in records.household_payments(household):
        if payment.status != records.PAID or not may_see(payment):
            continue
        moment = payment.updated_at or payment.created_at
        if since is not None and moment is not None and _day(moment) < since:
            continue
        document = latest(payment, store.PAYMENT_CERTIFICATE)
        if document is None:
            continue
        result.append(
            {
                "payment": payment,
                "date": moment,
                "amount_cents": payment.amount_cents,
                "regie": payment.regie,
                "reference": payment.reference or payment.transaction_id,
                "document": info(payment, document),
            }
        )
    return result


def _day(moment):
    """The day of a datetime (a date as is)."""
    return moment.date() if hasattr(moment, "hour") else moment

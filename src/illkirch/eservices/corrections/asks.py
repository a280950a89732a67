"""Corrections in place (#17): what an agent asks the citizen to correct,
and the citizen's correction.

When an agent asks for more (the transition ``ask_documents``), they may
tick which answers (the service's questions) and which supporting documents
(the service's SupportingDocument ids) must be corrected. The open ask is
kept in an annotation of the request until the citizen sends the
correction: only those answers and documents, checked by the rules of a
filing (``requests.answers.validate``, ``requests.documents.check_files``);
then the answers are replaced, the old and new values recorded in the
history, the request goes back to the agents (``resubmit``) and they are
emailed (``corrections.notify``).

A replaced document's old file is removed from the request (its name stays
in the history): the citizen replaced it because it was wrong, and the
request keeps what it is made of now (data minimisation; the limits of the
request's total size count the new files only).

An ask with nothing ticked is today's free message: nothing is kept, the
citizen adds documents and says the request is complete as before. While
an ask is open, the request goes back to the agents only through the
correction (``refuse_plain_resubmit``).
"""

from AccessControl import Unauthorized
from datetime import UTC
from datetime import datetime
from illkirch.eservices import _
from illkirch.eservices import history
from illkirch.eservices.corrections import notify
from illkirch.eservices.errors import FieldErrors
from illkirch.eservices.requests import answers as answer_rules
from illkirch.eservices.requests import civil_status
from illkirch.eservices.requests import documents
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import processing
from illkirch.eservices.requests.events import RequestDocumentsReplaced
from illkirch.eservices.requests.queue import PROCESS_PERMISSION
from illkirch.eservices.roles import may
from illkirch.eservices.transitions import TransitionRefused
from persistent.mapping import PersistentMapping
from plone import api
from zope import event
from zope.annotation.interfaces import IAnnotations
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.interface import implementer


KEY = "illkirch.eservices.corrections"
ASK_TRANSITION = "ask_documents"
RESUBMIT = "resubmit"
ANSWER_CORRECTED = "answer_corrected"
DOCUMENT_REPLACED = "document_replaced"

UNKNOWN_FIELD = _(
    "error_correction_unknown_field",
    default="This request has no question “${name}”.",
)
UNKNOWN_DOCUMENT = _(
    "error_correction_unknown_document",
    default="This service asks for no document “${name}”.",
)
NAMES_FORMAT = _(
    "error_correction_names_format",
    default="Give a list of names.",
)
NOT_ASKED = _(
    "error_correction_not_asked",
    default="This answer was not asked to be corrected: it cannot be changed.",
)
DOCUMENT_NOT_ASKED = _(
    "error_correction_document_not_asked",
    default="This document was not asked to be replaced.",
)
DOCUMENT_MISSING = _(
    "error_correction_document_missing",
    default="Attach the new file of this document.",
)
NO_OPEN_ASK = _(
    "error_correction_none",
    default="No correction is asked on this request at the moment.",
)
ANSWERS_FORMAT = _(
    "error_request_answers_format",
    default="The answers must be an object: question name → answer.",
)
CORRECT_FIRST = _(
    "error_correction_required",
    default="The town's services asked you to correct some answers or "
    "documents: send them with the correction form of the request.",
)
NO_ACCOUNT = _(
    "error_correction_no_account",
    default="The requester has no account and cannot correct the request "
    "online: say what is missing in the message.",
)
CORRECT_DOCUMENTS = _(
    "error_correction_documents_locked",
    default="The town's services asked you to correct this request: "
    "replace the documents asked with the form « Corrections asked » of the "
    "request's page (or PATCH @corrections); no other document can be added "
    "meanwhile.",
)
CHANGE = _("history_correction_change", default="${label}: ${old} → ${new}")
EMPTY = _("history_correction_empty", default="(empty)")


class CorrectionError(FieldErrors):
    """An ask or a correction is refused: key (``fields``, ``documents``,
    ``message``, a question's name, ``document-<id>``, ``answers``,
    ``corrections``) → message; nothing is stored."""


# the open ask ----------------------------------------------------------------


def open_ask(request_obj):
    """The open ask ``{"fields", "documents", "message", "actor", "time"}``
    (a copy), or None."""
    ask = IAnnotations(request_obj).get(KEY)
    if not ask:
        return None
    return {
        "fields": list(ask["fields"]),
        "documents": list(ask["documents"]),
        "message": ask["message"],
        "actor": ask["actor"],
        "time": ask["time"],
    }


def _close(request_obj):
    return IAnnotations(request_obj).pop(KEY, None)


def may_ask(request_obj):
    return may(PROCESS_PERMISSION, request_obj)


def may_correct(request_obj):
    """The request's citizen (``Add request documents``, their Owner role),
    never its agents."""
    return documents.can_add(request_obj) and not may_ask(request_obj)


def is_open(request_obj):
    """Whether the citizen has a correction to send now."""
    return (
        processing.state(request_obj) == "incomplete"
        and open_ask(request_obj) is not None
    )


def questions(request_obj, service=None):
    """``[(name, field)]``: the questions of the request's service that
    take an answer, in the form's order (none when it was deleted).
    ``service``: the request's service, when the caller has it already (a
    page looks it up once: a catalog search)."""
    if service is None:
        service = documents.service_of(request_obj)
    return forms.answer_fields(service) if service is not None else []


def service_documents(request_obj, service=None):
    """``[(id, SupportingDocument)]`` of the request's service (``service``:
    as for ``questions``)."""
    if service is None:
        service = documents.service_of(request_obj)
    return [(d.getId(), d) for d in service.documents()] if service else []


def _names(value, key, known, unknown, errors):
    """The known names of ``value`` (a list of strings), deduplicated, in
    the order of ``known``."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)) or not all(
        isinstance(v, str) for v in value
    ):
        errors[key] = NAMES_FORMAT
        return []
    for name in value:
        if name not in known:
            errors.setdefault(key, Message(unknown, mapping={"name": name[:60]}))
    return [name for name in known if name in value]


def ask(request_obj, fields=(), documents_=(), message=""):
    """Ask for more as the current user (an agent of the request's group):
    fire ``ask_documents`` with ``message`` and keep which answers
    (``fields``: question names) and which documents (``documents_``:
    SupportingDocument ids) the citizen must correct. Raise
    CorrectionError (unknown names, no message) or TransitionRefused (not
    an agent of the request, not in this status)."""
    if not may_ask(request_obj):
        raise TransitionRefused(
            _text(processing.UNAVAILABLE), request_obj.absolute_url()
        )
    errors = {}
    fields = _names(
        fields, "fields", [n for n, _f in questions(request_obj)], UNKNOWN_FIELD, errors
    )
    documents_ = _names(
        documents_,
        "documents",
        [d for d, _doc in service_documents(request_obj)],
        UNKNOWN_DOCUMENT,
        errors,
    )
    if (fields or documents_) and processing.household_of(request_obj) is None:
        errors["fields"] = NO_ACCOUNT
    message = message.strip() if isinstance(message, str) else ""
    if not message:
        errors["message"] = processing.MESSAGE_REQUIRED[ASK_TRANSITION]
    if errors:
        raise CorrectionError(errors)
    processing.fire(request_obj, ASK_TRANSITION, message)
    _close(request_obj)
    if fields or documents_:
        IAnnotations(request_obj)[KEY] = PersistentMapping(
            {
                "fields": list(fields),
                "documents": list(documents_),
                "message": message,
                "actor": api.user.get_current().getId() or "",
                "time": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
    return open_ask(request_obj)


# the citizen's correction ------------------------------------------------------


def _text(message):
    return translate(message, context=getRequest())


def _display(answer):
    return answer["display"] if answer and answer.get("display") else _text(EMPTY)


def correct(request_obj, raw_answers, files=(), html=False, comment=""):
    """Send the correction as the current user (the request's citizen).

    ``raw_answers``: question name → raw value (strings when ``html``),
    only the asked questions; ``files``: ``[{"document", "filename",
    "data"}]``, at least one for each asked document. Every asked answer is
    checked as when filing. Raise Unauthorized or CorrectionError (nothing
    stored); otherwise replace the answers and documents, record the
    changes in the history, return the request to the agents (``resubmit``)
    and email them. Return the list of history texts of the changes.
    """
    if not may_correct(request_obj):
        if may("View", request_obj):
            raise CorrectionError({"corrections": NO_OPEN_ASK})
        raise Unauthorized("Only the request's citizen corrects it")
    ask_ = open_ask(request_obj)
    if ask_ is None or processing.state(request_obj) != "incomplete":
        raise CorrectionError({"corrections": NO_OPEN_ASK})
    service = documents.service_of(request_obj)
    if service is None:
        raise CorrectionError({"corrections": NO_OPEN_ASK})
    asked = ask_["fields"]
    asked_docs = ask_["documents"]
    errors = {}
    if not isinstance(raw_answers, dict):
        errors["answers"] = ANSWERS_FORMAT
        raw_answers = {}
    for name in raw_answers:
        if name not in asked:
            errors[str(name)[:60]] = NOT_ASKED
    values, answer_errors = answer_rules.validate(
        service, {n: raw_answers.get(n) for n in asked}, names=asked, html=html
    )
    errors.update(answer_errors)
    # the service's own rules (civil-status acts), on the answers as they
    # would be once corrected
    others = [n for n, _f in forms.answer_fields(service) if n not in asked]
    kept, _kept_errors = answer_rules.validate(
        service, answer_rules.raw_of(request_obj.answers), names=others
    )
    for key, message in civil_status.check(
        service, {**kept, **values}, processing.today()
    ).items():
        if key in asked and key not in errors:
            errors[key] = message
    # the documents: only the asked ones, each given again
    files = list(files or ())
    for upload in files:
        if upload.get("document") not in asked_docs:
            key = (
                f"document-{upload.get('document')}"
                if upload.get("document")
                else "documents"
            )
            errors[key] = DOCUMENT_NOT_ASKED
    replaced = [a for a in request_obj.attachments if a.document in asked_docs]
    already = request_obj.attachments_size() - sum(a.size for a in replaced)
    checked, file_errors = documents.check_files(
        [f for f in files if f.get("document") in asked_docs], already
    )
    errors.update(file_errors)
    given = {upload["document"] for upload in checked}
    for doc_id in asked_docs:
        key = f"document-{doc_id}"
        if doc_id not in given and key not in errors:
            errors[key] = DOCUMENT_MISSING
    if errors:
        raise CorrectionError(errors)

    # store: the answers in the form's order, the others unchanged
    request = getRequest()
    old = {a["name"]: a for a in request_obj.answers}
    new = {a["name"]: a for a in answer_rules.stored(service, values, request)}
    order = [n for n, _f in forms.answer_fields(service)]
    result = []
    for name in order:
        answer = new.get(name) if name in asked else old.get(name)
        if answer is not None:
            result.append(dict(answer))
    result += [dict(a) for a in request_obj.answers if a["name"] not in order]
    request_obj.answers = result
    changes = []
    labels = {n: forms.text(f.title, request) for n, f in forms.answer_fields(service)}
    for name in asked:
        before, after = old.get(name), new.get(name)
        text = _text(
            Message(
                CHANGE,
                mapping={
                    "label": labels.get(name, name),
                    "old": _display(before),
                    "new": _display(after),
                },
            )
        )
        history.record(request_obj, ANSWER_CORRECTED, text)
        changes.append(text)
    titles = dict(
        (doc_id, doc.Title()) for doc_id, doc in service_documents(request_obj)
    )
    user_id = api.user.get_current().getId() or ""
    for doc_id in asked_docs:
        gone = [a for a in replaced if a.document == doc_id]
        for attachment in gone:
            request_obj.attachments.remove(attachment)
        added = [
            documents.store(request_obj, upload, user_id)
            for upload in checked
            if upload["document"] == doc_id
        ]
        text = _text(
            Message(
                CHANGE,
                mapping={
                    "label": titles.get(doc_id, doc_id),
                    "old": ", ".join(a.filename for a in gone) or _text(EMPTY),
                    "new": ", ".join(a.filename for a in added),
                },
            )
        )
        history.record(request_obj, DOCUMENT_REPLACED, text)
        changes.append(text)
    request_obj.reindexObject()

    # back to the agents: the ask is closed first, so that the workflow's
    # guard lets the resubmit through
    closed = _close(request_obj)
    try:
        processing.fire(
            request_obj, RESUBMIT, comment if isinstance(comment, str) else ""
        )
    except Exception:
        IAnnotations(request_obj)[KEY] = closed
        raise
    notify.agents(request_obj, asked, asked_docs)
    if checked:
        # the new documents are the newest valid ones: the document locker
        # keeps them as it keeps a filing's (reuse.locker)
        event.notify(
            RequestDocumentsReplaced(
                request_obj, processing.household_of(request_obj), service, checked
            )
        )
    return changes


# the workflow ----------------------------------------------------------------


def refuse_plain_resubmit(request_obj, event):
    """IBeforeTransitionEvent: while an ask is open, ``resubmit`` only
    comes with the correction (``correct`` closes the ask first)."""
    transition = event.transition
    if transition is None or transition.id != RESUBMIT:
        return
    if open_ask(request_obj) is not None:
        raise TransitionRefused(_text(CORRECT_FIRST), request_obj.absolute_url())


@implementer(documents.IDocumentsLock)
class DocumentsLock:
    """While an ask is open, the citizen changes nothing else: no document
    through the generic « Ajouter des pièces » (page, ``POST
    <request>/@attachments``), only the asked ones through the correction."""

    def refusal(self, request_obj):
        return CORRECT_DOCUMENTS if is_open(request_obj) else None


def forget_when_left(request_obj, event):
    """IAfterTransitionEvent: an ask is only open while the request is
    « Incomplète »."""
    if event.new_state is not None and event.new_state.id != "incomplete":
        _close(request_obj)

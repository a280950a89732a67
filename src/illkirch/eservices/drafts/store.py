"""Drafts (« brouillons ») of requests: what a citizen typed in a request
form before sending it, kept with the documents they chose.

A draft belongs to a household like a request, and is stored INSIDE it, in
an annotation of the Household (``KEY``: an OOBTree draft id → ``Draft``):
it is no content item, so it has no URL of its own, no catalog entry (never
in ``@search``), no workflow and no local role an agent could hold. The only
way to it is this module, always given the current user's own household
(``current_household``): an agent, even one with a role on the household,
another household and anonymous visitors reach nothing.

A draft has an opaque random id and no request number; it keeps the
service's UID, the raw answers (bounded in size and type, not validated:
a half-filled form is fine), the member concerned, the requester's fields,
the choice to send the documents by post, the step of the form, and the
documents already chosen (checked by ``requests.documents.check_files``,
kept as blobs). ``submit`` files it through ``requests.submission.submit``
(every check of ``POST /@requests``) and deletes it.

Antivirus (#21, the kind ``draft-files`` of ``antivirus.files``, ``ref``
``"<household UID>/<draft id>/<file id>"``): each kept file is scanned once
the draft holds it. Until found clean it is listed « en cours d'analyse »
and the draft may not be sent with it (``unavailable``: a French error by
file; the page's wizard leaves it out, so a required document asks for a
file); a refused one loses its content, stays listed « Fichier refusé par
l'antivirus » until the citizen removes it, and its owner is told by email.
A draft's files are never downloaded (no route serves them).

A site index (``INDEX_KEY``: draft id → household UID) lets the daily task
(``drafts.expiry``) find the drafts without reading every household.
"""

from BTrees.OOBTree import OOBTree
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from illkirch.eservices import _
from illkirch.eservices.accounts import households
from illkirch.eservices.antivirus import files as scanned
from illkirch.eservices.antivirus import served
from illkirch.eservices.errors import FieldErrors
from illkirch.eservices.requests import documents
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import requesters
from illkirch.eservices.requests import submission
from illkirch.eservices.requests.answers import UNKNOWN
from illkirch.eservices.site_storage import site_btree
from persistent import Persistent
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations
from zope.i18nmessageid import Message

import json
import re
import secrets


KEY = "illkirch.eservices.drafts"
INDEX_KEY = "illkirch.eservices.drafts_index"
DEFAULT_EXPIRY_DAYS = 30
DEFAULT_REMINDER_DAYS = 7

# Bounds of what a draft keeps (a half-filled form, not a store).
MAX_DRAFTS = 20  # per household
MAX_ANSWERS_BYTES = 64 * 1024  # the answers, as JSON
MAX_TEXT = 10_000  # characters of one answer
MAX_ITEMS = 50  # items of a multiple choice
MAX_KEY = 200  # characters of the member, a requester's field, a document's id
STEP = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")

TOO_MANY = _(
    "error_draft_too_many",
    default="You already have ${count} requests being filled in: send or "
    "delete one of them first.",
)
ANSWERS_FORMAT = _(
    "error_draft_answers_format",
    default="The answers must be an object: question name → answer (text, "
    "number, true/false or a list of texts).",
)
ANSWER_TOO_LONG = _(
    "error_draft_answer_too_long",
    default="This answer is too long (${max} characters at most).",
)
ANSWERS_TOO_LARGE = _(
    "error_draft_answers_too_large",
    default="The answers are too long to be kept as a draft.",
)
TEXT_FORMAT = _("error_draft_text", default="Send a text.")
BOOLEAN = _("error_draft_boolean", default="Answer true or false.")
STEP_FORMAT = _("error_draft_step", default="This step is unknown.")
NOT_FOUND = _("error_draft_not_found", default="This draft was not found.")
FILE_UNKNOWN = _("error_draft_file_unknown", default="This file is not in the draft.")
FILE_PENDING = _(
    "error_draft_file_pending",
    default="The file “${name}” is being scanned by the antivirus: send the "
    "request once the scan is over.",
)
FILE_REFUSED = _(
    "error_draft_file_refused",
    default="The file “${name}” was refused by the antivirus: remove it and "
    "attach another copy.",
)
KIND = "draft-files"  # drafts.scans


class DraftRefused(FieldErrors):
    """What was sent for a draft is refused; nothing is stored."""


def now():
    return datetime.now(UTC)


class KeptFile(Persistent):
    """A document chosen in the form, kept with the draft (already checked;
    ``scan``: the antivirus' record, ``file`` None once it refused it)."""

    scan = None

    def __init__(self, document, filename, content_type, data):
        self.id = secrets.token_hex(8)
        self.document = document
        self.filename = filename
        self.content_type = content_type
        self.file = NamedBlobFile(
            data=data, contentType=content_type, filename=filename
        )
        self.size = len(data)
        self.added = now()

    def data(self):
        return self.file.data if self.file is not None else None


class Draft(Persistent):
    """One request being filled in."""

    def __init__(self, service_uid, owner):
        self.id = secrets.token_urlsafe(18)
        self.service_uid = service_uid
        self.service_title = ""
        self.owner = owner  # the user id who started it
        self.answers = PersistentMapping()
        self.member = ""
        self.requester = PersistentMapping()
        self.by_post = False
        self.step = ""
        self.files = PersistentList()
        self.created = self.modified = now()
        self.reminded = None  # when the expiry reminder was sent

    def files_size(self):
        return sum(kept.size for kept in self.files)

    def file(self, file_id):
        for kept in self.files:
            if kept.id == file_id:
                return kept
        return None


# look-up -------------------------------------------------------------------


def current_household():
    """The household whose drafts the current user may use, or None
    (anonymous visitors, agents and staff without household)."""
    if api.user.is_anonymous():
        return None
    return households.current_household()


def _tree(household, create=False):
    annotations = IAnnotations(household)
    tree = annotations.get(KEY)
    if tree is None and create:
        tree = annotations[KEY] = OOBTree()
    return tree


def drafts_of(household):
    """The household's drafts, the last saved first."""
    tree = _tree(household) if household is not None else None
    if not tree:
        return []
    return sorted(tree.values(), key=lambda d: d.modified, reverse=True)


def get(household, draft_id):
    """The household's draft of that id, or None (never another's)."""
    if household is None or not isinstance(draft_id, str) or not draft_id:
        return None
    tree = _tree(household)
    return tree.get(draft_id) if tree is not None else None


def service_of(draft):
    """The draft's Service (None when it was deleted)."""
    return documents.service_by_uid(draft.service_uid)


def expiry_days():
    return api.portal.get_registry_record(
        "illkirch.eservices.draft_expiry_days", default=DEFAULT_EXPIRY_DAYS
    )


def reminder_days():
    return api.portal.get_registry_record(
        "illkirch.eservices.draft_reminder_days", default=DEFAULT_REMINDER_DAYS
    )


def expires(draft, days=None):
    """When the draft is deleted: ``expiry_days`` after its last save
    (``days``: ``expiry_days()``, when the caller has read it)."""
    return draft.modified + timedelta(days=expiry_days() if days is None else days)


# checks --------------------------------------------------------------------


def _check_value(kind, value):
    """The value kept for an answer of ``kind``; raise ValueError with the
    message when it is not kept."""
    if kind == "boolean" and isinstance(value, str):
        # the form's checkbox: "on" or nothing
        return value.strip().lower() not in ("", "0", "false", "off")
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ValueError(Message(ANSWER_TOO_LONG, mapping={"max": MAX_TEXT}))
        return value
    if isinstance(value, list):
        if len(value) > MAX_ITEMS or not all(isinstance(i, str) for i in value):
            raise ValueError(ANSWERS_FORMAT)
        if any(len(i) > MAX_TEXT for i in value):
            raise ValueError(Message(ANSWER_TOO_LONG, mapping={"max": MAX_TEXT}))
        return list(value)
    raise ValueError(ANSWERS_FORMAT)


def check_answers(service, answers):
    """``(kept, errors)``: the answers of a draft bounded in type and size.

    A question the service does not have is refused (``UNKNOWN``), as
    ``POST /@requests`` does: a client learns at once that it sends a
    wrong name. Values are not validated (required, formats): that is for
    the sending."""
    if not isinstance(answers, dict):
        return {}, {"answers": ANSWERS_FORMAT}
    known = {name: forms.kind(field) for name, field in forms.answer_fields(service)}
    kept, errors = {}, {}
    for name, value in answers.items():
        if name not in known:
            errors[str(name)[:60]] = Message(UNKNOWN, mapping={"name": str(name)[:60]})
            continue
        try:
            kept[name] = _check_value(known[name], value)
        except ValueError as error:
            errors[name] = error.args[0]
    return kept, errors


def _text(value, key, errors, max_length=MAX_KEY):
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > max_length:
        errors[key] = TEXT_FORMAT
        return ""
    return value


def check(service, data, partial=False):
    """Check ``data`` (``answers``, ``member``, ``requester``, ``by_post``,
    ``step``); return the values to keep (only those given when
    ``partial``) or raise DraftRefused."""
    errors, values = {}, {}
    if "answers" in data or not partial:
        values["answers"], answer_errors = check_answers(
            service, {} if data.get("answers") is None else data["answers"]
        )
        errors.update(answer_errors)
    if "member" in data or not partial:
        values["member"] = _text(data.get("member"), "member", errors)
    if "requester" in data or not partial:
        requester = data.get("requester") or {}
        if not isinstance(requester, dict):
            errors["requester"] = TEXT_FORMAT
            requester = {}
        values["requester"] = {
            name: _text(requester.get(name), f"requester.{name}", errors)
            for name in requesters.FIELDS
            if requester.get(name)
        }
    if "by_post" in data or not partial:
        by_post = data.get("by_post") or False
        if not isinstance(by_post, bool):
            errors["by_post"] = BOOLEAN
        values["by_post"] = by_post is True
    if "step" in data or not partial:
        step = data.get("step") or ""
        if step and (not isinstance(step, str) or not STEP.match(step)):
            errors["step"] = STEP_FORMAT
            step = ""
        values["step"] = step
    if errors:
        raise DraftRefused(errors)
    return values


def _check_size(answers):
    size = len(json.dumps(dict(answers), ensure_ascii=False).encode("utf-8"))
    if size > MAX_ANSWERS_BYTES:
        raise DraftRefused({"answers": ANSWERS_TOO_LARGE})


def check_files(service, draft, files):
    """The uploads ``[{"document", "filename", "data"}]`` checked as a
    request's documents are, the draft's kept files counted in the total;
    return ``(checked, errors)``."""
    known = {doc.getId() for doc in service.documents()}
    errors = {}
    for upload in files:
        if upload.get("document") not in known:
            key = (
                f"document-{upload.get('document')}"
                if upload.get("document")
                else "documents"
            )
            errors[key] = documents.UNKNOWN_DOCUMENT
    checked, check_errors = documents.check_files(
        [f for f in files if f.get("document") in known],
        draft.files_size() if draft is not None else 0,
    )
    errors.update(check_errors)
    return checked, errors


# changes -------------------------------------------------------------------


def _apply(draft, values, merge):
    # #22: what did not change is not written (each « Suivant » saved the
    # draft with two new mappings: three objects, two of them new)
    if "answers" in values:
        if merge:
            draft.answers.update(values["answers"])
        elif dict(draft.answers) != values["answers"]:
            draft.answers.clear()
            draft.answers.update(values["answers"])
        _check_size(draft.answers)
    if "requester" in values and dict(draft.requester) != values["requester"]:
        draft.requester.clear()
        draft.requester.update(values["requester"])
    for name in ("member", "by_post", "step"):
        if name in values and getattr(draft, name) != values[name]:
            setattr(draft, name, values[name])


def _keep(draft, checked):
    kept = []
    for upload in checked:
        kept.append(
            KeptFile(
                upload["document"],
                upload["filename"],
                upload["content_type"],
                upload["data"],
            )
        )
        draft.files.append(kept[-1])
    return kept


def _scan(household, draft, kept):
    """The kept files, stored and reachable, wait for their scan."""
    for item in kept:
        scanned.start(KIND, f"{household.UID()}/{draft.id}/{item.id}", item)


def _touch(draft):
    draft.modified = now()
    draft.reminded = None  # a new period, a new reminder


def create(household, service, data, files=()):
    """A new draft of ``service`` for ``household`` (the current user's)
    with ``data`` (see ``check``) and checked ``files``; raise
    ``submission.SubmissionError`` when the user may not file to the
    service, DraftRefused for what was sent."""
    submission.check_can_file(service, household)
    if household is None:
        raise submission.SubmissionError({"service": submission.NO_HOUSEHOLD})
    tree = _tree(household, create=True)
    if len(tree) >= MAX_DRAFTS:
        raise DraftRefused({"draft": Message(TOO_MANY, mapping={"count": MAX_DRAFTS})})
    values = check(service, data)
    draft = Draft(service.UID(), api.user.get_current().getId())
    draft.service_title = service.Title()
    _apply(draft, values, merge=False)
    checked, errors = check_files(service, draft, list(files))
    if errors:
        raise DraftRefused(errors)
    kept = _keep(draft, checked)
    tree[draft.id] = draft
    site_btree(INDEX_KEY)[draft.id] = household.UID()
    _scan(household, draft, kept)
    return draft


def update(household, draft, data, files=(), merge=True):
    """Change the household's draft: the keys of ``data`` given (answers
    merged into the kept ones when ``merge``), ``files`` added. Raise
    DraftRefused; nothing is changed then."""
    service = service_of(draft)
    if service is None:
        raise DraftRefused({"service": submission.NOT_OPEN})
    values = check(service, data, partial=True)
    checked, errors = check_files(service, draft, list(files))
    if errors:
        raise DraftRefused(errors)
    before = dict(draft.answers)
    try:
        _apply(draft, values, merge)
    except DraftRefused:
        draft.answers.clear()
        draft.answers.update(before)
        raise
    _scan(household, draft, _keep(draft, checked))
    _touch(draft)
    return draft


def remove_file(draft, file_id):
    """Remove one kept file (its blob goes with it)."""
    kept = draft.file(file_id)
    if kept is None:
        raise DraftRefused({"file": FILE_UNKNOWN})
    draft.files.remove(kept)
    _touch(draft)


def delete(household, draft):
    """Delete the draft and its documents."""
    tree = _tree(household)
    if tree is not None and draft.id in tree:
        del tree[draft.id]
    index = site_btree(INDEX_KEY)
    if draft.id in index:
        del index[draft.id]
    del draft.files[:]


def unavailable(draft):
    """``document-<id>`` → French error for each kept file the antivirus
    has not found clean (pending or refused): the draft is not sent with
    it."""
    errors = {}
    for kept in draft.files:
        if served.refusal(kept) is None:
            continue
        message = FILE_REFUSED if scanned.is_refused(kept) else FILE_PENDING
        errors.setdefault(
            f"document-{kept.document}",
            Message(message, mapping={"name": kept.filename}),
        )
    return errors


def files_for_submission(draft):
    """The kept files as ``submission.submit`` takes them (those found
    clean by the antivirus only: see ``unavailable``)."""
    return [
        {"document": kept.document, "filename": kept.filename, "data": kept.data()}
        for kept in draft.files
        if served.refusal(kept) is None
    ]


def submit(household, draft, files=()):
    """File the draft as a request (the checks and answers of
    ``POST /@requests``) and delete it; return the Request. Raise
    ``submission.SubmissionError`` (the draft is kept) otherwise, also when
    a kept file is not found clean by the antivirus."""
    service = service_of(draft)
    if service is None or household is None:
        raise submission.SubmissionError({"service": submission.NOT_OPEN})
    errors = unavailable(draft)
    if errors:
        raise submission.SubmissionError(errors)
    # Booleans are kept as such (``_check_value``): the JSON rules apply.
    request_obj = submission.submit(
        service,
        {name: value for name, value in draft.answers.items() if value is not None},
        member_id=draft.member or None,
        files=files_for_submission(draft) + list(files),
        by_post=draft.by_post,
        requester=dict(draft.requester) or None,
    )
    delete(household, draft)
    return request_obj


def account_closed(household, event):
    """Subscriber (``accounts.closure.AccountClosed``): a closed account's
    drafts are deleted with their documents."""
    for draft in drafts_of(household):
        delete(household, draft)

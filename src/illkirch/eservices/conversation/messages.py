"""The rules of a request's conversation, written once for the request's
page and ``<request>/@messages``.

Sides: the agents are those who may process the request (permission
« illkirch.eservices: Process requests »: the agents of its service's group,
the site's administrators); the citizen is who may View it without
processing it (its household's account, Owner). Anyone else has no side and
gets nothing.

Writing (``post``), as the current user:

- plain text, required, at most ``MAX_LENGTH`` characters (kept as typed;
  ``to_html`` renders it safely);
- optional attachments, checked exactly as the request's documents
  (``requests.documents.check_files``: type from the content, per-file
  limit). The messages' files have their own budget, the request's total
  limit (``max_request_attachments_mb``) for the whole conversation: they do
  not eat the room of the request's documents, and a request keeps at most
  twice that limit;
- internal notes (``internal``) are for the agents only; citizens never see
  them nor their files;
- writing needs « illkirch.eservices: Write request messages »
  (``WRITE_PERMISSION``), which ``request_workflow`` gives the agents
  (RequestProcessor) in every status and the citizen (Owner) until the
  request is refused or closed: then the citizen reads the conversation but
  may no longer write (``ConversationClosed``, a French explanation).

Every file of a message is scanned by the antivirus (``conversation.scans``,
#21): until it is found clean it is « en cours d'analyse » and nobody opens
it (``download_refusal``); a refused one stays in the thread, marked so,
without its content.

A stored message is not recorded in the request's history (the thread is
its own story); ``conversation.notify.message_posted`` tells the other side.
"""

from AccessControl import Unauthorized
from AccessControl import getSecurityManager
from illkirch.eservices import _
from illkirch.eservices import history
from illkirch.eservices import roles
from illkirch.eservices.accounts import households
from illkirch.eservices.antivirus import served
from illkirch.eservices.content.request import Attachment
from illkirch.eservices.conversation import notify
from illkirch.eservices.conversation import scans
from illkirch.eservices.conversation import store
from illkirch.eservices.conversation.events import MessagePosted
from illkirch.eservices.errors import FieldErrors
from illkirch.eservices.requests import documents
from illkirch.eservices.requests import processing
from illkirch.eservices.roles import may
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.event import notify as zope_notify

import html
import re


PROCESS_PERMISSION = "illkirch.eservices: Process requests"
WRITE_PERMISSION = "illkirch.eservices: Write request messages"
MAX_LENGTH = 5000

TEXT_REQUIRED = _("error_message_text_required", default="Write your message.")


def too_long(count):
    return _(
        "error_message_text_too_long",
        default="Your message is too long: at most ${max} characters "
        "(it has ${count}).",
        mapping={"max": MAX_LENGTH, "count": count},
    )


NOTES_FOR_AGENTS = _(
    "error_message_internal_agents_only",
    default="Only the town's agents can write internal notes.",
)
CLOSED = _(
    "error_message_conversation_closed",
    default="This request is finished: you can read its conversation but no "
    "longer write in it. For a new question, file a new request or contact "
    "the town hall.",
)
NOTES_ONLY = _(
    "error_message_notes_only",
    default="This request was filed without an account: its requester "
    "cannot read the conversation. Write an internal note, or write to them "
    "with a change of status (its message is sent by email) or by telephone.",
)
YOU = _("conversation_author_you", default="You")
TOWN = _("conversation_author_town", default="The town's services")
CITIZEN_LABEL = _("conversation_author_citizen", default="The citizen")

# Controls other than tab and newline are dropped from the text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class MessageRefused(FieldErrors):
    """The message is refused; keys ``text``, ``documents``, ``internal``."""


class ConversationClosed(MessageRefused):
    """The citizen may no longer write (key ``conversation``)."""


# sides -------------------------------------------------------------------------


# Who keeps the agents' side once « Process requests » is gone: a closed
# request gives that permission to Manager alone (request_workflow), while
# its agents (local role RequestProcessor) still View it and write in it.
AGENT_ROLES = frozenset((roles.PROCESSOR_ROLE, "Manager", "Site Administrator"))


def side(request_obj):
    """The current user's side of the request's conversation (``store.AGENT``,
    ``store.CITIZEN``), or None for anyone else."""
    if api.user.is_anonymous():
        return None
    if may(PROCESS_PERMISSION, request_obj):
        return store.AGENT
    if not may("View", request_obj):
        return None
    # the user PAS authenticated (``api.user.get_current`` wraps it as
    # member data: the same roles, #22)
    user = getSecurityManager().getUser()
    if AGENT_ROLES.intersection(user.getRolesInContext(request_obj)):
        return store.AGENT
    return store.CITIZEN


def _user_id():
    return households.current_userid() or ""


def _side(request_obj, current):
    """``current`` when the caller already has the side (a page asks for
    it once: a look-up of roles), else ``side(request_obj)``."""
    return side(request_obj) if current is None else current


def may_write(request_obj, current=None):
    """Whether the current user may write now (the workflow says when);
    ``current``: their ``side``, when known."""
    return _side(request_obj, current) is not None and may(
        WRITE_PERMISSION, request_obj
    )


def notes_only(request_obj):
    """Whether only internal notes may be written: a request filed without
    an account has no citizen to read the conversation."""
    return processing.household_of(request_obj) is None


def is_closed_for_citizen(request_obj, current=None):
    """Whether the current user is the request's citizen and may no longer
    write (the request is refused or closed)."""
    current = _side(request_obj, current)
    return current == store.CITIZEN and not may_write(request_obj, current)


# writing -------------------------------------------------------------------------


def clean_text(text):
    """The text as stored: newlines made ``\\n``, controls dropped, blank
    lines around trimmed."""
    if not isinstance(text, str):
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text).strip()


def _conversation_size(request_obj):
    conversation = store.get(request_obj)
    if conversation is None:
        return 0
    return sum(a.size for m in conversation.messages for a in m.attachments)


def check(request_obj, text, files=(), internal=False):
    """Check a message of the current user; return ``(text, checked
    files)`` or raise Unauthorized, ``ConversationClosed``, ``MessageRefused``."""
    current = side(request_obj)
    if current is None:
        raise Unauthorized("Not in this request's conversation")
    if internal and current != store.AGENT:
        raise MessageRefused({"internal": NOTES_FOR_AGENTS})
    if not internal and notes_only(request_obj):
        raise MessageRefused({"internal": NOTES_ONLY})
    if not may_write(request_obj):
        if current == store.CITIZEN:
            raise ConversationClosed({"conversation": CLOSED})
        raise Unauthorized("Cannot write in this request's conversation")
    errors = {}
    text = clean_text(text)
    if not text:
        errors["text"] = TEXT_REQUIRED
    elif len(text) > MAX_LENGTH:
        errors["text"] = too_long(len(text))
    uploads = [dict(f, document="") for f in files or ()]
    checked, file_errors = documents.check_files(
        uploads, _conversation_size(request_obj)
    )
    errors.update(file_errors)
    if errors:
        raise MessageRefused(errors)
    return text, checked


def post(request_obj, text, files=(), internal=False):
    """Write a message (an internal note with ``internal``) as the current
    user, with ``files`` ``[{"filename", "data"}]``; return the stored
    ``store.Message``. Nothing is stored when something is refused."""
    text, checked = check(request_obj, text, files, internal)
    user_id = _user_id()
    message = store.Message(user_id, side(request_obj), text, internal=internal)
    for upload in checked:
        message.attachments.append(
            Attachment(
                upload["filename"],
                upload["content_type"],
                NamedBlobFile(
                    data=upload["data"],
                    contentType=upload["content_type"],
                    filename=upload["filename"],
                ),
                added_by=user_id,
            )
        )
    store.append(request_obj, message)
    # every file of a message waits for its scan (#21), the agents' too
    scans.start(request_obj, message)
    notify.message_posted(request_obj, message)
    zope_notify(MessagePosted(request_obj, message))
    return message


# reading -------------------------------------------------------------------------


def visible(request_obj):
    """The messages the current user may see, oldest first."""
    current = side(request_obj)
    if current is None:
        return []
    return store.messages(request_obj, current)


def find(request_obj, message_id):
    """A message the current user may see, or None."""
    current = side(request_obj)
    message = store.find(request_obj, message_id) if current else None
    if message is None or not message.visible_to(current):
        return None
    return message


def attachment(request_obj, message_id, attachment_id):
    """A file of a message the current user may see, or None."""
    message = find(request_obj, message_id)
    return message.attachment(attachment_id) if message is not None else None


def download_refusal(attachment):
    """Why nobody may open the file now (« en cours d'analyse », refused
    by the antivirus), or None."""
    return served.refusal(attachment)


def mark_read(request_obj, current=None):
    """Mark what the current user may see as read by them; return how many
    messages were unread."""
    current = _side(request_obj, current)
    if current is None:
        return 0
    return store.mark_read(request_obj, _user_id(), current)


def unread_count(request_obj, current=None):
    return len(unread_ids(request_obj, current))


def unread_ids(request_obj, current=None):
    """The ids of the messages the current user may see and has not read."""
    current = _side(request_obj, current)
    if current is None:
        return set()
    return {m.id for m in store.unread(request_obj, _user_id(), current)}


def _names():
    """``name(user id)``: the user's full name (else the id), each looked up
    once. PAS directly: ``api.user.get`` wraps the user as member data,
    about five times slower, for the same property."""
    cache = {}
    users = api.portal.get_tool("acl_users")

    def name(user_id):
        if user_id not in cache:
            user = users.getUserById(user_id) if user_id else None
            cache[user_id] = (
                (user.getProperty("fullname", "") or user_id) if user else user_id
            )
        return cache[user_id]

    return name


def status_entries(request_obj):
    """The history's status changes that carry a message (the agents' and
    the citizen's resubmit comment), oldest first, each with ``index``, its
    place in the history (which only grows: a stable id)."""
    return [
        dict(entry, index=index)
        for index, entry in enumerate(history.entries(request_obj))
        if entry["text"] and entry["action"].startswith("transition_")
    ]


def thread(request_obj, current=None):
    """The conversation as the current user may see it, with the status
    changes' messages, in time order: a list of dicts

    ``kind`` (``"message"``, ``"note"``, ``"status"``), ``id``, ``time``
    (ISO 8601 UTC), ``author`` (a label: « Vous » / « Services de la ville »
    for citizens, names for agents), ``mine``, ``side``, ``text``,
    ``attachments`` (``[{"id", "filename", "content_type", "size", "scan",
    "available", "scan_label"}]``: ``scan`` the antivirus' state, ``pending``,
    ``clean``, ``refused`` or None; ``scan_label`` says why a file that is
    not ``available`` may not be opened),
    ``status`` (the status title, for ``status``), ``seen_by`` (agents
    only: the names of who read it, its author aside; else None).
    ``current``: the user's ``side``, when the caller has it.
    """
    current = _side(request_obj, current)
    if current is None:
        return []
    me = _user_id()
    name = _names()
    agent = current == store.AGENT

    def label(user_id, author_side):
        if agent:
            return name(user_id) if user_id else TOWN
        if user_id and user_id == me:
            return YOU
        return TOWN if author_side == store.AGENT else CITIZEN_LABEL

    items = []
    for message in store.messages(request_obj, current):
        items.append(
            {
                "kind": "note" if message.internal else "message",
                "id": message.id,
                "time": message.time,
                "author": label(message.author, message.side),
                "mine": bool(me) and message.author == me,
                "side": message.side,
                "text": message.text,
                "attachments": [
                    {
                        "id": a.id,
                        "filename": a.filename,
                        "content_type": a.content_type,
                        "size": a.size,
                        "scan": served.scan_state(a),
                        "available": served.refusal(a) is None,
                        "scan_label": served.status_label(a),
                    }
                    for a in message.attachments
                ],
                "status": None,
                "seen_by": (
                    sorted(
                        (name(uid) for uid in message.read_by if uid != message.author),
                        key=str.casefold,
                    )
                    if agent
                    else None
                ),
            }
        )
    for entry in status_entries(request_obj):
        actor_side = (
            store.CITIZEN if entry["action"] == "transition_resubmit" else store.AGENT
        )
        items.append(
            {
                "kind": "status",
                "id": f"status-{entry['index']}",
                "time": entry["time"],
                "author": label(entry["actor"], actor_side),
                "mine": bool(me) and entry["actor"] == me,
                "side": actor_side,
                "text": entry["text"],
                "attachments": [],
                "status": processing.state_title(entry["state"]),
                "seen_by": None,
            }
        )
    items.sort(key=lambda item: item["time"])
    return items


# rendering -----------------------------------------------------------------------

# http(s) URLs up to a space, a quote or an angle bracket; the punctuation
# that ends a sentence is not part of them.
_URL = re.compile(r"""\bhttps?://[^\s<>"'`]+""", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»"


def to_html(text):
    """The message as safe HTML (a str for TAL's ``structure``): everything
    escaped, http(s) URLs made links (``rel="noopener noreferrer
    nofollow"``), newlines ``<br>``; nothing else of the text is rendered."""
    parts = []
    position = 0
    for match in _URL.finditer(text or ""):
        url = match.group(0)
        end = match.end()
        while url and url[-1] in _TRAILING:
            url = url[:-1]
            end -= 1
        if len(url) <= len("https://"):
            continue
        parts.append(html.escape(text[position : match.start()]))
        escaped = html.escape(url, quote=True)
        parts.append(
            f'<a href="{escaped}" rel="noopener noreferrer nofollow">{escaped}</a>'
        )
        position = end
    parts.append(html.escape((text or "")[position:]))
    return "".join(parts).replace("\n", "<br>\n")

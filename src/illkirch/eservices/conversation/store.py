"""The data of a request's conversation, kept in an annotation of the
Request: its messages (oldest first) and, per person, what they read.

A ``Message`` is written by one side (``"citizen"`` or ``"agent"``); an
agent's message may be an internal note (``internal``), which citizens never
see. ``read_by`` maps the user ids who read it (its author included) to
when. The catalog keeps, per request (``summary``, metadata
``conversation_summary``), the number of messages each side may see and how
many of them each reader has read, so that the listings (Guichet, « Mon
espace », ``GET /@requests``) count unread messages without waking the
requests; ``up_to_date`` (index ``conversation_up_to_date``) lists who has
read everything, for the filter « messages non lus ».

This module holds no rule (who may write, when): ``conversation.messages``
does.
"""

from datetime import UTC
from datetime import datetime
from persistent import Persistent
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from zope.annotation.interfaces import IAnnotations

import secrets


KEY = "illkirch.eservices.conversation"
CITIZEN = "citizen"
AGENT = "agent"
SIDES = (CITIZEN, AGENT)


def now():
    return datetime.now(UTC).isoformat(timespec="seconds")


class Message(Persistent):
    """A message of the conversation; ``attachments`` holds
    ``content.request.Attachment`` objects, checked as the request's
    documents are."""

    def __init__(self, author, side, text, internal=False, time=None):
        self.id = secrets.token_hex(8)
        self.time = time or now()
        self.author = author
        self.side = side
        self.text = text
        self.internal = bool(internal)
        self.attachments = PersistentList()
        self.read_by = PersistentMapping({author: self.time} if author else {})

    def visible_to(self, side):
        return side == AGENT or not self.internal

    def attachment(self, attachment_id):
        for attachment in self.attachments:
            if attachment.id == attachment_id:
                return attachment
        return None


class Conversation(Persistent):
    """The messages of one request and the side of each person in it."""

    def __init__(self):
        self.messages = PersistentList()
        self.sides = PersistentMapping()  # user id → "citizen" | "agent"


def get(request_obj, create=False):
    """The request's Conversation (None when it has none and not
    ``create``)."""
    annotations = IAnnotations(request_obj)
    conversation = annotations.get(KEY)
    if conversation is None and create:
        conversation = annotations[KEY] = Conversation()
    return conversation


def messages(request_obj, side=AGENT):
    """The messages ``side`` may see, oldest first."""
    conversation = get(request_obj)
    if conversation is None:
        return []
    return [m for m in conversation.messages if m.visible_to(side)]


def find(request_obj, message_id):
    conversation = get(request_obj)
    for message in conversation.messages if conversation is not None else ():
        if message.id == message_id:
            return message
    return None


def append(request_obj, message):
    """Store a new message (already checked) and update the catalog."""
    conversation = get(request_obj, create=True)
    conversation.messages.append(message)
    if message.author:
        conversation.sides[message.author] = message.side
    reindex(request_obj)
    return message


def mark_read(request_obj, user_id, side):
    """Mark every message ``side`` may see as read by ``user_id``; return
    how many were unread. The catalog is updated only when one was."""
    conversation = get(request_obj)
    if conversation is None or not user_id:
        return 0
    conversation.sides[user_id] = side
    moment = now()
    count = 0
    for message in conversation.messages:
        if message.visible_to(side) and user_id not in message.read_by:
            message.read_by[user_id] = moment
            count += 1
    if count:
        reindex(request_obj)
    return count


def unread(request_obj, user_id, side):
    """The messages ``side`` may see that ``user_id`` has not read."""
    return [m for m in messages(request_obj, side) if user_id not in m.read_by]


def summary(request_obj):
    """``{"citizen": n, "agent": n, "seen": {user id: n}}``: the number of
    messages each side may see, and of those each reader has read."""
    conversation = get(request_obj)
    result = {CITIZEN: 0, AGENT: 0, "seen": {}}
    if conversation is None:
        return result
    seen = result["seen"]
    for message in conversation.messages:
        result[AGENT] += 1
        if not message.internal:
            result[CITIZEN] += 1
        for user_id in message.read_by:
            seen[user_id] = seen.get(user_id, 0) + 1
    return result


def unread_count(summary_value, user_id, side):
    """Unread messages of ``user_id`` from a ``summary`` (catalog metadata)."""
    if not summary_value:
        return 0
    total = summary_value.get(side, 0)
    return max(0, total - summary_value.get("seen", {}).get(user_id, 0))


def up_to_date(request_obj):
    """The user ids who have read every message their side may see."""
    conversation = get(request_obj)
    if conversation is None:
        return []
    value = summary(request_obj)
    return sorted(
        user_id
        for user_id, side in conversation.sides.items()
        if unread_count(value, user_id, side) == 0
    )


def reindex(request_obj):
    request_obj.reindexObject(
        idxs=["conversation_up_to_date", "conversation_size", "modified"]
    )

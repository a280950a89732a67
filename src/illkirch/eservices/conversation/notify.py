"""Telling the other side that a message was written (an email with a
link, never the message's content), through the background queue.

``message_posted`` (called by ``conversation.messages`` once a message is
stored) queues the task ``notify_message``, which emails:

- for a citizen's message, the request's assignee, or when nobody is
  assigned every agent of the groups processing it (``assignment
  .assignable``);
- for an agent's message to the citizen, the household's holder (or the
  requester of an account-less request: ``processing.recipient``);
- for an internal note, the assignee when another agent wrote it (a
  colleague's note on a request one is in charge of); citizens never.

Agents who chose the daily digest (``digest.wants``, « Mes notifications »)
get no immediate email: their digest counts the requests with messages they
have not read. The email says which request (number, service) and gives
the link to its page from the portal's public URL (``urls.public_url``,
``processing.follow_url``), never the message (it may be personal); it goes
through ``mail.send``, hence the task ``mail.deliver``.
"""

from illkirch.eservices import _
from illkirch.eservices import jobs
from illkirch.eservices import mail
from illkirch.eservices import urls
from illkirch.eservices.conversation import store
from illkirch.eservices.requests import assignment
from illkirch.eservices.requests import digest
from illkirch.eservices.requests import processing
from plone import api
from zope.i18nmessageid import Message

import logging


logger = logging.getLogger(__name__)

TO_CITIZEN = "citizen"
TO_AGENTS = "agents"
NOTE = "note"
SUBJECTS = {
    TO_CITIZEN: _(
        "mail_message_citizen_subject",
        default="New message about your request ${number}",
    ),
    TO_AGENTS: _(
        "mail_message_agent_subject", default="New message on request ${number}"
    ),
    NOTE: _(
        "mail_message_note_subject", default="New internal note on request ${number}"
    ),
}
BODIES = {
    TO_CITIZEN: _(
        "mail_message_citizen_body",
        default="Hello,\n\nThe town's services wrote you a message about your "
        "request “${service}” number ${number}.\n\nRead it on your request's "
        "page:\n${url}",
    ),
    TO_AGENTS: _(
        "mail_message_agent_body",
        default="Hello,\n\nThe citizen wrote a new message on the request "
        "“${service}” number ${number}.\n\nRead it at:\n${url}",
    ),
    NOTE: _(
        "mail_message_note_body",
        default="Hello,\n\nAn agent added an internal note on the request "
        "“${service}” number ${number}, which is assigned to you.\n\nRead it "
        "at:\n${url}",
    ),
}


def message_posted(request_obj, message):
    """Called by ``conversation.messages`` once a message is stored: the
    emails are sent by the background queue once the transaction commits."""
    jobs.enqueue(notify_message, request_obj.UID(), message.id)


def _agents_told(userids, author):
    """The user ids to email at once: not the author, not those who chose
    the daily digest."""
    return [uid for uid in userids if uid and uid != author and not digest.wants(uid)]


def recipients(request_obj, message):
    """``(kind, [email address])``: who is told of ``message`` and how."""
    assignee = getattr(request_obj, "assignee", "") or ""
    if message.side == store.CITIZEN:
        if assignee:
            userids = [assignee]
        else:
            userids = [agent["id"] for agent in assignment.assignable(request_obj)]
        userids = _agents_told(userids, message.author)
        return TO_AGENTS, [a for a in map(mail.user_email, userids) if a]
    if message.internal:
        userids = _agents_told([assignee], message.author)
        return NOTE, [a for a in map(mail.user_email, userids) if a]
    address = processing.recipient(request_obj)
    return TO_CITIZEN, [address] if address else []


def email_text(request_obj, kind):
    """(subject, body) of the email: the request's number and service and
    its link, nothing of the message."""
    url = (
        processing.follow_url(request_obj)
        if kind == TO_CITIZEN
        else urls.public_url(request_obj)
    )
    mapping = {
        "number": request_obj.number,
        "service": request_obj.service_title,
        "url": url,
    }
    return Message(SUBJECTS[kind], mapping=mapping), Message(
        BODIES[kind], mapping=mapping
    )


def _find(request_uid):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(UID=request_uid):
        if brain.portal_type == "Request":
            return brain._unrestrictedGetObject()
    return None


@jobs.task(retries=5, retry_delay=60)
def notify_message(request_uid, message_id):
    """Email the other side of the conversation about the message
    ``message_id``; return the addresses emailed.

    Idempotent enough: its emails are queued (``mail.send``) only when its
    transaction commits, once; a request or message gone meanwhile is told
    to nobody."""
    request_obj = _find(request_uid)
    message = store.find(request_obj, message_id) if request_obj else None
    if message is None:
        return []
    kind, addresses = recipients(request_obj, message)
    if not addresses:
        logger.info("Message on %s: nobody to email", request_obj.number)
        return []
    subject, body = email_text(request_obj, kind)
    sent = []
    for address in addresses:
        try:
            mail.send(address, subject, body)
        except ValueError as error:  # plone.api: "MailHost is not configured."
            logger.warning("Email about %s not sent: %s", request_obj.number, error)
            continue
        sent.append(address)
    return sent

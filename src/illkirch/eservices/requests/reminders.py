"""Reminders to the citizen of a request left « Incomplète ».

When an agent asks for missing documents or information (``ask_documents``)
the request waits for its citizen. Each service says after how many days
the citizen is reminded (``reminder_days``, « 7, 14 » by default: a first
reminder 7 days after the agent's request, a second after 14). The daily
task ``remind_all`` sends each step's reminder once: the email repeats the
agent's message (what is missing) and gives the link to complete the
request (built from the portal's public URL, ``urls.public_url``). Each
reminder is written in the request's history; the steps reached are kept
in an annotation of the request, for the current request for documents
only (a new ``ask_documents`` starts the steps again).

After the last step, while the citizen has not answered, the agents see
the request flagged in the Guichet (« Relancé 2 fois, sans réponse »:
``unanswered``).
"""

from datetime import datetime
from illkirch.eservices import _
from illkirch.eservices import business_days
from illkirch.eservices import dates
from illkirch.eservices import history
from illkirch.eservices import jobs
from illkirch.eservices import mail
from illkirch.eservices.content.service import DEFAULT_REMINDER_DAYS
from illkirch.eservices.content.service import reminder_steps
from illkirch.eservices.requests import documents
from illkirch.eservices.requests import processing
from plone import api
from zope.annotation.interfaces import IAnnotations
from zope.i18nmessageid import Message

import logging


logger = logging.getLogger(__name__)

KEY = "illkirch.eservices.reminders"
STATE = "incomplete"
ASKED = "transition_ask_documents"
ACTION = "reminder_sent"

SUBJECT = _(
    "mail_request_reminder_subject",
    default="Reminder: your request ${number} is waiting for you",
)
BODY = _(
    "mail_request_reminder_body",
    default="Hello,\n\nOn ${date}, the town's services asked you to complete "
    "your request “${service}” number ${number}. We have not received "
    "anything from you yet.\n\nWhat is missing:\n${missing}\n\nComplete your "
    "request at:\n${url}",
)
HISTORY_TEXT = _(
    "request_history_reminder_text",
    default="Reminder ${step} of ${steps}, ${days} days after the request "
    "for documents or information.",
)
FLAG = _(
    "flag_reminded_unanswered",
    default="Reminded ${count} time(s), no answer",
)


def steps_of(request_obj, service=None):
    """The days of the reminders of the request's service (its default when
    the service is gone or its setting unreadable); ``service``: the
    request's, when a listing has it (no catalog search)."""
    service = service if service is not None else documents.service_of(request_obj)
    value = getattr(service, "reminder_days", DEFAULT_REMINDER_DAYS)
    try:
        return reminder_steps(value)
    except ValueError:
        return reminder_steps(DEFAULT_REMINDER_DAYS)


def asked(request_obj):
    """The history entry that made the request incomplete (the latest
    ``ask_documents``), or None."""
    for entry in reversed(history.entries(request_obj)):
        if entry["action"] == ASKED:
            return entry
    return None


def _since(entry):
    """The day of the entry in the town (its time is ISO, UTC)."""
    return datetime.fromisoformat(entry["time"]).astimezone(business_days.TIMEZONE)


def progress(request_obj):
    """``{"since", "reached", "sent"}`` for the current request for
    documents: the steps reached and the reminders sent (none yet: zeros)."""
    entry = asked(request_obj)
    kept = IAnnotations(request_obj).get(KEY) or {}
    if entry is None or kept.get("since") != entry["time"]:
        return {"since": entry["time"] if entry else "", "reached": 0, "sent": 0}
    return dict(kept)


def due_step(request_obj, today=None):
    """The step (1, 2…) whose reminder is due today and not sent yet, or 0.

    The step is the last one whose day has come: a task that did not run
    for a while sends one reminder, not one per missed step."""
    if processing.state(request_obj) != STATE:
        return 0
    entry = asked(request_obj)
    if entry is None:
        return 0
    elapsed = ((today or business_days.today()) - _since(entry).date()).days
    reached = sum(1 for day in steps_of(request_obj) if day <= elapsed)
    return reached if reached > progress(request_obj)["reached"] else 0


def remind(request_obj, today=None):
    """Send the reminder due today, if any (idempotent: a step is reminded
    once). Return True when one was sent."""
    step = due_step(request_obj, today)
    if not step:
        return False
    address = processing.recipient(request_obj)
    if not address:
        logger.warning("No email for request %s: not reminded", request_obj.number)
        return False
    entry = asked(request_obj)
    steps = steps_of(request_obj)
    subject, body = email_text(request_obj, entry)
    try:
        mail.send(address, subject, body)
    except ValueError as error:  # plone.api: "MailHost is not configured."
        logger.warning("Reminder of %s not sent: %s", request_obj.number, error)
        return False
    done = progress(request_obj)
    IAnnotations(request_obj)[KEY] = {
        "since": entry["time"],
        "reached": step,
        "sent": done["sent"] + 1,
    }
    text = mail._text(
        Message(
            HISTORY_TEXT,
            mapping={"step": step, "steps": len(steps), "days": steps[step - 1]},
        ),
        None,
    )
    history.record(request_obj, ACTION, text, actor="")
    return True


def email_text(request_obj, entry):
    """(subject, body) of the reminder: what the agent asked, the link."""
    mapping = {
        "number": request_obj.number,
        "service": request_obj.service_title,
        "date": dates.format_date(_since(entry).date()),
        "missing": entry["text"],
        "url": processing.follow_url(request_obj),
    }
    return Message(SUBJECT, mapping=mapping), Message(BODY, mapping=mapping)


def unanswered(request_obj, review_state=None, service=None):
    """The number of reminders sent when the last step has been reminded
    and the citizen has not answered (the request is still incomplete);
    0 otherwise. ``review_state``: the request's, when a list knows it
    (its catalog entry's); ``service``: its service, likewise."""
    if (review_state or processing.state(request_obj)) != STATE:
        return 0
    done = progress(request_obj)
    steps = steps_of(request_obj, service)
    if not done["sent"] or not steps or done["reached"] < len(steps):
        return 0
    return done["sent"]


def flag(count):
    """The Guichet's flag: « Relancé 2 fois, sans réponse »."""
    return Message(FLAG, mapping={"count": count})


def incomplete_requests():
    """Every request waiting for its citizen (unrestricted: the task)."""
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        portal_type="Request", review_state=STATE
    ):
        yield brain._unrestrictedGetObject()


@jobs.periodic("requests.remind", hour="8", minute="0")
def remind_all():
    """Remind the citizens of the incomplete requests whose step has come.

    Idempotent: each step of a request's current request for documents is
    reminded once (kept on the request), so running it twice the same day
    sends nothing more. Returns the number of reminders sent."""
    sent = sum(1 for request_obj in incomplete_requests() if remind(request_obj))
    logger.info("Reminders sent: %d.", sent)
    return sent

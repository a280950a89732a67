"""Processing of requests: statuses, transitions, history and the emails
to the citizen.

The workflow ``request_workflow`` (profiles/default/workflows) holds the
statuses; only the agents of the service's group (local role
RequestProcessor) fire its transitions, except ``resubmit``, the citizen's
"I have completed my request". Whatever the front end (the request page,
``@workflow``, Plone's menus), the subscribers below require a message
where the citizen needs one, keep the history and email the citizen.
"""

from Acquisition import aq_inner
from Acquisition import aq_parent
from illkirch.eservices import _
from illkirch.eservices import business_days
from illkirch.eservices import dates
from illkirch.eservices import history
from illkirch.eservices import mail
from illkirch.eservices import transitions
from illkirch.eservices import urls
from illkirch.eservices.accounts import households
from illkirch.eservices.content.household import IHousehold
from illkirch.eservices.requests.events import ICitizenEmails
from illkirch.eservices.transitions import TransitionRefused
from plone import api
from Products.CMFCore.utils import getToolByName
from zope.component import getAllUtilitiesRegisteredFor
from zope.i18nmessageid import Message

import logging


logger = logging.getLogger(__name__)

STATES = {
    "submitted": _("request_state_submitted", default="In progress"),
    "incomplete": _("request_state_incomplete", default="Incomplete"),
    "complete": _("request_state_complete", default="Complete"),
    "accepted": _("request_state_accepted", default="Accepted"),
    "sent": _("request_state_sent", default="Sent by post"),
    "rejected": _("request_state_rejected", default="Refused"),
    "closed": _("request_state_closed", default="Closed"),
}
# What each transition is called on the agents' buttons.
TRANSITIONS = {
    "ask_documents": _(
        "request_transition_ask_documents",
        default="Ask for missing documents or information",
    ),
    "resubmit": _("request_transition_resubmit", default="I have completed my request"),
    "mark_complete": _("request_transition_mark_complete", default="Mark as complete"),
    "accept": _("request_transition_accept", default="Accept"),
    "reject": _("request_transition_reject", default="Refuse"),
    "send": _("request_transition_send", default="Sent by post"),
    "close": _("request_transition_close", default="Close"),
}
MESSAGE_REQUIRED = {
    "ask_documents": _(
        "error_message_required_ask_documents",
        default="Say which documents or information are missing: "
        "your message is sent to the citizen.",
    ),
    "reject": _(
        "error_message_required_reject",
        default="Give the reason of the refusal: it is sent to the citizen.",
    ),
}
CITIZEN_TRANSITIONS = ("resubmit",)
# History entries about the town's internal work, shown to its agents only.
INTERNAL_ACTIONS = ("assigned", "unassigned")
POSTED_NOTE = _("posted_on_note", default="Posted on ${date}.")
# The statuses in which a request waits for the town (« en retard » once a
# working day has passed after its due date).
WAITING_STATES = ("submitted", "complete")
UNAVAILABLE = _(
    "error_request_transition_unavailable",
    default="This action is not possible on this request in its "
    "current status: it may have been processed already.",
)
ACTIONS = {
    "submitted": _("request_history_submitted", default="Request submitted"),
    "documents_added": _("request_history_documents_added", default="Documents added"),
    "assigned": _("request_history_assigned", default="Request assigned"),
    "unassigned": _("request_history_unassigned", default="Assignment removed"),
    "reminder_sent": _("request_history_reminder_sent", default="Reminder sent"),
    # corrections in place (#17, corrections/asks.py)
    "answer_corrected": _(
        "request_history_answer_corrected", default="Answer corrected"
    ),
    "document_replaced": _(
        "request_history_document_replaced", default="Document replaced"
    ),
    # the antivirus (#21, requests/scanning.py)
    "document_quarantined": _(
        "request_history_document_quarantined",
        default="File refused by the antivirus",
    ),
    **{
        f"transition_{tid}": title
        for tid, title in {
            "ask_documents": _(
                "request_history_ask_documents",
                default="Missing documents or information asked",
            ),
            "resubmit": _("request_history_resubmit", default="Request completed"),
            "mark_complete": _(
                "request_history_mark_complete", default="Request complete"
            ),
            "accept": _("request_history_accept", default="Request accepted"),
            "reject": _("request_history_reject", default="Request refused"),
            "send": _("request_history_send", default="Document sent by post"),
            "close": _("request_history_close", default="Request closed"),
        }.items()
    },
}


def state(request_obj):
    """The request's review state: what ``api.content.get_state`` answers,
    without plone.api's check of its arguments (#22)."""
    return getToolByName(request_obj, "portal_workflow").getInfoFor(
        request_obj, "review_state"
    )


def state_title(review_state):
    return STATES.get(review_state, review_state)


def household_of(request_obj):
    parent = aq_parent(aq_inner(request_obj))
    return parent if IHousehold.providedBy(parent) else None


# history ---------------------------------------------------------------------


def agent_messages(request_obj):
    """The messages agents wrote to the citizen, oldest first (history
    entries)."""
    return [
        entry
        for entry in history.entries(request_obj)
        if entry["text"]
        and entry["action"].startswith("transition_")
        and entry["action"] != "transition_resubmit"
    ]


# transitions -----------------------------------------------------------------


def available(request_obj):
    """The transitions the current user may fire: ``[{"id", "title"}]``."""
    return [
        {"id": tid, "title": TRANSITIONS.get(tid, tid)}
        for tid in transitions.available_transitions(request_obj)
    ]


def fire(request_obj, transition_id, comment="", posted_on=None):
    """Fire a transition as the current user (raise TransitionRefused).

    ``posted_on`` is the date of posting of ``send`` (default: today).
    """
    if transition_id == "send":
        request_obj.posted_on = check_posted_on(request_obj, posted_on)
    transitions.fire(request_obj, transition_id, comment, UNAVAILABLE)


def today():
    return business_days.today()


def check_posted_on(request_obj, posted_on):
    """The date of posting: not before the submission, not in the future."""
    posted_on = posted_on or today()
    submitted = request_obj.submitted
    earliest = (
        submitted.astimezone(business_days.TIMEZONE).date() if submitted else None
    )
    if posted_on > today() or (earliest and posted_on < earliest):
        raise TransitionRefused(
            transitions.text(
                _(
                    "error_posted_on",
                    default="The date of posting must be between the "
                    "date of the request and today.",
                )
            ),
            request_obj.absolute_url(),
        )
    return posted_on


def is_late(request_obj, on=None):
    """Whether the request is « en retard » (``overdue``)."""
    return overdue(request_obj.due_date, state(request_obj), on)


def overdue(due_date, review_state, on=None):
    """Whether a request due on ``due_date`` still waits for the town
    (``review_state``) a working day after it, on ``on`` (today)."""
    return (
        bool(due_date)
        and review_state in WAITING_STATES
        and (business_days.is_overdue(due_date, 0, on or today()))
    )


def require_message(request_obj, event):
    """IBeforeTransitionEvent: some transitions need a message."""
    transition = event.transition
    if transition is None or transition.id not in MESSAGE_REQUIRED:
        return
    if not transitions.comment_of(event):
        raise TransitionRefused(
            transitions.text(MESSAGE_REQUIRED[transition.id]),
            request_obj.absolute_url(),
        )


def transition_done(request_obj, event):
    """IAfterTransitionEvent: history, catalog, email to the citizen."""
    transition = event.transition
    if transition is None:
        return
    comment = transitions.comment_of(event)
    if transition.id == "send" and request_obj.posted_on:
        note = mail._text(
            Message(
                POSTED_NOTE, mapping={"date": dates.format_date(request_obj.posted_on)}
            ),
            None,
        )
        comment = "\n".join(text for text in (comment, note) if text)
    history.record(
        request_obj, f"transition_{transition.id}", comment, state=event.new_state.id
    )
    request_obj.reindexObject(idxs=["review_state", "modified"])
    notify_citizen(request_obj, "status", comment, transition_id=transition.id)


# emails ----------------------------------------------------------------------


def recipient(request_obj):
    """The email address of the citizen who filed the request."""
    household = household_of(request_obj)
    if household is not None:
        return mail.user_email(household.holder_id)
    return getattr(request_obj, "requester_email", None)


def contact(request_obj):
    """How to reach the citizen, for the agents: preference, phones, email."""
    household = household_of(request_obj)
    if household is None:
        return {
            "preference": "email",
            "phone": request_obj.requester_phone or None,
            "mobile": None,
            "email": recipient(request_obj),
            "name": request_obj.requester_name,
        }
    return {
        "preference": household.contact_preference or "email",
        "phone": household.phone,
        "mobile": household.mobile,
        "email": recipient(request_obj),
        "name": request_obj.requester_name,
    }


def notify_citizen(request_obj, kind, comment="", code=None, transition_id=None):
    """Email the citizen: ``kind`` "submitted" (confirmation, with the
    tracking ``code`` of an account-less request) or "status" (after the
    transition ``transition_id``) — unless a package built on requests
    sends that email itself (an ``events.ICitizenEmails`` utility says so:
    official_documents attaches its documents to it)."""
    for sender in getAllUtilitiesRegisteredFor(ICitizenEmails):
        if sender.sends(request_obj, kind, transition_id):
            return
    send_to_citizen(request_obj, kind, comment, code)


def send_to_citizen(request_obj, kind, comment="", code=None, attachments=()):
    """Send the email ``kind`` of ``notify_citizen`` now (queued), with
    ``attachments`` (``mail.send``'s). False when the request has no email
    address or the site no MailHost."""
    address = recipient(request_obj)
    if not address:
        logger.warning("No email for request %s: not notified", request_obj.number)
        return False
    subject, body = email_text(request_obj, kind, comment, code)
    try:
        mail.send(address, subject, body, attachments=attachments)
    except ValueError as error:  # plone.api: "MailHost is not configured."
        logger.warning("Email about %s not sent: %s", request_obj.number, error)
        return False
    return True


def follow_url(request_obj):
    """Where the citizen follows the request: its page when they have an
    account, the public « Suivre ma demande » page otherwise."""
    if household_of(request_obj) is not None:
        return urls.public_url(request_obj)
    return urls.public_url(suffix=f"/@@suivre-ma-demande?numero={request_obj.number}")


def email_text(request_obj, kind, comment="", code=None):
    """(subject, body) messages of an email about the request."""
    status = mail._text(state_title(state(request_obj)), None)
    mapping = {
        "number": request_obj.number,
        "service": request_obj.service_title,
        "status": status,
        "code": code or "",
        "url": follow_url(request_obj),
        "comment": comment,
        "address": api.portal.get_registry_record(
            "illkirch.eservices.postal_address", default=""
        ),
    }
    if kind == "submitted":
        subject = Message(
            _(
                "mail_request_submitted_subject",
                default="Your request ${number} has been received",
            ),
            mapping=mapping,
        )
        if code:
            body = _(
                "mail_request_submitted_body_tracking",
                default="Hello,\n\nYour request “${service}” has been "
                "received under number ${number}.\n\nYour tracking code: "
                "${code}\n\nKeep this email: with the number and the code you "
                "follow your request at:\n${url}\n\nThe document will be "
                "sent to you by post.",
            )
        elif request_obj.by_post:
            body = _(
                "mail_request_submitted_body_by_post",
                default="Hello,\n\nYour request “${service}” has been "
                "received under number ${number}.\n\nYou chose to send "
                "documents by post. Write on the envelope the subject "
                "“${service}”, the number ${number} and your name, and send "
                "it to:\n${address}\n\nFollow your request at:\n${url}",
            )
        else:
            body = _(
                "mail_request_submitted_body",
                default="Hello,\n\nYour request “${service}” has been "
                "received under number ${number}.\n\nFollow your request "
                "at:\n${url}",
            )
        return subject, Message(body, mapping=mapping)
    subject = Message(
        _("mail_request_status_subject", default="Your request ${number}: ${status}"),
        mapping=mapping,
    )
    if comment:
        body = _(
            "mail_request_status_body_comment",
            default="Hello,\n\nYour request “${service}” number ${number} "
            "is now: ${status}.\n\nMessage from the town's services:\n"
            "${comment}\n\nSee your request at:\n${url}",
        )
    else:
        body = _(
            "mail_request_status_body",
            default="Hello,\n\nYour request “${service}” number ${number} "
            "is now: ${status}.\n\nSee your request at:\n${url}",
        )
    return subject, Message(body, mapping=mapping)


# listings --------------------------------------------------------------------


def household_requests(household, review_state=None):
    """Catalog brains of the household's requests, newest first (by number:
    the catalog's dates are only precise to the minute), from the
    household's own catalog entries."""
    brains = [
        brain
        for brain in households.own_brains(household, "Request")
        if not review_state or brain.review_state == review_state
    ]
    return sorted(brains, key=lambda brain: brain.request_number or "", reverse=True)

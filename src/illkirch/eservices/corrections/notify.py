"""The email to the agents once the citizen has sent a correction.

It goes to the request's assignee, else to the agents of the groups that
process it; an agent who asked for the daily digest (« Mes notifications »,
``requests.digest.wants``) is not emailed at once: the digest lists the
request under « Demandes complétées ». The email names the corrected
answers and documents, never their values (an email is not the place for
personal data), and links to the request (``urls.public_url``); it leaves
through the background queue (``mail.send``).
"""

from illkirch.eservices import _
from illkirch.eservices import mail
from illkirch.eservices import urls
from illkirch.eservices.requests import assignment
from illkirch.eservices.requests import digest
from illkirch.eservices.requests import documents
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import processing
from plone import api
from zope.globalrequest import getRequest
from zope.i18nmessageid import Message

import logging


logger = logging.getLogger(__name__)

SUBJECT = _(
    "mail_correction_subject",
    default="Request ${number} corrected by the citizen",
)
BODY = _(
    "mail_correction_body",
    default="Hello,\n\nThe citizen has corrected the request “${service}” "
    "number ${number}, as you asked. It is now: ${status}.\n\n"
    "Corrected: ${items}\n\nSee the request and the history of the "
    "changes at:\n${url}",
)


def recipients(request_obj):
    """The user ids to email: the assignee, else the agents of the
    request's groups; without those who asked for the digest."""
    if request_obj.assignee:
        userids = [request_obj.assignee]
    else:
        userids = sorted(
            {
                user.getId()
                for group_id in assignment.processor_groups(request_obj)
                for user in api.user.get_users(groupname=group_id)
            }
        )
    return [userid for userid in userids if not digest.wants(userid)]


def agents(request_obj, fields, document_ids):
    """Email the agents that the citizen corrected ``fields`` and
    ``document_ids`` (names only)."""
    service = documents.service_of(request_obj)
    request = getRequest()
    labels = (
        {n: forms.text(f.title, request) for n, f in forms.answer_fields(service)}
        if service is not None
        else {}
    )
    titles = {d.getId(): d.Title() for d in service.documents()} if service else {}
    items = [labels.get(n, n) for n in fields] + [
        titles.get(d, d) for d in document_ids
    ]
    mapping = {
        "number": request_obj.number,
        "service": request_obj.service_title,
        "status": mail._text(
            processing.state_title(processing.state(request_obj)), None
        ),
        "items": ", ".join(items),
        "url": urls.public_url(request_obj),
    }
    subject = Message(SUBJECT, mapping=mapping)
    body = Message(BODY, mapping=mapping)
    for userid in recipients(request_obj):
        address = mail.user_email(userid)
        if not address:
            logger.warning("No email for agent %s: not told of a correction", userid)
            continue
        try:
            mail.send(address, subject, body)
        except ValueError as error:  # plone.api: "MailHost is not configured."
            logger.warning("Email about %s not sent: %s", request_obj.number, error)

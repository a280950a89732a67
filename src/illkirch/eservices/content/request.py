"""Requests (demandes) filed by citizens, and their attached documents.

A Request lives inside the household that filed it, so that only that
household (and the agents of the service's group, through a local role)
can reach it. Every field is written by the portal only
(``requests/submission.py``); nobody changes them through forms or PATCH.
The workflow (``request_workflow``) holds the status.
"""

from datetime import UTC
from datetime import datetime
from illkirch.eservices import _
from illkirch.eservices.content.titles import DerivedTitle
from persistent import Persistent
from persistent.list import PersistentList
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.schema import JSONField
from plone.supermodel import model
from zope import schema
from zope.interface import implementer

import json
import secrets


WRITE = "cmf.ManagePortal"
ANSWERS_SCHEMA = json.dumps({"type": "array", "items": {"type": "object"}})


class IRequest(model.Schema):
    """A request filed to a service."""

    directives.omitted(
        "number",
        "service_uid",
        "service_title",
        "member_id",
        "member_name",
        "answers",
        "by_post",
        "submitted",
        "due_date",
        "assignee",
        "requester_name",
        "requester_email",
        "postal_delivery",
        "posted_on",
    )
    directives.write_permission(
        number=WRITE,
        service_uid=WRITE,
        service_title=WRITE,
        member_id=WRITE,
        member_name=WRITE,
        answers=WRITE,
        by_post=WRITE,
        submitted=WRITE,
        due_date=WRITE,
        assignee=WRITE,
        requester_name=WRITE,
        requester_email=WRITE,
        postal_delivery=WRITE,
        posted_on=WRITE,
    )

    number = schema.TextLine(
        title=_("label_request_number", default="Request number"),
        readonly=False,
        required=True,
    )
    service_uid = schema.ASCIILine(
        title=_("label_request_service", default="Service"), required=True
    )
    service_title = schema.TextLine(
        title=_("label_request_service_title", default="Service"), required=True
    )
    member_id = schema.ASCIILine(
        title=_("label_request_member_id", default="Member concerned (id)"),
        required=False,
    )
    member_name = schema.TextLine(
        title=_("label_request_member", default="Member concerned"), required=False
    )
    answers = JSONField(
        title=_("label_request_answers", default="Answers"),
        schema=ANSWERS_SCHEMA,
        default=[],
        required=False,
    )
    by_post = schema.Bool(
        title=_("label_request_by_post", default="Documents sent by post"),
        default=False,
        required=False,
    )
    submitted = schema.Datetime(
        title=_("label_request_submitted", default="Submitted on"), required=False
    )
    due_date = schema.Date(
        title=_("label_request_due_date", default="To be processed by"), required=False
    )
    assignee = schema.ASCIILine(
        title=_("label_request_assignee", default="Assigned to"), required=False
    )
    requester_name = schema.TextLine(
        title=_("label_request_requester", default="Requester"), required=False
    )
    requester_email = schema.TextLine(
        title=_("label_request_requester_email", default="Requester's email"),
        required=False,
    )
    postal_delivery = schema.Bool(
        title=_("label_request_postal_delivery", default="The result is sent by post"),
        default=False,
        required=False,
    )
    posted_on = schema.Date(
        title=_("label_request_posted_on", default="Posted on"), required=False
    )


class Attachment(Persistent):
    """A document attached to a request: its checked bytes and metadata."""

    def __init__(self, filename, content_type, file, document="", added_by=""):
        self.id = secrets.token_hex(8)
        self.filename = filename
        self.content_type = content_type
        self.file = file  # plone.namedfile NamedBlobFile
        self.size = file.getSize()
        self.document = document  # id of the SupportingDocument, or ""
        self.added = datetime.now(UTC).isoformat(timespec="seconds")
        self.added_by = added_by


@implementer(IRequest)
class Request(DerivedTitle, Item):
    """A request; ``attachments`` holds its documents."""

    number = ""
    service_uid = ""
    service_title = ""
    member_id = ""
    member_name = ""
    by_post = False
    submitted = None
    due_date = None
    assignee = ""
    requester_name = ""
    requester_email = ""
    requester_phone = ""
    postal_delivery = False
    posted_on = None
    # SHA-256 of the tracking code of an account-less request (never the code)
    tracking_digest = ""
    # the records of its documents refused by the antivirus (requests/
    # scanning.py), None before the first: found here, not by Dexterity's
    # __getattr__ and acquisition, which each listing's item paid (#22)
    quarantined = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attachments = PersistentList()
        self.answers = []

    def Title(self):
        return f"{self.service_title} n° {self.number}".strip()

    @property
    def request_number(self):
        """The number (the catalog's index and column have an indexer of
        that name, content/indexers.py)."""
        return self.number

    def attachment(self, attachment_id):
        for attachment in self.attachments:
            if attachment.id == attachment_id:
                return attachment
        return None

    def attachments_size(self):
        return sum(attachment.size for attachment in self.attachments)

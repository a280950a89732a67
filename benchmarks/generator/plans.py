"""What to write, computed from the seed alone before anything is written."""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime


# The account holder, in the plans (their user id is known once created).
HOLDER = "<holder>"


@dataclass
class PersonPlan:
    id: str
    uid: str
    member_type: str
    civility: str
    first_name: str
    last_name: str
    birth_date: date
    birth_place: str
    relationship: str
    email: str = ""
    phone: str = ""
    added: datetime = None  # None: declared at registration

    @property
    def title(self):
        return f"{self.first_name} {self.last_name}"


@dataclass
class RequestPlan:
    key: tuple  # sorts the requests of one moment
    service: object  # ServiceInfo
    submitted: datetime
    answers: dict
    member: PersonPlan = None
    by_post: bool = False
    steps: list = field(default_factory=list)  # [(transition, time, actor, comment)]
    assignee: str = ""
    assigned_at: datetime = None
    posted_on: date = None
    uid: str = ""
    code: str = ""  # clear tracking code (civil-status services)
    requester: dict = None  # account-less: {"name", "email", "phone"}
    number: str = ""  # given when the batch is written


@dataclass
class InvoicePlan:
    uid: str
    regie: str
    number: str
    domain: str
    member_name: str
    issue_date: date
    lines: list
    paid_on: datetime = None
    payment: str = ""  # id of the Payment that paid it


@dataclass
class PaymentPlan:
    id: str
    uid: str
    regie: str
    invoices: list
    created: datetime
    status: str
    reference: str = ""


@dataclass
class MessagePlan:
    time: datetime
    author: str  # a user id, or HOLDER
    side: str  # conversation.store.CITIZEN or AGENT
    text: str
    internal: bool = False


@dataclass
class ReadPlan:
    after: int  # position of the last message read
    time: datetime
    reader: str  # a user id, or HOLDER
    side: str


@dataclass
class ConversationPlan:
    request: tuple  # the key of the request (RequestPlan.key) it belongs to
    messages: list
    reads: list


@dataclass
class HouseholdPlan:
    index: int
    id: str
    uid: str
    registered: datetime
    validated: datetime
    agent: str
    comment: str
    address: dict
    persons: list
    billing_account: str
    requests: list = field(default_factory=list)
    invoices: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    conversation: ConversationPlan = None

    @property
    def holder(self):
        return self.persons[0]

"""The subscribers that keep the aggregates (``store.py``) as things
happen: a request filed, each of its transitions, its removal (retention,
a closed account), a message posted, a payment paid or failed, a household
registered and validated. ``rebuild.py`` computes the same facts from the
content, with the same functions (``request_facts``…), so that what is
counted as it happens and what a recount finds are one rule.

A request is counted under the service it was filed for from its
submission on (``COUNTED``: the service's UID kept on the request), so
that a request made by other means (a test, an import) is never
subtracted without having been added."""

from datetime import datetime
from illkirch.eservices import business_days
from illkirch.eservices.accounts import validation
from illkirch.eservices.billing.regies import get_regie
from illkirch.eservices.requests import processing
from illkirch.eservices.statistics import store

import logging


logger = logging.getLogger(__name__)

# The attribute of a counted request: the service UID it is counted under.
COUNTED = "_statistics_service"
DECISIONS = {"accept": "accepted", "reject": "rejected"}
PAYMENT_STATUSES = ("paid", "failed", "cancelled", "expired")


def local_day(value):
    """The Paris date of an aware datetime, or of its ISO text (a date is
    returned as is)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if hasattr(value, "astimezone"):
        return value.astimezone(business_days.TIMEZONE).date()
    return value


def filing_day(request_obj):
    return local_day(request_obj.submitted) if request_obj.submitted else None


def decision_fact(request_obj, transition_id, day, assignee=None):
    """The ``decided`` fact of a decision on ``day``."""
    filed = filing_day(request_obj) or day
    days = business_days.business_days_between(filed, day)
    due = request_obj.due_date
    within = 1 if (due is None or day <= due) else 0
    return (
        store.DECIDED,
        request_obj.service_uid or "",
        assignee if assignee is not None else (request_obj.assignee or ""),
        DECISIONS[transition_id],
        days,
        within,
    )


def payment_facts(payment):
    """The two facts (count, cents) of a payment that ended, by its
    régie's backend."""
    regie = get_regie(payment.regie) if payment.regie else None
    backend = getattr(regie, "backend", "") or ""
    key = (payment.regie or "", backend, payment.status)
    return (store.PAYMENT, *key), (store.PAYMENT_CENTS, *key)


def validation_days(household, day):
    return business_days.business_days_between(validation.created(household), day)


# subscribers ------------------------------------------------------------------


def request_submitted(event):
    """IRequestSubmitted: one more request filed, in its first status."""
    request_obj = event.object
    service_uid = request_obj.service_uid or ""
    setattr(request_obj, COUNTED, service_uid)
    store.move_status(service_uid, None, processing.state(request_obj))
    store.add(
        filing_day(request_obj) or business_days.today(), (store.FILED, service_uid)
    )


def request_transition(request_obj, event):
    """IAfterTransitionEvent of a request: its status moves; a decision
    is counted with its processing time."""
    transition = event.transition
    service_uid = getattr(request_obj, COUNTED, None)
    if transition is None or service_uid is None:
        return
    store.move_status(service_uid, event.old_state.id, event.new_state.id)
    today = business_days.today()
    store.add(today, (store.TRANSITION, service_uid, transition.id))
    if transition.id in DECISIONS:
        store.add(today, decision_fact(request_obj, transition.id, today))


def request_removed(request_obj, event):
    """IObjectRemovedEvent of a request: it leaves the status counts (what
    happened to it stays in the days' facts)."""
    service_uid = getattr(request_obj, COUNTED, None)
    if service_uid is None:
        return
    store.move_status(service_uid, processing.state(request_obj), None)


def message_posted(event):
    """IMessagePosted: a message of the citizen, an agent, or a note."""
    request_obj, message = event.object, event.message
    side = "internal" if message.internal else message.side
    store.add(
        local_day(message.time),
        (store.MESSAGE, request_obj.service_uid or "", side),
    )


def payment_ended(payment, event):
    """IPaymentPaid and IPaymentClosed: a payment paid or failed."""
    if payment.status not in PAYMENT_STATUSES:
        return
    count, cents = payment_facts(payment)
    day = business_days.today()
    store.add(day, count)
    store.add(day, cents, int(payment.amount_cents or 0))


def household_added(household, event):
    """IObjectAddedEvent of a household: an account registered."""
    store.add(local_day(validation.created(household)), (store.ACCOUNT, "created"))


def household_transition(household, event):
    """IAfterTransitionEvent of a household: its first validation."""
    transition = event.transition
    if transition is None or transition.id != "validate":
        return
    if event.old_state.id != "pending":
        return
    today = business_days.today()
    store.add(today, (store.ACCOUNT, "validated", validation_days(household, today)))

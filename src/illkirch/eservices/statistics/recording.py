"""The subscribers that keep the aggregates (``store.py``) as things
happen: a request filed, each of its transitions, its removal (retention,
a closed account), a message posted, a payment paid or failed, a household
registered and validated. ``rebuild.py`` computes the same facts from the
content, with the same functions (``filed_fact``, ``transition_fact``,
``message_fact``…), so that what is counted as it happens and what a
recount finds are one rule.

Each fact's day is read from what the content keeps, never from the clock
alone: a transition's from the history entry ``processing.transition_done``
wrote just before (its subscriber is registered first, requests/
configure.zcml being included before statistics/configure.zcml), a
message's from its time, a payment's from its ``updated_at``. What cannot
be found again later (the assignee of a decision, the backend of a
payment's régie, a household's first validation) is kept on the object as
it was counted (``DECIDED``, ``ENDED``, ``VALIDATED``, ``REGISTERED``) and
``rebuild`` reuses it; objects counted before these attributes existed are
recounted from their history.

A request is counted under the service it was filed for from its
submission on (``COUNTED``: the service's UID kept on the request), so
that a request made by other means (a test, an import) is never
subtracted without having been added; ``rebuild`` counts every request and
marks it."""

from Acquisition import aq_base
from datetime import date
from datetime import datetime
from illkirch.eservices import business_days
from illkirch.eservices import history
from illkirch.eservices.accounts import validation
from illkirch.eservices.billing.regies import get_regie
from illkirch.eservices.requests import processing
from illkirch.eservices.statistics import store

import logging


logger = logging.getLogger(__name__)

# The attribute of a counted request: the service UID it is counted under.
COUNTED = "_statistics_service"
# A request's decision as counted: ``(day ordinal, decided fact)``.
DECIDED = "_statistics_decided"
# A payment's ends as counted: ``((day ordinal, count fact, cents fact,
# cents), ...)`` (an expired payment may be paid late: two ends).
ENDED = "_statistics_ended"
# A household's registration and first validation as counted:
# ``(day ordinal, fact)``.
REGISTERED = "_statistics_registered"
VALIDATED = "_statistics_validated"
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


def kept(obj, name):
    """An attribute of ``obj`` itself (never acquired), or None."""
    return getattr(aq_base(obj), name, None)


def filing_day(request_obj):
    return local_day(request_obj.submitted) if request_obj.submitted else None


def counted_service(request_obj):
    """The service UID a request is counted under: the one kept at its
    filing (or by a rebuild), else its service's."""
    service_uid = kept(request_obj, COUNTED)
    if service_uid is None:
        service_uid = request_obj.service_uid or ""
    return service_uid


# the facts, for the subscribers and rebuild.py ---------------------------------


def filed_fact(request_obj):
    """``(day, fact)`` of a request's filing (None: never filed)."""
    day = filing_day(request_obj)
    if day is None:
        return None
    return day, (store.FILED, counted_service(request_obj))


def transition_fact(request_obj, transition_id, day):
    return day, (store.TRANSITION, counted_service(request_obj), transition_id)


def decision_fact(request_obj, transition_id, day, assignee=None):
    """The ``decided`` fact of a decision on ``day``."""
    filed = filing_day(request_obj) or day
    days = business_days.business_days_between(filed, day)
    due = request_obj.due_date
    within = 1 if (due is None or day <= due) else 0
    return (
        store.DECIDED,
        counted_service(request_obj),
        assignee if assignee is not None else (request_obj.assignee or ""),
        DECISIONS[transition_id],
        days,
        within,
    )


def transitions_in_history(obj):
    """``[(index, transition_id, day)]`` of the transitions kept in the
    history of ``obj`` (``index``: the entry's)."""
    found = []
    for index, entry in enumerate(history.entries(obj)):
        action = entry["action"]
        if action.startswith("transition_") and entry["time"]:
            found.append(
                (index, action[len("transition_") :], local_day(entry["time"]))
            )
    return found


def last_transition_day(obj, transition_id):
    """The day of the history entry of ``transition_id`` just written by
    the domain's own subscriber (today when there is none)."""
    entries = history.entries(obj)
    if entries and entries[-1]["action"] == f"transition_{transition_id}":
        return local_day(entries[-1]["time"])
    logger.warning("No history entry of %s on %r", transition_id, obj)
    return business_days.today()


def message_fact(request_obj, message):
    """``(day, fact)`` of a message (or internal note) posted."""
    side = "internal" if message.internal else message.side
    return local_day(message.time), (store.MESSAGE, counted_service(request_obj), side)


def payment_day(payment):
    when = payment.updated_at or validation.created(payment)
    return local_day(when)


def payment_end(payment):
    """``(day ordinal, count fact, cents fact, cents)`` of a payment that
    ended now, by its régie's backend."""
    regie = get_regie(payment.regie) if payment.regie else None
    backend = getattr(regie, "backend", "") or ""
    key = (payment.regie or "", backend, payment.status)
    return (
        payment_day(payment).toordinal(),
        (store.PAYMENT, *key),
        (store.PAYMENT_CENTS, *key),
        int(payment.amount_cents or 0),
    )


def payment_ends(payment):
    """The ends of a payment counted (kept), or the one its status says."""
    ends = kept(payment, ENDED)
    if ends is not None:
        return ends
    if payment.status in PAYMENT_STATUSES:
        return (payment_end(payment),)
    return ()


def decision(request_obj):
    """The record ``(day ordinal, decided fact)`` of a request's decision:
    kept, or found in its history (the assignee then is the request's
    now); None when not decided."""
    record = kept(request_obj, DECIDED)
    if record is not None:
        return record
    for _index, transition_id, day in transitions_in_history(request_obj):
        if transition_id in DECISIONS:
            return day.toordinal(), decision_fact(request_obj, transition_id, day)
    return None


def registered(household):
    """The record of a household's registration: kept, or its creation."""
    return kept(household, REGISTERED) or registration(household)


def registration(household):
    """``(day ordinal, fact)`` of a household's registration."""
    day = local_day(validation.created(household))
    return day.toordinal(), (store.ACCOUNT, "created")


def validation_days(household, day):
    return business_days.business_days_between(validation.created(household), day)


def validation_record(household, day):
    return day.toordinal(), (
        store.ACCOUNT,
        "validated",
        validation_days(household, day),
    )


def first_validation(household):
    """The record of a household's first validation: kept, or found in its
    history (a ``validate`` out of « pending »); None when never validated."""
    record = kept(household, VALIDATED)
    if record is not None:
        return record
    entries = history.entries(household)
    for index, _transition, day in (
        (i, t, d) for i, t, d in transitions_in_history(household) if t == "validate"
    ):
        before = entries[index - 1]["state"] if index else ""
        if before in ("", "pending"):
            return validation_record(household, day)
    return None


def record_day(record):
    """``(day, fact)`` of a kept ``(day ordinal, fact)``."""
    ordinal, fact = record
    return date.fromordinal(ordinal), fact


def _add_record(record, delta=1):
    store.add(*record_day(record), delta)


# subscribers ------------------------------------------------------------------


def request_submitted(event):
    """IRequestSubmitted: one more request filed, in its first status."""
    request_obj = event.object
    setattr(request_obj, COUNTED, request_obj.service_uid or "")
    store.move_status(counted_service(request_obj), None, processing.state(request_obj))
    filed = filed_fact(request_obj)
    if filed is not None:
        store.add(*filed)


def request_transition(request_obj, event):
    """IAfterTransitionEvent of a request: its status moves; a decision
    is counted with its processing time, and kept on the request."""
    transition = event.transition
    if transition is None or kept(request_obj, COUNTED) is None:
        return
    service_uid = counted_service(request_obj)
    store.move_status(service_uid, event.old_state.id, event.new_state.id)
    day = last_transition_day(request_obj, transition.id)
    store.add(*transition_fact(request_obj, transition.id, day))
    if transition.id in DECISIONS:
        record = (day.toordinal(), decision_fact(request_obj, transition.id, day))
        setattr(request_obj, DECIDED, record)
        _add_record(record)


def request_removed(request_obj, event):
    """IObjectRemovedEvent of a request: it leaves the status counts (what
    happened to it stays in the days' facts)."""
    if kept(request_obj, COUNTED) is None:
        return
    store.move_status(counted_service(request_obj), processing.state(request_obj), None)


def message_posted(event):
    """IMessagePosted: a message of the citizen, an agent, or a note."""
    store.add(*message_fact(event.object, event.message))


def payment_ended(payment, event):
    """IPaymentPaid and IPaymentClosed: a payment paid or failed (its end
    kept on it)."""
    if payment.status not in PAYMENT_STATUSES:
        return
    end = payment_end(payment)
    setattr(payment, ENDED, (kept(payment, ENDED) or ()) + (end,))
    ordinal, count, cents, amount = end
    _add_record((ordinal, count))
    _add_record((ordinal, cents), amount)


def household_added(household, event):
    """IObjectAddedEvent of a household: an account registered."""
    record = registration(household)
    setattr(household, REGISTERED, record)
    _add_record(record)


def household_transition(household, event):
    """IAfterTransitionEvent of a household: its first validation."""
    transition = event.transition
    if transition is None or transition.id != "validate":
        return
    if event.old_state.id != "pending" or kept(household, VALIDATED) is not None:
        return
    record = validation_record(household, last_transition_day(household, "validate"))
    setattr(household, VALIDATED, record)
    _add_record(record)

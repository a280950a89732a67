"""Validation of citizen accounts by the town's agents.

A new account's household waits in the state « pending » until an agent
validates it (and links it to the billing software with its billing account
number) or rejects it. A validated household may be suspended, then validated
again (reactivated). This module holds the rules of these decisions:

- the queue: the pending households, oldest first, with a search over the
  holder's name, email and identifier, and how long each has been waiting in
  working days (late after ``VALIDATION_DELAY_DAYS``);
- the decisions taken by the agents' page (``validate``, ``reject``,
  ``suspend``), which the REST API takes through plone.restapi's standard
  ``@workflow`` endpoint;
- two subscribers of the household workflow, so that every way of firing a
  transition (page, REST, Plone's state menu) follows the same rules:
  ``require_reason`` refuses a rejection or a suspension without a reason,
  ``transition_done`` records the transition in the household's history and
  emails the account holder.

The callers check who may see the queue (permission « Review accounts »); the
workflow's guards check who may decide.
"""

from datetime import UTC
from datetime import datetime
from illkirch.eservices import _
from illkirch.eservices import business_days
from illkirch.eservices import history
from illkirch.eservices import mail
from illkirch.eservices import transitions
from illkirch.eservices import urls
from illkirch.eservices.accounts import households
from illkirch.eservices.content.household import IHousehold
from illkirch.eservices.folding import fold
from illkirch.eservices.transitions import ITransitionRefused  # noqa: F401
from illkirch.eservices.transitions import TransitionRefused
from plone import api
from zope.schema import ValidationError
from ZTUtils.Lazy import LazyMap

import logging
import transaction


logger = logging.getLogger(__name__)

# Working days the town gives itself to validate an account.
VALIDATION_DELAY_DAYS = 2
STATES = ("pending", "validated", "rejected", "suspended", "closed")
# Transitions that need a reason, sent to the citizen.
REASON_REQUIRED = ("reject", "suspend")


_text = transitions.text


# the queue ------------------------------------------------------------------


def households_in_state(review_state="pending", search_text=None):
    """The households in ``review_state``, oldest first (creation date).

    ``search_text`` keeps those whose holder's name, email or identifier
    contains every word of it, ignoring case and accents. Without it the
    result is lazy: a batch of it loads only its own households.
    Unrestricted: the callers check the permission « Review accounts ».
    """
    if review_state not in STATES:
        raise ValueError(f"Unknown household state: {review_state!r}")
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="Household",
        review_state=review_state,
        sort_on="created",
        sort_order="ascending",
    )
    result = LazyMap(lambda brain: brain._unrestrictedGetObject(), brains)
    words = fold(search_text or "").split()
    if words:
        result = [h for h in result if _matches(h, words)]
    return result


def pending_households(search_text=None):
    """The households awaiting validation, oldest first."""
    return households_in_state("pending", search_text)


def _matches(household, words):
    holder = holder_info(household)
    haystack = fold(
        " ".join(
            value or ""
            for value in (
                holder["fullname"],
                household.Title(),
                holder["email"],
                holder["identifier"],
                holder["holder_id"],
            )
        )
    )
    return all(word in haystack for word in words)


def holder_info(household):
    """``holder_id``, ``identifier`` (login name), ``fullname`` and ``email``
    of the household's account holder."""
    holder_id = household.holder_id
    user = api.user.get(userid=holder_id) if holder_id else None
    # The name the household records, not the account's editable "fullname".
    person = household.holder()
    fullname = (person.Title() if person is not None else "") or household.Title()
    return {
        "holder_id": holder_id,
        "identifier": user.getUserName() if user is not None else holder_id,
        "fullname": fullname,
        "email": (user.getProperty("email") if user is not None else "") or "",
    }


def get_household(uid):
    """The household of that UID (any state), or None."""
    if not uid:
        return None
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Household", UID=uid):
        return brain._unrestrictedGetObject()
    return None


# waiting time ---------------------------------------------------------------


def created(household):
    """The creation date of the household (timezone-aware datetime, UTC).

    From the timestamp: ``DateTime.asdatetime()`` gives a wrong offset (local
    mean time, +00:09 for Paris) to a DateTime with a named time zone.
    """
    return datetime.fromtimestamp(household.created().timeTime(), tz=UTC)


def waiting_business_days(household, today=None):
    """Working days the household has waited since its creation (the day of
    creation not counted, ``today`` counted); None once it is no longer
    pending."""
    if households.state(household) != "pending":
        return None
    return business_days.business_days_between(
        created(household), today or business_days.today()
    )


def is_late(household, today=None):
    """Whether a pending household has waited more than the delay."""
    return households.state(household) == "pending" and business_days.is_overdue(
        created(household), VALIDATION_DELAY_DAYS, today or business_days.today()
    )


# decisions ------------------------------------------------------------------


available_transitions = transitions.available_transitions


TRANSITION_UNAVAILABLE = _(
    "error_transition_unavailable",
    default="This action is not possible on this account in its current state: "
    "it may have been processed already.",
)


def fire(household, transition_id, comment=""):
    """Fire ``transition_id`` as the current user.

    Raises TransitionRefused (French message) when the transition is not
    available to them in the household's state, or when a reason is missing.
    """
    transitions.fire(household, transition_id, comment, TRANSITION_UNAVAILABLE)


def check_billing_account(value):
    """The billing account number cleaned, or raise HouseholdError."""
    value = (value or "").strip()
    try:
        IHousehold["billing_account"].validate(value or None)
    except ValidationError:
        raise households.HouseholdError(
            _(
                "error_billing_account_invalid",
                default="The billing account number has at most 40 characters.",
            ),
            "billing_account",
        ) from None
    return value


def validate(household, billing_account=None, comment=""):
    """Validate (or reactivate) the household, after setting its billing
    account number when one is given (as the current user, an agent)."""
    billing_account = check_billing_account(billing_account)
    if "validate" not in available_transitions(household):
        raise TransitionRefused(_text(TRANSITION_UNAVAILABLE), household.absolute_url())
    savepoint = transaction.savepoint()
    try:
        if billing_account:
            households.update_household(household, {"billing_account": billing_account})
        fire(household, "validate", comment)
    except Exception:
        savepoint.rollback()
        raise


def reject(household, reason):
    """Reject the account; ``reason`` is required and sent to the citizen."""
    fire(household, "reject", reason)


def suspend(household, reason):
    """Suspend the account; ``reason`` is required and sent to the citizen."""
    fire(household, "suspend", reason)


# subscribers ------------------------------------------------------------------


def require_reason(household, event):
    """IBeforeTransitionEvent: no rejection or suspension without a reason."""
    transition = event.transition
    if transition is None or transition.id not in REASON_REQUIRED:
        return
    comment = transitions.comment_of(event)
    if comment:
        return
    if transition.id == "reject":
        message = _(
            "error_reason_required_reject",
            default="Please give the reason for refusing this account: "
            "it is sent to the citizen.",
        )
    else:
        message = _(
            "error_reason_required_suspend",
            default="Please give the reason for suspending this account: "
            "it is sent to the citizen.",
        )
    raise TransitionRefused(_text(message), household.absolute_url())


def transition_done(household, event):
    """IAfterTransitionEvent: history, then the email to the account holder."""
    transition = event.transition
    if transition is None or transition.id not in ("validate", "reject", "suspend"):
        return
    comment = transitions.comment_of(event)
    history.record(household, f"transition_{transition.id}", comment)
    kind = transition.id
    if (
        kind == "validate"
        and event.old_state is not None
        and event.old_state.id == "suspended"
    ):
        kind = "reactivate"
    notify_holder(household, kind, comment)


# emails ---------------------------------------------------------------------


def _my_space_url():
    return urls.public_url(suffix="/@@mon-espace")


def _contact():
    return (
        api.portal.get_registry_record("illkirch.eservices.contact_email", default="")
        or mail.town_name()
    )


def holder_email(household, kind, comment=""):
    """``(subject, paragraphs)`` of the email for ``kind`` (validate,
    reactivate, reject, suspend): i18n Messages."""
    holder = holder_info(household)
    greeting = _(
        "mail_greeting",
        default="Hello ${fullname},",
        mapping={"fullname": holder["fullname"]},
    )
    url = _my_space_url()
    contact = _(
        "mail_contact",
        default="For any question, contact the town: ${contact}.",
        mapping={"contact": _contact()},
    )
    agent_comment = _(
        "mail_agent_comment",
        default="Message from the town: ${comment}",
        mapping={"comment": comment},
    )
    if kind == "validate":
        subject = _("mail_validated_subject", default="Your account is validated")
        paragraphs = [
            greeting,
            _(
                "mail_validated_intro",
                default="The town has validated your account on the citizen portal. "
                "You can now change your account and your household in « My space »: "
                "${url}",
                mapping={"url": url},
            ),
        ]
        if household.billing_account:
            paragraphs.append(
                _(
                    "mail_validated_billing",
                    default="Your household is linked to the town's billing under the "
                    "account number ${billing_account}: your invoices will appear in "
                    "the « My accounts » tab of « My space ».",
                    mapping={"billing_account": household.billing_account},
                )
            )
        else:
            paragraphs.append(
                _(
                    "mail_validated_no_billing",
                    default="Your invoices will appear in the « My accounts » tab of "
                    "« My space » once the town has linked your household to its "
                    "billing.",
                )
            )
        if comment:
            paragraphs.append(agent_comment)
    elif kind == "reactivate":
        subject = _("mail_reactivated_subject", default="Your account is active again")
        paragraphs = [
            greeting,
            _(
                "mail_reactivated_intro",
                default="The town has reactivated your account on the citizen portal. "
                "You can again use « My space » and change your account: ${url}",
                mapping={"url": url},
            ),
        ]
        if comment:
            paragraphs.append(agent_comment)
    elif kind == "reject":
        subject = _("mail_rejected_subject", default="Your account request is refused")
        paragraphs = [
            greeting,
            _(
                "mail_rejected_intro",
                default="The town has refused your account on the citizen portal.",
            ),
            _("mail_reason", default="Reason: ${reason}", mapping={"reason": comment}),
            _(
                "mail_rejected_next",
                default="You may create a new account with corrected details.",
            ),
            contact,
        ]
    elif kind == "suspend":
        subject = _("mail_suspended_subject", default="Your account is suspended")
        paragraphs = [
            greeting,
            _(
                "mail_suspended_intro",
                default="The town has suspended your account on the citizen portal: "
                "you can no longer change your account or your household until the "
                "town reactivates it.",
            ),
            _("mail_reason", default="Reason: ${reason}", mapping={"reason": comment}),
            contact,
        ]
    else:
        raise ValueError(f"Unknown email kind: {kind!r}")
    return subject, paragraphs


def notify_holder(household, kind, comment=""):
    """Email the account holder about the decision ``kind``.

    The email leaves when the transaction commits. A site whose MailHost is
    not configured, or a holder without email, logs a warning instead of
    refusing the agent's decision.
    """
    recipient = mail.user_email(household.holder_id)
    if not recipient:
        logger.warning(
            "No email for %s: %s of %s not notified",
            household.holder_id,
            kind,
            household.absolute_url(),
        )
        return
    subject, paragraphs = holder_email(household, kind, comment)
    try:
        # mail translates into the site's language, with or without a request
        mail.send(recipient, subject, paragraphs)
    except ValueError as error:  # plone.api: "MailHost is not configured."
        logger.warning("Email to %s about %s not sent: %s", recipient, kind, error)

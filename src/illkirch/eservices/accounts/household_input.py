"""Reading what a citizen sends about their household (REST and forms alike).

- reading what a citizen sends (JSON values or form strings) with the schema
  fields of IHousehold and IPerson, into stored values and French errors;
- the French message telling why a household cannot be changed yet, and
  what « Mon espace » tells of an account the town has not validated;
- the look-up of a member in the current user's own household.

The rules themselves (who may change what, the consistency of the members,
the history) stay in ``accounts.households``; the field checks are those of
the registration (``accounts.registration``), so that a household is checked
alike when it is created and when it is changed.
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.households import HOUSEHOLD_FIELDS
from illkirch.eservices.accounts.households import PERSON_FIELDS
from illkirch.eservices.accounts.registration import EMAIL_RE
from illkirch.eservices.accounts.registration import check_fields
from illkirch.eservices.accounts.registration import parse_date
from illkirch.eservices.accounts.registration import validate_step
from illkirch.eservices.content import validators
from illkirch.eservices.content.household import IHousehold
from illkirch.eservices.content.household import IPerson
from illkirch.eservices.messages import INVALID_EMAIL
from plone import api
from zope import schema


# what a client may send; the domain decides who may change each of them
HOUSEHOLD_INPUT = (*HOUSEHOLD_FIELDS, "billing_account")
PERSON_INPUT = PERSON_FIELDS

STATE_TITLES = {
    "pending": _("state_pending", default="Awaiting validation"),
    "validated": _("state_validated", default="Validated"),
    "rejected": _("state_rejected", default="Refused"),
    "suspended": _("state_suspended", default="Suspended"),
    "closed": _("state_closed", default="Closed"),
}

INVALID = _("error_invalid", default="This value is not valid.")
UNKNOWN_FIELD = _(
    "error_unknown_field", default="This field does not exist: it cannot be sent."
)
NO_HOUSEHOLD = _(
    "account_no_household",
    default="This account has no household: the household details "
    "are those of the citizens' accounts.",
)
NO_MEMBER = _("error_no_member", default="This member is not in your household.")


def contact_email():
    return api.portal.get_registry_record(
        "illkirch.eservices.contact_email", default="accueil@illkirch.example"
    )


def locked_message(household):
    """Why the citizen cannot change ``household`` (its state is not validated)."""
    state = households.state(household)
    mapping = {"email": contact_email()}
    if state == "rejected":
        return _(
            "household_locked_rejected",
            default="The town has refused your account: it cannot be "
            "changed. To know why, write to ${email}.",
            mapping=mapping,
        )
    if state == "suspended":
        return _(
            "household_locked_suspended",
            default="The town has suspended your account: it cannot be "
            "changed for now. To know why, write to ${email}.",
            mapping=mapping,
        )
    if state == "pending":
        return _(
            "household_locked_pending",
            default="Your account awaits validation: the town's services "
            "check every new account, usually within 2 business days, and "
            "an email will tell you when it is validated. Until then your "
            "household cannot be changed, but you can already file online "
            "requests.",
        )
    return _(
        "household_locked_other",
        default="Your account cannot be changed. To know why, write to ${email}.",
        mapping=mapping,
    )


ACCOUNT_TITLES = {
    "pending": _("status_pending", default="Your account awaits validation"),
    "rejected": _("status_rejected", default="Your account has been refused"),
    "suspended": _("status_suspended", default="Your account is suspended"),
}


def account_notice(household):
    """What the citizen is told of their account on « Mon espace » until
    the town validates it (what happens next, what they may already do):
    ``{"state", "state_title", "title", "message"}``; None once validated."""
    if household is None or households.is_editable_by_citizen(household):
        return None
    state = households.state(household)
    return {
        "state": state,
        "state_title": STATE_TITLES.get(state, state),
        "title": ACCOUNT_TITLES.get(
            state,
            _("status_locked", default="Your account cannot be changed"),
        ),
        "message": locked_message(household),
    }


def member_of(household, member_id):
    """The member ``member_id`` of ``household`` (never of another one), or None."""
    if not isinstance(member_id, str) or not member_id:
        return None
    person = household.get(member_id)
    return person if IPerson.providedBy(person) else None


# reading input ---------------------------------------------------------------


def _stored(field, value):
    """A checked input value as it is stored: trimmed, None when empty, dates
    as dates, telephone numbers as ``03 88 66 80 00``."""
    value = value.strip() if isinstance(value, str) else value
    if value in (None, ""):
        return None
    if isinstance(field, schema.Date):
        return parse_date(value)
    if getattr(field, "constraint", None) is validators.french_phone:
        return validators.normalize_phone(value)
    return value


def _as_text(value):
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _precheck(data, allowed):
    """Unknown names and values that are neither text nor null (JSON)."""
    errors = {}
    for name, value in data.items():
        if name not in allowed:
            errors[name] = UNKNOWN_FIELD
        elif value is not None and not isinstance(value, str):
            errors[name] = INVALID
    return errors


def read_household(data, household):
    """Check the household fields sent in ``data`` (all of them or some).

    The fields not sent keep the values of ``household`` for the checks that
    join several fields (a telephone number to be contacted by telephone).
    Returns ``(values, errors)``: the values to store, the French message of
    each field in error.
    """
    errors = _precheck(data, HOUSEHOLD_INPUT)
    address = {
        name: _as_text(getattr(household, name, None)) for name in HOUSEHOLD_FIELDS
    }
    address.update(
        {
            name: value
            for name, value in data.items()
            if name in HOUSEHOLD_FIELDS and name not in errors
        }
    )
    for name, message in validate_step("address", address).items():
        errors.setdefault(name, message)
    if "billing_account" in data and "billing_account" not in errors:
        errors.update(check_fields(IHousehold, ("billing_account",), data))
    values = {
        name: _stored(IHousehold[name], value)
        for name, value in data.items()
        if name not in errors
    }
    return values, errors


def read_person(data, partial=False, names=PERSON_INPUT):
    """Check the member fields of ``data``: all of ``names`` (a new member,
    a whole form) or, when ``partial``, those sent (PATCH).

    Returns ``(values, errors)`` like ``read_household``.
    """
    errors = _precheck(data, names)
    wanted = [
        name for name in names if name not in errors and (name in data or not partial)
    ]
    errors.update(check_fields(IPerson, wanted, data))
    email = data.get("email")
    if "email" not in errors and isinstance(email, str) and email.strip():
        if not EMAIL_RE.match(email.strip()):
            errors["email"] = INVALID_EMAIL
    values = {
        name: _stored(IPerson[name], data.get(name))
        for name in wanted
        if name not in errors
    }
    return values, errors


def domain_errors(error):
    """The errors of a HouseholdError: ``{field: message}`` or ``{}``."""
    return {error.field: error.message} if error.field else {}

"""Who files an account-less request (civil-status acts): their name, email
and phone when they have no household, checked like the rest of the
submission; the captcha that protects these forms from programs."""

from illkirch.eservices import _
from illkirch.eservices import mail
from illkirch.eservices.accounts import registration
from illkirch.eservices.content.validators import InvalidValue
from illkirch.eservices.content.validators import email_address
from illkirch.eservices.content.validators import person_name

import re


FIELDS = ("first_name", "last_name", "email", "phone")
REQUIRED = _("error_answer_required", default="This answer is required.")
PHONE = _(
    "error_requester_phone",
    default="Enter a phone number with digits only (spaces, dots, dashes "
    "and a leading + are allowed).",
)
CAPTCHA_ERROR = registration.captcha_error()
_PHONE = re.compile(r"^\+?[0-9 .\-]{6,20}$")
LABELS = {
    "first_name": _("label_first_name", default="First name"),
    "last_name": _("label_last_name", default="Last name"),
    "email": _("label_email", default="Email address"),
    "phone": _("label_requester_phone", default="Telephone (optional)"),
}


def check(data):
    """``(identity, errors)``: the cleaned ``{"name", "first_name",
    "last_name", "email", "phone"}`` and field name → message (keys
    ``requester.<field>``)."""
    data = data if isinstance(data, dict) else {}
    values = {name: data.get(name) for name in FIELDS}
    errors = {}
    for name in FIELDS:
        value = values[name]
        if value is not None and not isinstance(value, str):
            value = ""
        value = (value or "").strip()
        values[name] = value
        if not value:
            if name != "phone":
                errors[f"requester.{name}"] = REQUIRED
            continue
        try:
            if name in ("first_name", "last_name"):
                person_name(value)
                if len(value) > 60:
                    raise InvalidValue(
                        _(
                            "error_answer_too_long",
                            default="At most ${max} characters.",
                            mapping={"max": 60},
                        )
                    )
            elif name == "email":
                email_address(value)
            elif not _PHONE.match(value):
                raise InvalidValue(PHONE)
        except InvalidValue as error:
            errors[f"requester.{name}"] = error.doc()
    values["name"] = f"{values['first_name']} {values['last_name']}".strip()
    return values, errors


def captcha_is_right(captcha):
    captcha = captcha if isinstance(captcha, dict) else {}
    return registration.captcha_is_right(captcha.get("token"), captcha.get("answer"))


def use_captcha(captcha):
    registration.use_captcha(captcha["token"])


def set_requester(request_obj, household, identity):
    """Who to write to about the request: the account holder of the
    household, or the requester who gave their identity."""
    if household is not None:
        # The holder's name as the household records it, never the account's
        # "fullname", which Plone once let its owner write freely.
        holder = household.holder()
        request_obj.requester_name = (
            holder.Title() if holder is not None else ""
        ) or household.Title()
        request_obj.requester_email = mail.user_email(household.holder_id) or ""
        return
    identity = identity or {}
    request_obj.requester_name = identity.get("name", "")
    request_obj.requester_email = identity.get("email", "")
    request_obj.requester_phone = identity.get("phone", "")

"""Field constraints shared by the content schemas (French formats)."""

from datetime import date
from illkirch.eservices import _
from illkirch.eservices.messages import INVALID_EMAIL
from zope.schema import ValidationError

import re


class InvalidValue(ValidationError):
    """A value refused by one of these constraints; its message is French."""

    def doc(self):
        return self.args[0]


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
POSTAL_CODE_RE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-8])\d{3}$")
# French numbers: 10 digits starting with 0, or +33 and 9 digits; spaces, dots
# and dashes between digit pairs are accepted and normalised away.
PHONE_RE = re.compile(r"^(?:0|\+33 ?|0033 ?)[1-9](?:[ .\-]?\d{2}){4}$")
NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '’\-][^\W\d_]+)*$")


def french_postal_code(value):
    if not POSTAL_CODE_RE.match(value or ""):
        raise InvalidValue(
            _(
                "error_postal_code",
                default="Enter a French postal code of 5 digits, e.g. 67400.",
            )
        )
    return True


def normalize_phone(value):
    """``0612345678``, ``+33 6 12 34 56 78`` … → ``06 12 34 56 78``."""
    digits = re.sub(r"\D", "", value)
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and value.strip().startswith("+"):
        digits = "0" + digits[2:]
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def french_phone(value):
    if not PHONE_RE.match((value or "").strip()):
        raise InvalidValue(
            _(
                "error_phone",
                default="Enter a French phone number of 10 digits, "
                "e.g. 03 88 66 80 00.",
            )
        )
    return True


def person_name(value):
    if not NAME_RE.match((value or "").strip()):
        raise InvalidValue(
            _(
                "error_name",
                default="Use letters only (spaces, hyphens and "
                "apostrophes are allowed).",
            )
        )
    return True


def past_date(value):
    if value is not None and value > date.today():
        raise InvalidValue(
            _("error_date_in_future", default="This date cannot be in the future.")
        )
    if value is not None and value.year < 1900:
        raise InvalidValue(
            _("error_date_too_old", default="Check the year of this date.")
        )
    return True


def email_address(value):
    if not EMAIL_RE.match((value or "").strip()) or len(value) > 254:
        raise InvalidValue(INVALID_EMAIL)
    return True

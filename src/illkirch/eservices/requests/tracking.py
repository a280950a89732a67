"""Following an account-less request with its number and tracking code.

The requester gets an 8-character code (letters and digits that cannot be
mistaken for one another) with the request number; the request keeps only a
SHA-256 digest of it. A lookup answers the same for a wrong number and a
wrong code; after ``MAX_TRIES`` wrong tries within an hour from one client
address, or for one number, every try is refused for an hour, even with
the right code.
"""

from illkirch.eservices import _
from illkirch.eservices import history
from illkirch.eservices.limits import AttemptLimiter
from illkirch.eservices.requests.numbering import parse_number
from illkirch.eservices.site_storage import site_btree
from plone import api

import hashlib
import hmac
import secrets


ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 8
FAILURES_KEY = "illkirch.eservices.tracking_failures"

WRONG = _(
    "error_tracking_wrong",
    default="No request matches this number and this tracking code. "
    "Check them in the email you received.",
)
LOCKED = _(
    "error_tracking_locked",
    default="Too many wrong tries: following this request is blocked for "
    "an hour. Try again later.",
)


class TrackingFailures(AttemptLimiter):
    max_failures = 10
    window = 60 * 60
    lock_seconds = 60 * 60


class TrackingRefused(ValueError):
    """``message`` says why (the same for a wrong number and a wrong code)."""

    def __init__(self, message, locked=False):
        super().__init__(message.default)
        self.message = message
        self.locked = locked


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize(code):
    """What the requester typed, as the code was given (spaces, dashes and
    case do not matter)."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_digest(number, code):
    return hashlib.sha256(f"{number}:{normalize(code)}".encode()).hexdigest()


def give_code(request_obj):
    """A new tracking code for the request; only its digest is kept."""
    code = new_code()
    request_obj.tracking_digest = code_digest(request_obj.number, code)
    return code


def _failures():
    return TrackingFailures(site_btree(FAILURES_KEY))


def lookup(number, code, client_address):
    """The request of ``number`` if ``code`` is its tracking code; raise
    TrackingRefused otherwise (and count the failure)."""
    number = (number or "").strip()
    keys = (f"address:{client_address or ''}", f"number:{number}")
    failures = _failures()
    if any(failures.is_locked(key) for key in keys):
        raise TrackingRefused(LOCKED, locked=True)
    request_obj = _find(number)
    expected = getattr(request_obj, "tracking_digest", "") if request_obj else ""
    given = code_digest(number, code)
    if not expected or not hmac.compare_digest(expected, given):
        for key in keys:
            failures.record_failure(key)
        raise TrackingRefused(WRONG)
    return request_obj


def _find(number):
    if parse_number(number) is None:
        return None
    # The number's own index entries (an invoice may bear the same text),
    # the type checked here: intersecting with the type index, which holds
    # the requests of the whole town, made the lookup grow with the town.
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(request_number=number):
        if brain.portal_type == "Request":
            return brain._unrestrictedGetObject()
    return None


def public_status(request_obj):
    """What the requester sees of the request: no names of agents."""
    from illkirch.eservices.requests import processing

    review_state = processing.state(request_obj)
    return {
        "number": request_obj.number,
        "service": request_obj.service_title,
        "review_state": review_state,
        "status": processing.state_title(review_state),
        "submitted": request_obj.submitted,
        "posted_on": request_obj.posted_on,
        "history": [
            {
                "time": entry["time"],
                "action": entry["action"],
                "label": processing.ACTIONS.get(entry["action"], entry["action"]),
                "review_state": entry["state"],
                "status": processing.state_title(entry["state"]),
                "comment": entry["text"]
                if entry["action"].startswith("transition_")
                else "",
            }
            for entry in history.entries(request_obj)
            if entry["action"] not in processing.INTERNAL_ACTIONS
        ],
    }

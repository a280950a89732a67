"""Following an account-less request with its number and tracking code.

The requester gets an 8-character code (letters and digits that cannot be
mistaken for one another) with the request number; the request keeps only a
SHA-256 digest of it. A lookup answers the same, in the same time, for a
wrong number and a wrong code.

Wrong tries are limited **per request number**: after ``PER_NUMBER`` wrong
tries within an hour, that number is refused for the rest of the hour, even
with the right code (it is under attack: 31**8 codes leave no chance to
10 guesses an hour). **Per client address** the threshold is much higher,
``PER_ADDRESS`` wrong tries an hour, and past it the address is not locked:
each of its tries needs a solved captcha (``captcha``, single use). A town
hall's public Wi-Fi or a mobile operator's NAT puts many citizens behind one
address; one of them mistyping a code, or many of them, never shuts the
others out: a correct number and code always get through (with a captcha,
past the threshold) unless that very number is under attack.
"""

from illkirch.eservices import _
from illkirch.eservices import history
from illkirch.eservices.accounts import registration
from illkirch.eservices.limits import RateLimit
from illkirch.eservices.requests import requesters
from illkirch.eservices.requests.numbering import parse_number
from illkirch.eservices.site_storage import site_btree
from plone import api

import hashlib
import hmac
import secrets


ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 8
# The wrong tries, under "number:<number>" and "address:<client address>"
# (the keys of the former per-address lock: its counts carry on).
FAILURES_KEY = "illkirch.eservices.tracking_failures"
HOUR = 60 * 60
PER_NUMBER = 10  # wrong tries an hour for one request number, then locked
# Wrong tries an hour from one client address, then a captcha at each try.
# Ten times what one number allows: dozens of people behind one address
# mistyping a code once or twice stay far below it; a program trying many
# numbers (each allowed 10 tries) reaches it within minutes.
PER_ADDRESS = 100
# Compared with what was typed when no request has the number: a wrong
# number costs the same work as a wrong code.
_NO_DIGEST = "0" * 64

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
CAPTCHA_NEEDED = _(
    "error_tracking_captcha",
    default="Many wrong tries have come from your connection (it may be "
    "shared, as a public Wi-Fi is): type the verification code to follow "
    "your request.",
)
CAPTCHA_ERROR = requesters.CAPTCHA_ERROR


class TrackingRefused(ValueError):
    """``message`` says why (the same for a wrong number and a wrong code);
    ``locked``: the number is under attack; ``captcha``: the client address
    must solve a captcha (nothing was looked up)."""

    def __init__(self, message, locked=False, captcha=False):
        super().__init__(message.default)
        self.message = message
        self.locked = locked
        self.captcha = captcha


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


def _per_number():
    return RateLimit("number", PER_NUMBER, HOUR, site_btree(FAILURES_KEY))


def _per_address():
    return RateLimit("address", PER_ADDRESS, HOUR, site_btree(FAILURES_KEY))


def asks_captcha(client_address):
    """Whether a try from ``client_address`` needs a solved captcha (it has
    made ``PER_ADDRESS`` wrong tries within the hour); no write."""
    return not _per_address().allows(client_address or "")


def captcha_challenge(context):
    """A new captcha challenge: token, answer's length, image and audio
    URLs (``accounts.registration``)."""
    return registration.captcha_challenge(context)


def _answered(captcha):
    """Whether an answer was typed (a form sends its token anyway)."""
    captcha = captcha if isinstance(captcha, dict) else {}
    answer = captcha.get("answer")
    return bool(answer.strip() if isinstance(answer, str) else answer)


def lookup(number, code, client_address, captcha=None):
    """The request of ``number`` if ``code`` is its tracking code; raise
    TrackingRefused otherwise (and count the wrong try for the number and
    for the address).

    ``captcha`` (``{"token", "answer"}``) is read only when the address is
    past its threshold (``asks_captcha``); a right answer serves once.
    """
    number = (number or "").strip()
    address = client_address or ""
    per_number, per_address = _per_number(), _per_address()
    if not per_address.allows(address):
        if not _answered(captcha):
            raise TrackingRefused(CAPTCHA_NEEDED, captcha=True)
        if not requesters.captcha_is_right(captcha):
            raise TrackingRefused(CAPTCHA_ERROR, captcha=True)
        requesters.use_captcha(captcha)
    if not per_number.allows(number):
        raise TrackingRefused(LOCKED, locked=True)
    request_obj = _find(number)
    expected = getattr(request_obj, "tracking_digest", "") if request_obj else ""
    right = hmac.compare_digest(expected or _NO_DIGEST, code_digest(number, code))
    if not (expected and right):
        per_number.count(number)
        per_address.count(address)
        raise TrackingRefused(WRONG)
    return request_obj


def _find(number):
    if parse_number(number) is None:
        return None
    # The number's own index entries (the requests' alone since 1018; the
    # type still checked here, cheaply): intersecting with the type index,
    # which holds the requests of the whole town, made the lookup grow with
    # the town.
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

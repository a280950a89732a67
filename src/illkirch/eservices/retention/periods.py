"""How long the portal keeps each kind of data (docs/privacy.md's table).

The periods below are the portal's defaults; a service's own « Durée de
conservation » (``retention_months``, fieldset « Conservation » of its edit
form) replaces ``REQUEST_MONTHS`` / ``CIVIL_STATUS_MONTHS`` for its
requests. ``TABLE`` is what ``GET /@retention`` shows site administrators.
"""

from calendar import monthrange
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from illkirch.eservices import _
from illkirch.eservices.drafts.store import DEFAULT_EXPIRY_DAYS


# A closed or refused request, with its documents, after its closure.
REQUEST_MONTHS = 12
# A civil-status request (the act itself is in the town's registers).
CIVIL_STATUS_MONTHS = 3
# A payment that never paid (pending abandoned, refused, cancelled, expired):
# the 13 months a card holder has to dispute a payment (Code monétaire et
# financier, L133-24). No money moved: not an accounting document.
UNPAID_PAYMENT_MONTHS = 13
# A rejected account (never validated) is closed (anonymised) after this.
REJECTED_ACCOUNT_MONTHS = 12
# A closed account's leftovers: the agents' comments of its validation
# history are blanked, and the household is deleted once nothing the town
# must keep (requests, invoices, payments) is left in it.
CLOSED_ACCOUNT_MONTHS = 12
# Counters of failed or limited attempts (logins, tracking codes, anonymous
# actions): their windows are at most an hour; whatever is left a day later
# is forgotten.
ATTEMPTS = timedelta(days=1)
# Invoices and paid payments: accounting documents (Code de commerce L123-22,
# public accounting: the comptable public's documents). The portal keeps
# them; eliminating public archives needs the visa of the archives service
# (Code du patrimoine L212-2): the town does it, never the nightly task.
ACCOUNTING_YEARS = 10
# A draft (a request being filled in, #17), with its documents, after its
# last save: the default of the setting « draft_expiry_days »; the daily task
# drafts.expire deletes it (drafts/expiry.py), one reminder 7 days before.
DRAFT_DAYS = DEFAULT_EXPIRY_DAYS


def add_months(when, months):
    """``when`` plus ``months`` calendar months (the day clipped to the
    month's length: 31 January + 1 month is 28 or 29 February)."""
    year, month = divmod(when.month - 1 + months, 12)
    year += when.year
    month += 1
    return when.replace(
        year=year, month=month, day=min(when.day, monthrange(year, month)[1])
    )


def aware(when):
    """A datetime in UTC (a naive one is taken as UTC), or None."""
    if when is None:
        return None
    if hasattr(when, "asdatetime"):  # Zope's DateTime (workflow histories)
        when = when.asdatetime()
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def now_utc():
    return datetime.now(UTC)


def default_request_months(civil_status):
    return CIVIL_STATUS_MONTHS if civil_status else REQUEST_MONTHS


def service_months(service):
    """The months a closed request of ``service`` is kept."""
    months = getattr(service, "retention_months", None)
    if months:
        return months
    return default_request_months(bool(getattr(service, "civil_status_act", "")))


# What GET /@retention lists: kind, title, period, what happens then.
TABLE = (
    (
        "requests",
        _(
            "retention_requests",
            default="Closed or refused requests, their answers and documents",
        ),
        {"months": REQUEST_MONTHS, "per_service": True},
        "deleted",
    ),
    (
        "civil_status_requests",
        _("retention_civil_status", default="Civil-status requests"),
        {"months": CIVIL_STATUS_MONTHS, "per_service": True},
        "deleted",
    ),
    (
        "secret_links",
        _("retention_secret_links", default="Password-reset and email-change links"),
        {"hours": 24},
        "deleted",
    ),
    (
        "used_captchas",
        _("retention_used_captchas", default="Used captcha codes"),
        {"minutes": 30},
        "deleted",
    ),
    (
        "attempts",
        _(
            "retention_attempts",
            default="Failed logins, wrong tracking codes, anonymous actions' counters",
        ),
        {"hours": int(ATTEMPTS.total_seconds() // 3600)},
        "deleted",
    ),
    (
        "unpaid_payments",
        _(
            "retention_unpaid_payments",
            default="Payments that never paid (abandoned, refused, cancelled, expired)",
        ),
        {"months": UNPAID_PAYMENT_MONTHS},
        "deleted",
    ),
    (
        "rejected_accounts",
        _("retention_rejected_accounts", default="Rejected accounts"),
        {"months": REJECTED_ACCOUNT_MONTHS},
        "anonymised",
    ),
    (
        "closed_households",
        _(
            "retention_closed_households",
            default="Closed accounts' leftovers (agents' comments, empty household)",
        ),
        {"months": CLOSED_ACCOUNT_MONTHS},
        "deleted",
    ),
    (
        "closed_account_sessions",
        _(
            "retention_closed_account_sessions",
            default="Login sessions and tokens of closed accounts",
        ),
        {"days": 1},
        "deleted",
    ),
    (
        "expired_tokens",
        _("retention_expired_tokens", default="Expired REST login tokens"),
        {"hours": 12},
        "deleted",
    ),
    (
        "drafts",
        _(
            "retention_drafts",
            default="Requests being filled in and not sent (drafts), their "
            "documents: after their last save (setting « Drafts kept »)",
        ),
        {"days": DRAFT_DAYS, "setting": "draft_expiry_days"},
        "deleted",
    ),
    (
        "accounting",
        _("retention_accounting", default="Invoices and paid payments"),
        {"years": ACCOUNTING_YEARS},
        "kept",
    ),
)

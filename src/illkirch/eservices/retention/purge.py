"""The nightly purge: what is past its period is deleted or anonymised.

``run()`` is the periodic task ``retention.purge`` (every night at 3:00,
once whatever the number of workers). Each step finds its store, keeps what
is within its period (``retention/periods.py``) and returns how many items
it deleted or anonymised. The counts (never a name, an address, a number)
are logged and kept on the site (``last_runs``) for ``GET /@retention``.

Idempotent: what a run deletes is gone, what it anonymises no longer
matches; a second run finds nothing more and counts zeros.

Invoices and paid payments are never touched: they are accounting
documents the town keeps (docs/privacy.md).
"""

from AccessControl.SecurityManagement import getSecurityManager
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from AccessControl.users import UnrestrictedUser
from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from DateTime import DateTime
from illkirch.eservices import jobs
from illkirch.eservices.accounts import credentials
from illkirch.eservices.accounts import password_reset
from illkirch.eservices.accounts.pas import PLUGIN_ID
from illkirch.eservices.accounts.registration import USED_CAPTCHAS_KEY
from illkirch.eservices.accounts.tokens import forget_expired
from illkirch.eservices.limits import RATE_LIMITS_KEY
from illkirch.eservices.payments import records
from illkirch.eservices.requests.overview import FINISHED_STATES
from illkirch.eservices.requests.tracking import FAILURES_KEY
from illkirch.eservices.retention import periods
from persistent.list import PersistentList
from plone import api
from plone.keyring.interfaces import IKeyManager
from zope.annotation.interfaces import IAnnotations
from zope.component import queryUtility

import base64
import json
import logging
import transaction


logger = logging.getLogger("illkirch.eservices.retention")

# Who the histories name for what the purge does (closing a rejected
# account): the purge acts as the site, whoever runs it (the worker's user).
ACTOR = "retention"
RUNS_KEY = "illkirch.eservices.retention_runs"
KEPT_RUNS = 30
KINDS = (
    "requests",
    "civil_status_requests",
    "documents",
    "secret_links",
    "used_captchas",
    "tracking_attempts",
    "rate_limits",
    "failed_logins",
    "unpaid_payments",
    "rejected_accounts",
    "closed_account_comments",
    "closed_households",
    "closed_account_sessions",
    "expired_tokens",
)


@jobs.periodic("retention.purge", hour="3", minute="0")
def nightly():
    """Idempotent: deletes or anonymises only what is past its period; a
    second run (or a retry) finds nothing more to do."""
    return run()


def run(now=None):
    """Purge what is past its period; return the counts per kind."""
    now = periods.aware(now) or periods.now_utc()
    counts = dict.fromkeys(KINDS, 0)
    former = getSecurityManager()
    newSecurityManager(
        None, UnrestrictedUser(ACTOR, "", ["Manager"], []).__of__(_users())
    )
    try:
        _requests(now, counts)
        _secret_links(now, counts)
        _attempts(now, counts)
        _unpaid_payments(now, counts)
        _rejected_accounts(now, counts)
        _closed_households(now, counts)
        _deleted_users_sessions(now, counts)
    finally:
        setSecurityManager(former)
    _record_run(now, counts)
    logger.info(
        "Retention purge: %s", ", ".join(f"{kind} {n}" for kind, n in counts.items())
    )
    return counts


def last_runs():
    """The last runs, newest first: ``{"time", "counts"}``."""
    runs = IAnnotations(api.portal.get()).get(RUNS_KEY, ())
    return [{"time": run["time"], "counts": dict(run["counts"])} for run in runs][::-1]


def _record_run(now, counts):
    annotations = IAnnotations(api.portal.get())
    runs = annotations.get(RUNS_KEY)
    if runs is None:
        runs = annotations[RUNS_KEY] = PersistentList()
    runs.append({"time": now.isoformat(timespec="seconds"), "counts": dict(counts)})
    del runs[:-KEPT_RUNS]


# helpers ----------------------------------------------------------------------


def _users():
    return api.portal.get().acl_users


def _catalog():
    return api.portal.get_tool("portal_catalog")


def _objects(**query):
    return [
        brain._unrestrictedGetObject()
        for brain in _catalog().unrestrictedSearchResults(**query)
    ]


def _entered(obj, workflow_id):
    """When ``obj`` entered its current state (its last transition)."""
    history = (getattr(aq_base(obj), "workflow_history", None) or {}).get(workflow_id)
    return periods.aware(history[-1]["time"]) if history else None


def _past(since, months, now):
    return since is not None and periods.add_months(since, months) <= now


def _site_tree(key):
    """The site's OOBTree ``key`` if it exists (never created here)."""
    return IAnnotations(api.portal.get()).get(key)


def _delete(obj):
    api.content.delete(obj=obj, check_linkintegrity=False)


# the steps ----------------------------------------------------------------------


def _requests(now, counts):
    """Closed or refused requests past their service's period, with their
    documents (the attachments' blobs go with them).

    Only the candidates are woken up: per service, the finished requests
    created before the period's start (a request closes after it is
    created); then those of deleted services, with the defaults."""
    finished = list(FINISHED_STATES)
    services = _objects(portal_type="Service")
    for service in services:
        months = periods.service_months(service)
        civil_status = bool(getattr(service, "civil_status_act", ""))
        for request_obj in _objects(
            portal_type="Request",
            review_state=finished,
            service_uid=service.UID(),
            created=_created_before(now, months),
        ):
            _purge_request(request_obj, months, civil_status, now, counts)
    # the requests of deleted services, with the defaults
    query = {
        "portal_type": "Request",
        "review_state": finished,
        "created": _created_before(
            now, min(periods.CIVIL_STATUS_MONTHS, periods.REQUEST_MONTHS)
        ),
    }
    if services:
        query["service_uid"] = {"not": [service.UID() for service in services]}
    orphans = _objects(**query)
    for request_obj in orphans:
        civil_status = bool(request_obj.postal_delivery)
        months = periods.default_request_months(civil_status)
        _purge_request(request_obj, months, civil_status, now, counts)


def _created_before(now, months):
    return {"query": DateTime(periods.add_months(now, -months)), "range": "max"}


def _purge_request(request_obj, months, civil_status, now, counts):
    if not _past(_entered(request_obj, "request_workflow"), months, now):
        return
    counts["documents"] += len(getattr(request_obj, "attachments", ()) or ())
    counts["civil_status_requests" if civil_status else "requests"] += 1
    _delete(request_obj)


def _secret_links(now, counts):
    """Expired password-reset and email-change links, used captchas past
    their expiry (their stores drop them only when a new one is issued)."""
    timestamp = now.timestamp()
    for key in (password_reset.RESETS_KEY, credentials.EMAIL_CHANGES_KEY):
        counts["secret_links"] += _forget_expired(_site_tree(key), timestamp)
    counts["used_captchas"] += _forget_expired(_site_tree(USED_CAPTCHAS_KEY), timestamp)


def _forget_expired(tree, timestamp):
    if tree is None:
        return 0
    before = len(tree)
    forget_expired(tree, timestamp)
    return before - len(tree)


def _attempts(now, counts):
    """Counters of attempts whose last event is older than a day: wrong
    tracking codes (« Suivre ma demande »), anonymous actions' rate limits
    (client addresses, emails), failed logins."""
    cutoff = (now - periods.ATTEMPTS).timestamp()
    counts["tracking_attempts"] += _forget_stale(_site_tree(FAILURES_KEY), cutoff)
    counts["rate_limits"] += _forget_stale(_site_tree(RATE_LIMITS_KEY), cutoff)
    plugin = getattr(aq_base(_users()), PLUGIN_ID, None)
    if plugin is not None:
        counts["failed_logins"] += _forget_stale(plugin._failures, cutoff)


def _forget_stale(tree, cutoff):
    """Drop the keys whose last event is before ``cutoff``; count them (the
    limits' own "pruned" markers are dropped uncounted)."""
    if tree is None:
        return 0
    stale = [key for key, times in tree.items() if not times or times[-1] < cutoff]
    for key in stale:
        del tree[key]
    return sum(1 for key in stale if "\x00" not in key)


def _unpaid_payments(now, counts):
    """Payments that never paid, past the period since their last change
    (a paid payment is an accounting document: kept)."""
    months = periods.UNPAID_PAYMENT_MONTHS
    # created before the period's start: a payment changes after it starts
    for payment in _objects(
        portal_type="Payment", created=_created_before(now, months)
    ):
        if payment.status == records.PAID:
            continue
        last = periods.aware(payment.updated_at or payment.created_at)
        if _past(last, months, now):
            counts["unpaid_payments"] += 1
            _delete(payment)


def _rejected_accounts(now, counts):
    """Accounts rejected (never validated) past the period are closed: the
    ``close`` transition anonymises them (accounts/closure.py)."""
    workflow = api.portal.get_tool("portal_workflow")
    for household in _objects(portal_type="Household", review_state="rejected"):
        entered = _entered(household, "household_workflow")
        if not _past(entered, periods.REJECTED_ACCOUNT_MONTHS, now):
            continue
        savepoint = transaction.savepoint()
        try:
            workflow.doActionFor(household, "close")
        except Exception:  # noqa: BLE001 - one account must not stop the purge
            savepoint.rollback()
            logger.exception("Retention: a rejected account could not be closed")
            continue
        counts["rejected_accounts"] += 1


def _closed_households(now, counts):
    """Closed accounts past the period: the agents' comments of their
    validation history are blanked; the household is deleted once nothing
    is left in it (requests past their own periods, no invoice, no payment)."""
    for household in _objects(portal_type="Household", review_state="closed"):
        entered = _entered(household, "household_workflow")
        if not _past(entered, periods.CLOSED_ACCOUNT_MONTHS, now):
            continue
        if not household.objectIds():
            counts["closed_households"] += 1
            _delete(household)
        elif _blank_comments(household):
            counts["closed_account_comments"] += 1


def _deleted_users_sessions(now, counts):
    """What the login machinery keeps per user, for users that no longer
    exist (closed accounts): plone.restapi's stored tokens (JWT) and
    plone.session's per-user keyring. The other users' REST tokens past
    their expiry are forgotten too (plone.restapi keeps them until logout)."""
    users = _users()
    plugin = getattr(aq_base(users), "jwt_auth", None)
    tokens = getattr(plugin, "_tokens", None)
    session = getattr(aq_base(users), "session", None)
    prefix = getattr(session, "secret_prefix", None)
    keyrings = queryUtility(IKeyManager) if prefix else None
    gone = set()
    for user_id in list(tokens.keys()) if tokens is not None else ():
        if not _user_exists(user_id):
            del tokens[user_id]
            gone.add(user_id)
        else:
            counts["expired_tokens"] += _forget_expired_tokens(tokens[user_id], now)
    for ring in (
        [r for r in keyrings.keys() if r.startswith(prefix)] if keyrings else ()
    ):
        user_id = ring[len(prefix) :]
        if not _user_exists(user_id):
            del keyrings[ring]
            gone.add(user_id)
    counts["closed_account_sessions"] += len(gone)


def _forget_expired_tokens(user_tokens, now):
    """Drop the tokens whose expiry (their ``exp``) is past; a token without
    one never expires and stays."""
    expired = [
        token
        for token in user_tokens.keys()
        if (_expiry(token) or float("inf")) < now.timestamp()
    ]
    for token in expired:
        del user_tokens[token]
    return len(expired)


def _expiry(token):
    """The ``exp`` of a JWT's payload (its signature is not checked: the
    token is only forgotten), or None."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(
            base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        )
    except (IndexError, ValueError, TypeError, AttributeError):
        return None
    expires = claims.get("exp") if isinstance(claims, dict) else None
    return expires if isinstance(expires, (int, float)) else None


def _user_exists(user_id):
    """A user of the site, or of Zope's root (the administrators)."""
    if api.user.get(userid=user_id) is not None:
        return True
    root = aq_parent(aq_inner(api.portal.get()))
    root_users = getattr(root, "acl_users", None)
    return root_users is not None and root_users.getUserById(user_id) is not None


def _blank_comments(obj):
    """Empty the comments of ``obj``'s workflow histories; whether one had
    text."""
    histories = getattr(aq_base(obj), "workflow_history", None) or {}
    blanked = False
    for workflow_id, entries in list(histories.items()):
        if any(entry.get("comments") for entry in entries):
            histories[workflow_id] = tuple(
                dict(entry, comments="") if entry.get("comments") else entry
                for entry in entries
            )
            blanked = True
    return blanked

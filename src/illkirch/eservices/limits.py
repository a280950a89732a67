"""Limits on repeated failed attempts (wrong passwords, wrong tracking
codes) and on the rate of anonymous actions that send email or create
accounts (registration, password-reset requests): event times per key, kept
in a persistent OOBTree. Also the pace of the answers that must not tell
whether an account exists (``answer_not_before``)."""

from illkirch.eservices.site_storage import site_btree

import time
import transaction


class AttemptLimiter:
    """After ``max_failures`` failures of one key within ``window`` seconds,
    the key is locked for ``lock_seconds`` after the last one."""

    max_failures = 5
    window = 15 * 60
    lock_seconds = 15 * 60

    def __init__(self, storage):
        self.storage = storage

    def recent(self, key, now=None):
        now = time.time() if now is None else now
        return [t for t in self.storage.get(key, ()) if now - t < self.window]

    def is_locked(self, key, now=None):
        now = time.time() if now is None else now
        failures = self.recent(key, now)
        return (
            len(failures) >= self.max_failures
            and now - failures[-1] < self.lock_seconds
        )

    def record_failure(self, key, now=None):
        """Count a failure; True when it is the one that locks the key."""
        now = time.time() if now is None else now
        failures = self.recent(key, now) + [now]
        self.storage[key] = tuple(failures[-self.max_failures :])
        return len(failures) == self.max_failures

    def clear(self, key):
        if key in self.storage:
            del self.storage[key]


RATE_LIMITS_KEY = "illkirch.eservices.rate_limits"


class RateLimit(AttemptLimiter):
    """At most ``max_failures`` events per key within ``window`` seconds
    (anonymous actions that send email or create accounts): the same
    bookkeeping as the failure limits, each event counted as one "failure",
    a key refused while its last ``max_failures`` events are all in the
    window. The events of every rate limit are kept in one OOBTree on the
    site (``RATE_LIMITS_KEY``), under ``"<name>:<key>"``."""

    name = ""

    def __init__(self, name, max_events, window, storage=None):
        if storage is None:
            storage = site_btree(RATE_LIMITS_KEY)
        super().__init__(storage)
        self.name = name
        self.max_failures = max_events
        self.window = self.lock_seconds = window

    def _key(self, key):
        return f"{self.name}:{key}"

    def allows(self, *keys, now=None):
        """False when one of ``keys`` has used up its events (no write)."""
        return not any(self.is_locked(self._key(key), now) for key in keys)

    def take(self, *keys, now=None):
        """Count one event for each of ``keys`` when all allow it; return
        whether they did (nothing is counted when one refuses)."""
        now = time.time() if now is None else now
        if not self.allows(*keys, now=now):
            return False
        for key in keys:
            self.record_failure(self._key(key), now)
        self.prune(now)
        return True

    def count(self, *keys, now=None):
        """Count one event for each of ``keys``, whether they allow it or not
        (failures that must be counted even past a limit, as wrong tracking
        codes per client address)."""
        now = time.time() if now is None else now
        for key in keys:
            self.record_failure(self._key(key), now)
        self.prune(now)

    def prune(self, now):
        """Forget the keys whose events are all past the window, at most once
        per window (the tree would otherwise keep every client address)."""
        marker = f"{self.name}\x00pruned"
        last = self.storage.get(marker, (0,))[0]
        if now - last < self.window:
            return
        self.storage[marker] = (now,)
        prefix = f"{self.name}:"
        for key in [
            k
            for k, times in self.storage.items(prefix, prefix + "\uffff")
            if not times or now - times[-1] >= self.window
        ]:
            del self.storage[key]


class RateLimited(Exception):
    """An anonymous action over its rate limit; ``message`` is French."""

    def __init__(self, message):
        super().__init__(getattr(message, "default", message))
        self.message = message


def client_address(request):
    """The client's address as Zope sees it (``X-Forwarded-For`` counts only
    from the proxies trusted in zope.conf), or ``""``."""
    get = getattr(request, "getClientAddr", None)
    return (get() if get is not None else "") or ""


def answer_not_before(seconds, started):
    """Hold the answer of this transaction until ``seconds`` after
    ``started`` (``time.monotonic()``), once it has committed and its
    emails have been handed to the mail server.

    For the answers that must not tell whether an account exists: whatever
    work one path does more than the other (creating an account and its
    household, writing a token, sending an email at commit) ends before the
    same moment, so both answer after the same time. Nothing is held when
    the transaction is aborted (refused input answers at once).
    """

    def hold(committed):
        rest = started + seconds - time.monotonic()
        if committed and rest > 0:
            time.sleep(rest)

    transaction.get().addAfterCommitHook(hold)

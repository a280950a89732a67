"""Limits on repeated failed attempts (wrong passwords, wrong tracking
codes): failure times per key, kept in a persistent OOBTree."""

import time


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
        return (len(failures) >= self.max_failures
                and now - failures[-1] < self.lock_seconds)

    def record_failure(self, key, now=None):
        """Count a failure; True when it is the one that locks the key."""
        now = time.time() if now is None else now
        failures = self.recent(key, now) + [now]
        self.storage[key] = tuple(failures[-self.max_failures:])
        return len(failures) == self.max_failures

    def clear(self, key):
        if key in self.storage:
            del self.storage[key]

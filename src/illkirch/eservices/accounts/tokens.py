"""Secrets kept by the site: single-use links and used captcha codes.

Only a SHA-256 digest of each link's token is stored, with its data and its
expiry, in an OOBTree annotated on the site: the database never holds a
usable link.
"""

from illkirch.eservices.site_storage import site_btree

import hashlib
import secrets
import time


def forget_expired(tree, now):
    """Drop the entries ``(…, expires)`` past their expiry."""
    for key in [k for k, value in tree.items() if value[-1] < now]:
        del tree[key]


def digest(token):
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


class SecretLinks:
    """Tokens for emailed links: issued with data, valid ``ttl`` seconds."""

    def __init__(self, key, ttl):
        self.key = key
        self.ttl = ttl

    def tree(self):
        return site_btree(self.key)

    def issue(self, data, now=None):
        now = time.time() if now is None else now
        tree = self.tree()
        forget_expired(tree, now)
        token = secrets.token_urlsafe(32)
        tree[digest(token)] = (data, now + self.ttl)
        return token

    def peek(self, token, now=None):
        """The data of a valid token (unused, unexpired), or None."""
        now = time.time() if now is None else now
        entry = self.tree().get(digest(token)) if token else None
        if entry is None or entry[1] < now:
            return None
        return entry[0]

    def use(self, token, now=None):
        """The data of a valid token, which is then forgotten; or None."""
        data = self.peek(token, now)
        if token:
            self.tree().pop(digest(token), None)
        return data

"""``POST <request>/@assign``: assigning a request."""

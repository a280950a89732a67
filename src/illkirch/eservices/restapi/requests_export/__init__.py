"""``GET /@requests-export``: the agents' queue as CSV."""

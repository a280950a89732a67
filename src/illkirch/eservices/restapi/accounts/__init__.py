"""``GET /@accounts``: the agents' list of accounts."""

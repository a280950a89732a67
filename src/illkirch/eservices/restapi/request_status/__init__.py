"""``GET /@request-status``: an account-less request's status."""

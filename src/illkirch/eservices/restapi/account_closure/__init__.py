"""``POST /@account-closure``: asking for the closure of one's account."""

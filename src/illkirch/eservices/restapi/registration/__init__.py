"""``/@registration``: the registration of a citizen account."""

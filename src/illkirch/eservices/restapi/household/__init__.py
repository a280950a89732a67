"""``/@household``: the logged-in citizen's own household."""

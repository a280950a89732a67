"""``/@cart``: the logged-in citizen's basket and its checkout."""

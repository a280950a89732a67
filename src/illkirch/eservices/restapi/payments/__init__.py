"""``GET /@payments``: the logged-in citizen's card payments."""

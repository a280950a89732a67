"""``GET``/``POST``/``DELETE /@franceconnect-link``: linking one's account
to FranceConnect (and unlinking it) over REST (#20)."""

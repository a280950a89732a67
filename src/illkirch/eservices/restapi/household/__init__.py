"""REST services: household."""

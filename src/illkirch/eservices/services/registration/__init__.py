"""REST services: registration."""

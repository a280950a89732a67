"""REST services: accounts."""

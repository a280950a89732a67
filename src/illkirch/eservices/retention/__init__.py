"""Retention (RGPD): what the portal keeps, how long (issue #16)."""

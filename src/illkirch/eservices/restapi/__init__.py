"""plone.restapi services of the portal (thin: they call the domain layers)."""

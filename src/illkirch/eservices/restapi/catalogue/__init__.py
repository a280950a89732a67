"""``GET /@services``: the catalogue of the online services (démarches)."""

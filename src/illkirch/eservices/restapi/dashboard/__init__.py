"""``GET /@dashboard``: « Mon espace → Accueil » of the logged-in citizen."""

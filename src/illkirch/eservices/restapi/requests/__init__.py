"""REST services: online services (démarches), requests and their documents."""

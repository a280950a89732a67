"""Domain layer of online requests (démarches)."""

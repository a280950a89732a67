"""``GET``/``PATCH /@notifications``: an agent's notifications (the daily
digest of their groups)."""

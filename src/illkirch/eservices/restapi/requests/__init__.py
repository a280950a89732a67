"""``/@requests``: filing requests; the queue, or one's household's requests."""

"""``POST /@login``: logging in with the identifier or the email address."""

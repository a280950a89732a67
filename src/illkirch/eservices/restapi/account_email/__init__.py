"""``POST /@account-email[/<token>]``: changing one's email address."""

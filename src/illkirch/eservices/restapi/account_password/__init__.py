"""``POST /@account-password``: changing one's password."""

"""``POST /@password-reset[/<token>]``: the lost password."""

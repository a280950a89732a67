"""``GET /@invoices``: the logged-in citizen's invoices."""

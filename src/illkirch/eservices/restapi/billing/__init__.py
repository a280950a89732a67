"""REST services of the régies: the import of invoices."""

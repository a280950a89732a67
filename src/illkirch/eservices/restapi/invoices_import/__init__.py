"""``POST /@invoices-import``: the import of the régies' invoices."""

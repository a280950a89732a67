"""Domain layer of régies and invoices (see docs/architecture.md)."""

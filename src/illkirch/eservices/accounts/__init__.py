"""Domain layer of citizen accounts and households."""

"""REST: #18 (verify)."""

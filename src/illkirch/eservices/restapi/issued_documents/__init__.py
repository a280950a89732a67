"""REST: #18 (issued_documents)."""

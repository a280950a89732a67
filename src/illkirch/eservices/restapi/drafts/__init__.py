"""REST: @drafts (#17)."""

"""REST: @drafts (#17), the current citizen's drafts of requests."""

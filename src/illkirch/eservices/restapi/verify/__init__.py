"""``GET /@verify/<code>``, ``POST /@verify/<code>``: official documents
verified by their code or their file (public)."""

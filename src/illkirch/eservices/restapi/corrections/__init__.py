"""REST: @corrections (#17)."""

"""REST: @messages (#17)."""

"""REST: @prefill (#17)."""

"""REST: @locker (#17)."""

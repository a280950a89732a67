"""``/@payment-notify/<transaction>``: the bank's answer about a payment."""

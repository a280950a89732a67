"""REST services of one's account: logging in, lost password, credentials, closure."""

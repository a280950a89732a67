"""Drafts of requests: what a citizen typed and uploaded before sending,
kept in their household until sent or expired."""

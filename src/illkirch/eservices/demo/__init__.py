"""Demo content of the town site (the ``illkirch.eservices:demo`` profile).

Never install it on a production site: its accounts have published passwords.
"""

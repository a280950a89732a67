"""The conversation of each request: messages between its household and
the agents of its service, the agents' internal notes, and who read what.
``store`` holds the data; the rules of writing and reading are beside it."""

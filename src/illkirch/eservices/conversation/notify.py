"""Telling the other side that a message was written (an email with a
link, never the message's content), through the background queue."""


def message_posted(request_obj, message):
    """Called by ``conversation.messages`` once a message is stored."""

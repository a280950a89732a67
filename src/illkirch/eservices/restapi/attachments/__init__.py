"""``<request>/@attachments``: the documents attached to a request."""

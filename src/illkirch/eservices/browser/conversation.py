"""The conversation on a request's page (#17): what ``RequestView`` shows
of it, and its forms."""


class RequestConversationMixin:
    """Mixed into ``browser.requests.RequestView``."""

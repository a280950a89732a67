"""``@@ecrire-message``: the request's page that receives the message form
(``browser.conversation.PostMessage`` on ``RequestView``), shown again with
the errors when the message is refused."""

from illkirch.eservices.browser.conversation import PostMessage
from illkirch.eservices.browser.requests import RequestView


class PostMessageView(PostMessage, RequestView):
    """The request's page, receiving the message form."""

"""``@@ecrire-message``: the request's page that receives the message form
(``browser.conversation.PostMessage`` on ``RequestView``), shown again with
the errors when the message is refused."""

from illkirch.eservices import _
from illkirch.eservices.browser.conversation import PostMessage
from illkirch.eservices.browser.requests import RequestView


class PostMessageView(PostMessage, RequestView):
    """The request's page, receiving the message form."""

    def title_step(self):
        """Its own title when shown again with errors (« Erreur : Votre
        message — … »), distinct from refused corrections'."""
        return _("title_message_refused", default="Your message")

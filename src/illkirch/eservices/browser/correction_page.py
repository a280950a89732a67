"""``@@corriger``: the request's page that receives the citizen's
corrections (``browser.corrections.CorrectRequest`` on ``RequestView``)."""

from illkirch.eservices import _
from illkirch.eservices.browser.corrections import CorrectRequest
from illkirch.eservices.browser.requests import RequestView


class CorrectRequestView(CorrectRequest, RequestView):
    """The request's page, receiving the correction form."""

    def title_step(self):
        """Its own title when shown again with errors (« Erreur : Vos
        corrections — … »), distinct from a refused message's."""
        return _("title_corrections_refused", default="Your corrections")

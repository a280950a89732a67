"""``@@corriger``: the request's page that receives the citizen's
corrections (``browser.corrections.CorrectRequest`` on ``RequestView``)."""

from illkirch.eservices.browser.corrections import CorrectRequest
from illkirch.eservices.browser.requests import RequestView


class CorrectRequestView(CorrectRequest, RequestView):
    """The request's page, receiving the correction form."""

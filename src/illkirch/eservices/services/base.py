"""What the portal's REST services share."""

from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


def json_data(request):
    """The JSON object of a write request (``{}`` when it is not an object).

    JSON requests carry no cookie-bound form, so plone.protect's CSRF check
    (meant for forms) is switched off for them, as plone.restapi does.
    """
    alsoProvides(request, IDisableCSRFProtection)
    data = json_body(request)
    return data if isinstance(data, dict) else {}


@implementer(IPublishTraverse)
class PathParams:
    """A view or service reading the path segments after its name into
    ``params`` (e.g. ``/@password-reset/<token>`` gives ``["<token>"]``)."""

    def __init__(self, context, request):
        super().__init__(context, request)
        self.params = []

    def publishTraverse(self, request, name):
        self.params.append(name)
        return self


class TraversingService(PathParams, Service):
    """A REST service with the path segments after its name in ``params``."""

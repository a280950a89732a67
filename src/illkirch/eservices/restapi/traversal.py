"""Services and views reading the path segments after their name."""

from plone.restapi.services import Service
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


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

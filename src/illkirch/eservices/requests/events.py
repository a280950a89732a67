"""Events of the requests' domain, for the packages built on it (the
document locker keeps the documents of a submitted request, and those a
correction gave)."""

from zope.interface import Attribute
from zope.interface import Interface
from zope.interface import implementer


class IRequestSubmitted(Interface):
    """A request was filed, with its answers and documents stored."""

    object = Attribute("The Request")
    submission = Attribute("The Submission (requests/submission.py)")


@implementer(IRequestSubmitted)
class RequestSubmitted:
    def __init__(self, obj, submission):
        self.object = obj
        self.submission = submission


class IRequestDocumentsReplaced(Interface):
    """The citizen replaced documents of a request (a correction asked by
    an agent: ``corrections.asks.correct``), after they were stored."""

    object = Attribute("The Request")
    household = Attribute("The request's Household (or None)")
    service = Attribute("The request's Service")
    files = Attribute(
        "The new files, checked: [{document, filename, content_type, data}]"
    )


@implementer(IRequestDocumentsReplaced)
class RequestDocumentsReplaced:
    def __init__(self, obj, household, service, files):
        self.object = obj
        self.household = household
        self.service = service
        self.files = files

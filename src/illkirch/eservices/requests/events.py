"""Events of the requests' domain, for the packages built on it (the
document locker keeps the documents of a submitted request)."""

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

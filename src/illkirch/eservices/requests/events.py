"""Events of the requests' domain, for the packages built on it (the
document locker keeps the documents of a submitted request, and those a
correction gave), and the hook through which such a package takes over one
of the citizen's emails."""

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


class ICitizenEmails(Interface):
    """A utility (any name) of a package built on requests that sends some
    of the emails ``processing.notify_citizen`` would send, itself, later
    (official_documents: the « submitted » email with the filing receipt
    attached, the « status » email of accept and reject with the decision
    attached). It sends them with ``processing.send_to_citizen``, the same
    texts, so the citizen gets one email per event either way."""

    def sends(request_obj, kind, transition_id=None):
        """True when this package sends the email ``kind`` ("submitted", or
        "status" after the transition ``transition_id``) of ``request_obj``."""

"""What the portal's REST services share: the JSON body, the path
parameters, and the rule that every write carries JSON.

A write (POST, PATCH, PUT, DELETE) to any of the add-on's REST services is
refused with 415 unless its ``Content-Type`` is ``application/json``
(``require_json``, run after traversal, before the service reads anything).
A page of another site can send ``text/plain``, a form or a multipart body
with the visitor's cookie, never JSON without the browser asking this site
first (CORS preflight, which the portal does not grant): so the services
may turn plone.protect's form-token check off for JSON. A service that takes
another body says so in ``accepted_content_types`` (the invoice import also
takes ``text/csv``, which is not a cross-site form type either; the bank's
notification, form-encoded and signed by the bank, sets it to ``None``).
"""

from illkirch.eservices.restapi.errors import JSON_REQUIRED
from illkirch.eservices.restapi.errors import bad_request
from illkirch.eservices.restapi.errors import error_answer
from plone.protect.interfaces import IDisableCSRFProtection
from plone.rest.interfaces import IService
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zExceptions import HTTPUnsupportedMediaType
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

import json


WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
JSON_TYPES = ("application/json",)


def media_type(request):
    """The media type of the request's body, lower case, without parameters."""
    value = request.getHeader("Content-Type", "") or ""
    return value.split(";")[0].strip().lower()


def is_eservices_service(obj):
    """True for the add-on's own REST services (plone.rest builds a class
    of its own around each factory: look at its bases)."""
    return IService.providedBy(obj) and any(
        (cls.__module__ or "").startswith("illkirch.eservices.")
        for cls in type(obj).__mro__)


class JsonRequired(HTTPUnsupportedMediaType):
    """415: a write to a service came without a body type it accepts."""

    def __init__(self, accepted=JSON_TYPES):
        super().__init__(JSON_REQUIRED)
        self.accepted = accepted


def require_json(event):
    """IPubAfterTraversal: refuse a write to one of the add-on's services
    whose body is not of a type it accepts (JSON unless it says otherwise)."""
    request = event.request
    if (request.get("REQUEST_METHOD") or "").upper() not in WRITE_METHODS:
        return
    published = request.get("PUBLISHED")
    if not is_eservices_service(published):
        return
    accepted = getattr(published, "accepted_content_types", JSON_TYPES)
    if accepted is None:
        return
    if media_type(request) not in accepted:
        raise JsonRequired(accepted)


class JsonRequiredView:
    """The answer to ``JsonRequired``: 415 with the portal's error shape."""

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self):
        response = self.request.response
        body = json.dumps(error_answer(self.request, 415, JSON_REQUIRED,
                                       accepted=list(self.context.accepted)),
                          indent=2)
        response.setHeader("Content-Type", "application/json")
        response.setStatus(415, lock=1)
        response.setBody(body, lock=1)
        response._has_challenged = True
        return body


def json_object(request):
    """The JSON object of a write request; raise ``BadRequest`` (400) when
    the body is not one.

    ``require_json`` let only JSON through (no page of another site can
    send it), so plone.protect's CSRF check (meant for forms) is switched
    off, as plone.restapi does.
    """
    alsoProvides(request, IDisableCSRFProtection)
    try:
        data = json_body(request)
    except DeserializationError:
        data = None
    if not isinstance(data, dict):
        raise bad_request(request, JSON_REQUIRED)
    return data


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

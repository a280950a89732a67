"""The rule that every write to the portal's REST services carries a JSON
object.

A write (POST, PATCH, PUT, DELETE) to any of the add-on's REST services is
refused with 415 unless its ``Content-Type`` is ``application/json``, and
with 400 when that body is not a JSON object (``require_json``, run after
traversal, before the service reads anything). A page of another site can
send ``text/plain``, a form or a multipart body with the visitor's cookie,
never JSON without the browser asking this site first (CORS preflight,
which the portal does not grant): so plone.protect's form-token check is
turned off for the writes let through, as plone.restapi does. A service
that takes another body says so in ``accepted_content_types`` (the invoice
import also takes ``text/csv``, which is not a cross-site form type either,
and a JSON list; the bank's notification, form-encoded and signed by the
bank, sets it to ``None``).
"""

from illkirch.eservices.restapi.errors import JSON_REQUIRED
from illkirch.eservices.restapi.errors import error_answer
from plone.protect.interfaces import IDisableCSRFProtection
from plone.rest.interfaces import IService
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from zExceptions import HTTPUnsupportedMediaType
from zope.interface import alsoProvides

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
        for cls in type(obj).__mro__
    )


class JsonRequired(HTTPUnsupportedMediaType):
    """A write to a service came without a body it accepts: 415 for another
    type, 400 for JSON that is not an object."""

    def __init__(self, accepted=JSON_TYPES, status=415):
        super().__init__(JSON_REQUIRED)
        self.accepted = accepted
        self.status = status


def is_json_object(request):
    """True when the request's body is a JSON object."""
    try:
        return isinstance(json_body(request), dict)
    except DeserializationError:
        return False


def require_json(event):
    """IPubAfterTraversal: refuse a write to one of the add-on's services
    whose body is not of a type it accepts (a JSON object unless it says
    otherwise); let the others through without a form token."""
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
    if accepted == JSON_TYPES and not is_json_object(request):
        raise JsonRequired(accepted, status=400)
    alsoProvides(request, IDisableCSRFProtection)


class JsonRequiredView:
    """The answer to ``JsonRequired``, in the portal's error shape."""

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self):
        response = self.request.response
        status = self.context.status
        body = json.dumps(
            error_answer(
                self.request,
                status,
                JSON_REQUIRED,
                accepted=list(self.context.accepted),
            ),
            indent=2,
        )
        response.setHeader("Content-Type", "application/json")
        response.setStatus(status, lock=1)
        response.setBody(body, lock=1)
        response._has_challenged = True
        return body

"""The REST services' error answers: one JSON shape, French messages.

A plain 400 raises ``zExceptions.BadRequest`` with its French message
(``bad_request``), an address that names nothing ``zExceptions.NotFound``,
as plone.restapi does: plone.rest's error view answers them, and the
transaction is aborted. ``error_answer`` is for what that view cannot say:
a French reason for a 401, 403, 404 or 429, extra keys, or an answer after
which the transaction is committed all the same (counted tries);
``field_errors`` for the errors of the fields sent.
"""

from illkirch.eservices import _
from illkirch.eservices.messages import CORRECT_ERRORS
from zExceptions import BadRequest
from zope.i18n import translate


JSON_REQUIRED = _("error_json_required",
                  default="Send the data as a JSON object "
                  "(Content-Type: application/json).")

TYPES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    415: "UnsupportedMediaType",
    429: "TooManyRequests",
}


def error_answer(request, status, message, type_=None, **extra):
    """Set ``status``; return ``{"error": {"type", "message", **extra}}``,
    the message in the request's language (French)."""
    request.response.setStatus(status)
    return {"error": {"type": type_ or TYPES[status],
                      "message": translate(message, context=request), **extra}}


def field_errors(request, errors, message=CORRECT_ERRORS):
    """400 ``{"error": {"type": "ValidationError", "message", "errors":
    [{"field", "message"}]}}``; ``errors`` maps a field to a message."""
    return error_answer(request, 400, message, "ValidationError", errors=[
        {"field": field, "message": translate(text, context=request)}
        for field, text in sorted(errors.items())])


def bad_request(request, message):
    """The ``BadRequest`` to raise, saying ``message`` in French."""
    return BadRequest(translate(message, context=request))

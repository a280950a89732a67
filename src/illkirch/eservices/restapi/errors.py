"""The REST services' error answers: ``{"error": {"type", "message", …}}``,
the message in French, whatever the status (``error_answer``); with the
errors of the fields sent for a 400 (``field_errors``)."""

from illkirch.eservices import _
from illkirch.eservices.messages import CORRECT_ERRORS
from zope.i18n import translate


JSON_REQUIRED = _(
    "error_json_required",
    default="Send the data as a JSON object (Content-Type: application/json).",
)
NOT_FOUND = _("error_not_found", default="There is nothing at this address.")

TYPES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    415: "UnsupportedMediaType",
    429: "TooManyRequests",
}


def error_answer(request, status, message, type_=None, **extra):
    """Set ``status``; return ``{"error": {"type", "message", **extra}}``,
    the message in the request's language (French)."""
    request.response.setStatus(status)
    return {
        "error": {
            "type": type_ or TYPES[status],
            "message": translate(message, context=request),
            **extra,
        }
    }


def field_errors(request, errors, message=CORRECT_ERRORS):
    """400 ``{"error": {"type": "ValidationError", "message", "errors":
    [{"field", "message"}]}}``; ``errors`` maps a field to a message."""
    return error_answer(
        request,
        400,
        message,
        "ValidationError",
        errors=[
            {"field": field, "message": translate(text, context=request)}
            for field, text in sorted(errors.items())
        ],
    )

"""The JSON shape of validation errors, shared by the REST services."""

from zope.i18n import translate


def validation_error(request, errors, message):
    """Set 400 and return ``{"error": {"type", "message", "errors": [...]}}``.

    ``errors`` maps field names to (translatable) messages.
    """
    request.response.setStatus(400)
    return {
        "error": {
            "type": "ValidationError",
            "message": translate(message, context=request),
            "errors": [
                {"field": field, "message": translate(text, context=request)}
                for field, text in sorted(errors.items())
            ],
        }
    }

"""The pages' answer to the download of a file the antivirus has not found
clean (#21: « en cours d'analyse », or refused): 409 with the French
reason, never the file."""

from html import escape
from zope.i18n import translate


def not_served(request, reason):
    """Answer 409 with ``reason`` (a message of ``antivirus.served``)."""
    text = translate(reason, context=request)
    response = request.response
    response.setStatus(409)
    response.setHeader("Content-Type", "text/html; charset=utf-8")
    response.setHeader("Cache-Control", "private, no-store")
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(text)}</title></head><body><main><p>{escape(text)}</p>"
        "</main></body></html>"
    )

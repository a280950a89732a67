"""The town's restyling of the official documents (#18).

The « Espace citoyen » settings hold a style sheet (``document_css``,
« Feuille de style des documents officiels »), empty by default, checked
when it is saved (``interfaces.check_document_css``: at most 20,000
characters, no ``@import`` nor ``@font-face``, ``url()`` only with ``data:``
URIs, CSS that parses). ``layout.document_html`` writes, in this order:

1. ``templates/document.css``, the package's layout;
2. the town's style sheet (``editor_css()``): colours, installed fonts,
   margins, the header's layout override the package's rules;
3. the page numbers' rule (translated);
4. ``templates/guard.css``: the verification footer's own rules, with
   ``!important``, so that no style sheet hides or blurs the code, the QR
   code and the address (written last, they win).

The tags, the language and the embedded fonts do not depend on CSS
(``pdf.render``: PDF/UA-1). Documents already issued are stored PDFs: a
new style sheet changes only the documents issued after it.
"""

from illkirch.eservices.interfaces import BadDocumentCss
from illkirch.eservices.interfaces import check_document_css
from pathlib import Path

import functools
import logging


logger = logging.getLogger(__name__)

RECORD = "illkirch.eservices.document_css"
TEMPLATES = Path(__file__).parent / "templates"


def _no_site():
    from plone.api.exc import CannotGetPortalError
    from plone.api.exc import InvalidParameterError
    from zope.interface.interfaces import ComponentLookupError

    return (CannotGetPortalError, ComponentLookupError, InvalidParameterError)


def editor_css():
    """The town's style sheet, or "" (none, no site, or a value that does
    not pass the check: set without the control panel, it is left out and
    logged rather than stop the issuing of documents)."""
    from plone import api

    try:
        value = api.portal.get_registry_record(RECORD, default="")
    except _no_site():
        return ""
    if not value or not _passes(value):
        return ""
    return value


@functools.lru_cache(maxsize=4)
def _passes(value):
    """Whether ``value`` passes the check (parsed once per value, not once
    per document)."""
    try:
        check_document_css(value)
    except BadDocumentCss as error:
        logger.warning("the documents' style sheet is left out: %s", error.doc())
        return False
    return True


def guard_css():
    """``templates/guard.css``: the footer's rules written last."""
    return (TEMPLATES / "guard.css").read_text(encoding="utf-8")

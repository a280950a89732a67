"""The one layout of every official document (#18): a Zope page template
(Chameleon, ``templates/document.pt``) and its style sheet
(``templates/document.css``), the same for the filing receipt, the decision
and the payment certificate.

A kind gives what its document says as structured data; the layout adds the
town's name and logo, the heading block, the footer with the verification
code, its QR code and URL, and page numbers (« Page 1 sur 2 »)::

    from illkirch.eservices.official_documents import layout
    from illkirch.eservices.official_documents import pdf

    html = layout.document_html(
        _("Filing receipt"),                       # the kind, its title
        number="2026-00042",
        date="27/11/2026 08:17",                   # as printed (dates.py)
        details=[(_("Service"), "Signalement")],   # more heading lines
        sections=[
            layout.Section(_("Your answers"), [
                layout.Definitions([("Adresse", "1 rue …"), …]),
            ]),
            layout.Section(_("Documents received"), [
                layout.Table([_("Name"), _("Size")], [["plan.pdf", "12 ko"]]),
            ]),
        ],
        code=code,                                 # store.new_code()
        verify_url=urls.public_url(f"@@verifier/{code}"),
    )
    data = pdf.render(html)   # inside an @pdf.issuing_task only

Every value is text (a ``str`` or a message to translate), escaped by the
template: a citizen's answer ``<img src=x>`` is printed as typed. Only
``Html`` blocks are markup, for markup the portal already made safe.

The texts of the layout are messages of the catalog, translated into the
site's language (French). The town's name comes from the « Espace citoyen »
settings (town.py), its logo from Plone's « Site logo » when one was
uploaded, embedded in the document as a data URI (nothing is ever fetched
over the network), else the name alone.

The town may restyle the documents without touching this package: its
style sheet (« Espace citoyen » settings) is written after ``document.css``
and before the footer's guard (``style.py``).
"""

from dataclasses import dataclass
from dataclasses import field
from illkirch.eservices import _
from illkirch.eservices import town
from illkirch.eservices.official_documents import pdf
from illkirch.eservices.official_documents import style
from pathlib import Path

import base64
import chameleon
import mimetypes
import re


TEMPLATES = Path(__file__).parent / "templates"
DOMAIN = "illkirch.eservices"
# The fonts: DejaVu Sans by its fontconfig name (document.css), installed by
# ``make pdf-libs`` (Debian's fonts-dejavu-core); WeasyPrint embeds the
# subset of glyphs used.
LOGO_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")


@dataclass
class Paragraph:
    """A paragraph of text (its line breaks kept)."""

    text: object
    kind = "paragraph"


@dataclass
class Definitions:
    """Terms and their values (``<dl>``): the answers of a request."""

    items: list
    kind = "definitions"


@dataclass
class Table:
    """A table with its column ``headers``, ``rows`` of cells, an optional
    ``caption`` and ``footer`` row (a total)."""

    headers: list
    rows: list
    caption: object = None
    footer: list = None
    # Columns aligned right (amounts), by index.
    numeric: tuple = ()
    kind = "table"


@dataclass
class Html:
    """Markup inserted as it is: ONLY markup the portal already made safe
    (e.g. a letter template through ``portal_transforms``' safe_html)."""

    markup: str
    kind = "html"


@dataclass
class Section:
    """A part of the document: a heading (``<h2>``) and its blocks."""

    heading: object
    blocks: list = field(default_factory=list)


def paragraphs(text):
    """``Paragraph`` blocks of a text whose paragraphs are separated by
    blank lines (a letter)."""
    parts = re.split(r"\n\s*\n", str(text or "").replace("\r\n", "\n").strip())
    return [Paragraph(part) for part in parts if part.strip()]


def _no_site():
    """The errors of plone.api without a site (the benchmark alone)."""
    from plone.api.exc import CannotGetPortalError
    from zope.interface.interfaces import ComponentLookupError

    return (CannotGetPortalError, ComponentLookupError)


def language():
    """The site's language (« fr »)."""
    from plone import api

    try:
        found = api.portal.get_default_language()
    except _no_site():
        found = None
    return (found or "fr").split("-")[0]


def translator(target_language):
    from zope.i18n import translate as zope_translate
    from zope.i18nmessageid import Message

    def translate(value):
        if value is None:
            return ""
        if isinstance(value, Message):
            return zope_translate(value, target_language=target_language)
        return str(value)

    return translate


def _chameleon_translate(target_language):
    from zope.i18n import translate as zope_translate

    def translate(msgid, domain=None, mapping=None, context=None, **kwargs):
        return zope_translate(
            msgid,
            domain=domain or DOMAIN,
            mapping=mapping,
            target_language=target_language,
            default=kwargs.get("default"),
        )

    return translate


_templates = {}


def template():
    """The page template ``TEMPLATES/document.pt`` (compiled once)."""
    path = str(TEMPLATES / "document.pt")
    if path not in _templates:
        _templates[path] = chameleon.PageTemplateFile(path)
    return _templates[path]


def css_string(text):
    """``text`` as a CSS string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    # Never the end of the <style> element it is written in.
    escaped = escaped.replace("<", "\\3c ")
    return f'"{escaped}"'


def page_number_content(translate):
    """The CSS ``content`` of « Page 1 sur 2 »: the translated message with
    its placeholders as the page counters."""
    text = translate(
        _("pdf_page_number", default="Page ${page} of ${pages}"),
    )
    parts = re.split(r"(\$\{page\}|\$\{pages\})", text)
    content = []
    for part in parts:
        if part == "${page}":
            content.append("counter(page)")
        elif part == "${pages}":
            content.append("counter(pages)")
        elif part:
            content.append(css_string(part))
    return " ".join(content)


def site_logo():
    """Plone's « Site logo » as a data URI, or None (none uploaded, or not
    an image a PDF can show)."""
    from plone import api

    try:
        value = api.portal.get_registry_record("plone.site_logo", default=None)
    except _no_site():
        return None
    if not value:
        return None
    from plone.formwidget.namedfile.converter import b64decode_file

    try:
        filename, data = b64decode_file(value)
    except (ValueError, TypeError):  # not what Plone's widget stores
        return None
    content_type = mimetypes.guess_type(filename or "")[0]
    if content_type not in LOGO_TYPES or not data:
        return None
    return f"data:{content_type};base64," + base64.b64encode(data).decode("ascii")


def site_town_name():
    """The town's name (« Espace citoyen » settings)."""
    try:
        return town.name()
    except _no_site():
        return town.DEFAULT_NAME


def heading(kind, number, date, town_name=None):
    """What a document states in its heading and the public verification
    page may show (``IssuedDocument.heading``): the same values as
    ``document_html`` prints (``kind`` translated)."""
    translate = translator(language())
    return {
        "kind": translate(kind),
        "number": str(number),
        "date": str(date),
        "town": town_name if town_name is not None else site_town_name(),
    }


def document_html(
    kind_title,
    *,
    number,
    date,
    sections,
    code,
    verify_url,
    details=(),
    town_name=None,
    logo=None,
    target_language=None,
):
    """The HTML of an official document (see the module's docstring).

    ``kind_title``: the kind of document (« Récépissé de dépôt »);
    ``number``: the request's number or the payment's reference;
    ``date``: the date of the event, as printed; ``details``: more
    ``(label, value)`` lines of the heading block (service, requester);
    ``sections``: ``Section``s; ``code``: the verification code (as
    ``store.new_code`` makes it); ``verify_url``: the public verification
    URL of the code. ``town_name``, ``logo`` (a data URI or None) and
    ``target_language`` default to the site's.
    """
    target_language = target_language or language()
    translate = translator(target_language)
    name = town_name if town_name is not None else site_town_name()
    if logo is None:
        logo = site_logo()
    kind = translate(kind_title)
    from illkirch.eservices.official_documents import store

    display = store.display_code(code)
    title = translate(
        _(
            "pdf_document_title",
            default="${kind} no. ${number}",
            mapping={"kind": kind, "number": number},
        )
    )
    sections = [
        {
            "heading": translate(section.heading),
            "blocks": [_block(block, translate) for block in section.blocks],
        }
        for section in sections
    ]
    css = (TEMPLATES / "document.css").read_text(encoding="utf-8")
    page_css = (
        "@page { @bottom-right { content: " + page_number_content(translate) + "; } }"
    )
    return template()(
        translate=_chameleon_translate(target_language),
        target_language=target_language,
        lang=target_language,
        title=title,
        kind=kind,
        number=str(number),
        date=str(date),
        town=name,
        logo=logo,
        logo_alt=translate(
            _("pdf_logo_alt", default="Logo of ${town}", mapping={"town": name})
        ),
        details=[(translate(label), translate(value)) for label, value in details],
        sections=sections,
        code=display,
        verify_url=verify_url,
        qr=pdf.qr_data_uri(verify_url),
        qr_alt=translate(
            _(
                "pdf_qr_alt",
                default="Verification QR code: ${url}",
                mapping={"url": verify_url},
            )
        ),
        # The town's style sheet after the package's, the footer's guard
        # last (style.py).
        style="\n".join((css, style.editor_css(), page_css, style.guard_css())),
    )


def _block(block, translate):
    if block.kind == "paragraph":
        return {"kind": "paragraph", "lines": translate(block.text).splitlines()}
    if block.kind == "definitions":
        return {
            "kind": "definitions",
            "items": [
                (translate(term), translate(value)) for term, value in block.items
            ],
        }
    if block.kind == "table":
        return {
            "kind": "table",
            "caption": translate(block.caption) if block.caption else "",
            "headers": [translate(cell) for cell in block.headers],
            "rows": [[translate(cell) for cell in row] for row in block.rows],
            "footer": [translate(cell) for cell in block.footer or ()],
            "numeric": set(block.numeric),
        }
    if block.kind == "html":
        return {"kind": "html", "markup": block.markup}
    raise ValueError(f"unknown block {block!r}")


def render_document(kind_title, **kwargs):
    """The PDF (bytes) of ``document_html(kind_title, **kwargs)``: inside an
    ``@pdf.issuing_task`` only (``pdf.render``)."""
    return pdf.render(document_html(kind_title, **kwargs))

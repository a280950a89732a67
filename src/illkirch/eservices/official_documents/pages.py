"""The HTML of the receipts and decisions, until the shared layout
(``layout.py``) is merged: a body of sections, wrapped by ``_page`` in a
minimal valid page (``<html lang="fr">``, its ``<title>``) with the
document's verification code and the QR code of its verification URL.

A section is a tuple:

- ``("h2", text)``: a heading;
- ``("p", text)``: a paragraph (its line ends kept);
- ``("dl", [(term, definition), …])``: a list of terms (the answers);
- ``("table", caption, [header, …], [[cell, …], …])``: a table (the
  documents received; ``caption`` None when a heading precedes it).

Every text is escaped here: answers, names and the letters' texts are never
HTML.
"""

from html import escape
from illkirch.eservices import _
from illkirch.eservices import mail
from illkirch.eservices import town
from illkirch.eservices import urls
from illkirch.eservices.official_documents import pdf
from illkirch.eservices.official_documents import store
from zope.globalrequest import getRequest
from zope.i18nmessageid import Message


VERIFICATION_CODE = _("document_verification_code", default="Verification code")
VERIFY_AT = _(
    "document_verify_at",
    default="Anyone may check that this document is authentic at ${url} "
    "(or by scanning the QR code) with its verification code.",
)
QR_ALT = _(
    "document_qr_alt",
    default="QR code of the verification address of this document: ${url}",
)


def text(message, mapping=None):
    """A message in the site's language (French)."""
    if mapping is not None:
        message = Message(message, mapping=mapping)
    return mail._text(message, getRequest())


def verify_url(code):
    return urls.public_url(suffix=f"/@@verifier/{code}")


def _multiline(value):
    return "<br>".join(escape(line) for line in str(value).split("\n"))


def _section(section):
    kind = section[0]
    if kind == "h2":
        return f"<h2>{escape(section[1])}</h2>"
    if kind == "p":
        return f"<p>{_multiline(section[1])}</p>"
    if kind == "dl":
        items = "".join(
            f"<dt>{escape(term)}</dt><dd>{_multiline(definition)}</dd>"
            for term, definition in section[1]
        )
        return f"<dl>{items}</dl>"
    if kind == "table":
        _kind, caption, headers, rows = section
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>"
            for row in rows
        )
        caption = f"<caption>{escape(caption)}</caption>" if caption else ""
        return (
            f"<table>{caption}"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )
    raise ValueError(f"unknown section {kind!r}")


STYLE = """
@page { size: A4; margin: 20mm 18mm; }
body { font-family: sans-serif; font-size: 11pt; color: #000; line-height: 1.4; }
h1 { font-size: 18pt; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 5mm 0 2mm; border-bottom: 1px solid #000; }
dl { margin: 0; }
dt { font-weight: bold; margin-top: 1.5mm; }
dd { margin: 0 0 0 6mm; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: bold; margin-bottom: 2mm; }
th, td { border: 1px solid #000; padding: 1mm 2mm; text-align: left; }
.town { font-size: 14pt; font-weight: bold; margin: 0 0 6mm; }
.verification { margin-top: 8mm; page-break-inside: avoid;
  border-top: 1px solid #000; padding-top: 3mm; }
.verification img { width: 30mm; height: 30mm; float: right; }
"""


def _page(title, sections, code):
    """The whole page of a document: the town, ``title`` as its heading,
    ``sections``, then its verification ``code`` and QR code. (The shared
    layout replaces this function at merge.)"""
    url = verify_url(code)
    town_name = town.name()
    body = "\n".join(_section(section) for section in sections)
    verification = (
        '<div class="verification">'
        f'<img src="{pdf.qr_data_uri(url)}" '
        f'alt="{escape(text(QR_ALT, {"url": url}))}">'
        f"<p><strong>{escape(text(VERIFICATION_CODE))}</strong> : "
        f"{escape(store.display_code(code))}</p>"
        f"<p>{escape(text(VERIFY_AT, {'url': url}))}</p>"
        "</div>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)} — {escape(town_name)}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<p class="town">{escape(town_name)}</p>\n'
        f"<h1>{escape(title)}</h1>\n{body}\n{verification}\n</body>\n</html>\n"
    )

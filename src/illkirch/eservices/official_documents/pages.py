"""The body of the receipts and decisions as simple sections, put into the
shared layout (``layout.py``: the town, the heading block, the
verification code and its QR code) by ``_page``.

A section is a tuple:

- ``("h2", text)``: a heading;
- ``("p", text)``: a paragraph (its line ends kept);
- ``("dl", [(term, definition), …])``: a list of terms (the answers);
- ``("table", caption, [header, …], [[cell, …], …])``: a table (the
  documents received; ``caption`` None when a heading precedes it).

Every text is escaped by the layout's template: answers, names and the
letters' texts are never HTML.
"""

from illkirch.eservices import mail
from illkirch.eservices import urls
from illkirch.eservices.official_documents import layout
from zope.globalrequest import getRequest
from zope.i18nmessageid import Message


def text(message, mapping=None):
    """A message in the site's language (French)."""
    if mapping is not None:
        message = Message(message, mapping=mapping)
    return mail._text(message, getRequest())


def verify_url(code):
    return urls.public_url(suffix=f"/@@verifier/{code}")


def blocks(sections):
    """``layout.Section``s of the sections above: each heading opens a
    section; what comes before the first heading is a section without one."""
    result = [layout.Section(None, [])]
    for section in sections:
        kind = section[0]
        if kind == "h2":
            result.append(layout.Section(section[1], []))
        elif kind == "p":
            result[-1].blocks.append(layout.Paragraph(section[1]))
        elif kind == "dl":
            result[-1].blocks.append(layout.Definitions(list(section[1])))
        elif kind == "table":
            _kind, caption, headers, rows = section
            result[-1].blocks.append(layout.Table(headers, rows, caption=caption))
        else:
            raise ValueError(f"unknown section {kind!r}")
    return [s for s in result if s.heading or s.blocks]


def _page(title, sections, code, number="", date=""):
    """The whole page of a document in the shared layout (``layout.py``):
    the town, ``title`` as its kind, ``number`` and ``date`` in its heading
    block, ``sections``, then its verification ``code`` and QR code."""
    return layout.document_html(
        title,
        number=number,
        date=date,
        sections=blocks(sections),
        code=code,
        verify_url=verify_url(code),
    )

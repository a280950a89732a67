"""Rendering of official documents: HTML to a tagged PDF (PDF/UA-1) with
WeasyPrint, and the QR code of a verification URL (segno).

Never in a citizen's web request: a PDF takes tens of milliseconds to
hundreds, so documents are made by background jobs only. The rule, for the
modules that issue documents (receipts, decisions, certificates)::

    from illkirch.eservices import jobs
    from illkirch.eservices.official_documents import layout
    from illkirch.eservices.official_documents import pdf

    @pdf.issuing_task(retries=5, retry_delay=60)   # instead of @jobs.task
    def issue_receipt(request_uid):
        '''Idempotent: ...'''
        data = layout.render_document(kind, number=..., date=..., sections=...,
                                      code=code, verify_url=url)
        store.add(obj, store.IssuedDocument(RECEIPT, filename, data,
                  layout.heading(kind, number, date), code), code)

    jobs.enqueue(issue_receipt, uid)               # from the web request

``issuing_task`` registers the function as ``jobs.task`` does (same name,
same retries) and marks the time it runs; ``render`` raises
``RuntimeError("PDF rendering outside a background job")`` when called
anywhere else. In the test layers jobs run eagerly inside the asking
request (``jobs`` EAGER mode): the mark still tells the task from the
request, and ``RENDERS`` counts the documents rendered (the tests compare
it before and after a web request with the queue not eager:
``testing/pdfs.py``).

One web page lifts the guard on purpose: « Aperçu des documents officiels (PDF) »
(``controlpanel/preview.py``, ``@@apercu-documents``) renders a sample
document with the town's style sheet inside ``with pdf.issuing():``. It is
no citizen's request (whose answer must never wait for a PDF) but an
explicit preview asked for by the people who may change the settings (the
control panel's permission, Managers and Site Administrators); it stores
nothing. Any other page or REST service that renders is a bug.

``render`` fetches nothing over the network nor from the server's files:
only ``data:`` URIs are read (the logo, the QR code); the fonts are the
system's (fontconfig).
"""

from illkirch.eservices import jobs

import base64
import contextvars
import functools
import io
import segno


_ISSUING = contextvars.ContextVar("illkirch_eservices_issuing", default=False)
# Documents rendered by this process (read by the tests and the benchmark).
RENDERS = {"count": 0}
GUARD_MESSAGE = "PDF rendering outside a background job"


def issuing_task(*, retries=5, retry_delay=60):
    """``jobs.task`` for the tasks that render documents: the function runs
    with the mark that lets it call ``render``."""

    def register(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            with issuing():
                return func(*args, **kwargs)

        return jobs.task(retries=retries, retry_delay=retry_delay)(run)

    return register


class issuing:
    """The mark ``render`` checks, for the body of ``issuing_task``s and
    for what is no web request at all (the benchmark, a command line
    script): ``with pdf.issuing(): pdf.render(html)``."""

    def __enter__(self):
        self.token = _ISSUING.set(True)
        return self

    def __exit__(self, *exc):
        _ISSUING.reset(self.token)
        return False


def in_issuing():
    """Whether ``render`` may run here."""
    return _ISSUING.get()


def qr_data_uri(url):
    """A PNG data URI of the QR code of ``url`` (black on white, printable)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=4)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def url_fetcher():
    """WeasyPrint's fetcher limited to ``data:`` URIs (fonts come from
    fontconfig): a document never reads the network nor the server's files,
    and a resource that cannot be read stops the rendering (no document
    without its QR code)."""
    import weasyprint

    return weasyprint.URLFetcher(allowed_protocols=("data",), fail_on_errors=True)


def render(html, base_url=None):
    """The PDF (bytes) of an HTML document: PDF/UA-1 (tagged, its
    ``<html lang>`` as the document's language, its ``<title>`` shown as the
    window's title), fonts embedded. Only inside an ``issuing_task`` (or
    ``with issuing()``): RuntimeError elsewhere. ValueError when the HTML
    asks for a resource that is not a ``data:`` URI."""
    if not in_issuing():
        raise RuntimeError(GUARD_MESSAGE)
    from weasyprint.urls import FatalURLFetchingError

    import weasyprint  # its C libraries load on first use only

    try:
        data = weasyprint.HTML(
            string=html, base_url=base_url, url_fetcher=url_fetcher()
        ).write_pdf(pdf_variant="pdf/ua-1")
    except FatalURLFetchingError as error:
        # A BaseException for WeasyPrint: an ordinary error for the job.
        raise ValueError(str(error)) from error
    RENDERS["count"] += 1
    return data

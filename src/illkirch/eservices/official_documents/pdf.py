"""Rendering of official documents: HTML to a tagged PDF (PDF/UA-1) with
WeasyPrint, and the QR code of a verification URL (segno)."""

import base64
import io
import segno


def qr_data_uri(url):
    """A PNG data URI of the QR code of ``url`` (black on white, printable)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=4)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def render(html, base_url=None):
    """The PDF (bytes) of an HTML document: PDF/UA-1 (tagged, its
    ``<html lang>`` as the document's language, its ``<title>``), fonts
    embedded."""
    import weasyprint  # its C libraries load on first use only

    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(
        pdf_variant="pdf/ua-1"
    )

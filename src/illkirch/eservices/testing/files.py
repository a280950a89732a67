"""Sample files for the tests of supporting documents: real minimal PDF,
PNG and JPEG files built in memory."""

from io import BytesIO


def image(fmt, size=(4, 3)):
    """A small real image in ``fmt`` ("PNG", "JPEG")."""
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, format=fmt)
    return buffer.getvalue()


def pdf(padding=0, comment=b""):
    """A minimal valid PDF (one empty page); ``padding`` bytes of comment
    are added before the trailer's %%EOF; ``comment`` (bytes without a line
    break) is a comment line after the header."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    if comment:
        out += b"%" + comment + b"\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n" % (
        len(objects) + 1,
        xref,
    )
    if padding:
        out += b"%" + b"x" * (padding - 2) + b"\n"
    out += b"%%EOF\n"
    return bytes(out)


def pdf_of_size(size):
    base = len(pdf())
    data = pdf(padding=size - base)
    assert len(data) == size
    return data


def infected_pdf():
    """A valid PDF (it passes the type check) carrying the EICAR test string
    in a comment: what the project's clamd signature finds (#21)."""
    from illkirch.eservices.antivirus.signatures import EICAR

    return pdf(comment=EICAR)


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
    b'width="10" height="10"><script>alert(1)</script></svg>'
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

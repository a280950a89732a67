"""Reading the official documents' PDFs in the tests (#18): what they
say, their PDF/UA marks, their fonts and their QR codes.

    from illkirch.eservices.testing.pdfs import read_pdf

    document = read_pdf(data)
    assert "2026-00042" in document.text
    assert document.is_tagged and document.marked and document.lang == "fr"
    assert document.fonts_embedded
    assert document.qr_codes == [verify_url]

and ``counting_renders()`` to prove where documents are rendered.
"""

from dataclasses import dataclass
from dataclasses import field
from illkirch.eservices.official_documents import pdf
from illkirch.eservices.official_documents import samples

import contextlib
import io


@dataclass
class PdfFacts:
    text: str
    is_tagged: bool  # a StructTreeRoot
    marked: bool  # MarkInfo Marked true
    lang: str | None  # the catalog's /Lang
    title: str | None  # the document information's /Title
    display_doc_title: bool  # ViewerPreferences DisplayDocTitle
    fonts: list  # base font names
    fonts_embedded: bool  # every font has a FontFile, FontFile2 or 3
    qr_codes: list  # the decoded texts of the QR codes of its images
    media_boxes: list  # (width, height) in points, per page
    pages: int
    page_texts: list = field(default_factory=list)
    struct_types: set = field(default_factory=set)  # /S of the tags
    alt_texts: list = field(default_factory=list)  # /Alt of the tags


def _fonts(resources, found, seen):
    """(name, embedded) of every font of ``resources`` (and its forms)."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) in seen:
            continue
        seen.add(id(font))
        descendants = font.get("/DescendantFonts")
        targets = [d.get_object() for d in descendants] if descendants else [font]
        for target in targets:
            if target.get("/Subtype") == "/Type3":
                found.append((str(target.get("/BaseFont", "Type3")), True))
                continue
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found.append((str(target.get("/BaseFont")), embedded))
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            _fonts(xobject.get("/Resources"), found, seen)


def _tags(node, types, alts, depth=0):
    if depth > 200:
        return
    node = node.get_object()
    if isinstance(node, dict):
        if "/S" in node:
            types.add(str(node["/S"]).lstrip("/"))
        if "/Alt" in node:
            alts.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is None:
            return
        kids = kids.get_object()
        if not isinstance(kids, list):
            kids = [kids]
        for kid in kids:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                _tags(kid, types, alts, depth + 1)


def decode_qr_codes(reader):
    """The texts of the QR codes found in the images of every page."""
    import zxingcpp

    texts = []
    seen = set()
    for page in reader.pages:
        for image in page.images:
            # An image shared by the pages' resources is decoded once.
            reference = image.indirect_reference
            key = (reference.idnum, reference.generation) if reference else id(image)
            if key in seen:
                continue
            seen.add(key)
            picture = image.image.convert("L")
            for result in zxingcpp.read_barcodes(picture):
                if result.format == zxingcpp.BarcodeFormat.QRCode:
                    texts.append(result.text)
    return texts


def read_pdf(data):
    """``PdfFacts`` of a PDF's bytes (pypdf; QR codes with zxing-cpp)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"].get_object()
    mark_info = root.get("/MarkInfo")
    mark_info = mark_info.get_object() if mark_info else {}
    preferences = root.get("/ViewerPreferences")
    preferences = preferences.get_object() if preferences else {}
    fonts, seen = [], set()
    for page in reader.pages:
        _fonts(page.get("/Resources"), fonts, seen)
    types, alts = set(), []
    if "/StructTreeRoot" in root:
        _tags(root["/StructTreeRoot"], types, alts)
    page_texts = [page.extract_text() or "" for page in reader.pages]
    metadata = reader.metadata or {}
    return PdfFacts(
        text="\n".join(page_texts),
        is_tagged="/StructTreeRoot" in root,
        marked=bool(mark_info.get("/Marked")),
        lang=str(root["/Lang"]) if "/Lang" in root else None,
        title=metadata.get("/Title"),
        display_doc_title=bool(preferences.get("/DisplayDocTitle")),
        fonts=[name for name, _ in fonts],
        fonts_embedded=bool(fonts) and all(embedded for _, embedded in fonts),
        qr_codes=decode_qr_codes(reader),
        media_boxes=[
            (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
            for page in reader.pages
        ],
        pages=len(reader.pages),
        page_texts=page_texts,
        struct_types=types,
        alt_texts=alts,
    )


@contextlib.contextmanager
def counting_renders():
    """``with counting_renders() as renders:`` … ``renders()``: the number
    of PDFs rendered by this process inside the block so far."""
    start = pdf.RENDERS["count"]
    yield lambda: pdf.RENDERS["count"] - start


# The sample documents moved to official_documents/samples.py (the
# editors' preview uses them); the names stay importable from here.
SAMPLES = samples.SAMPLES
sample_html = samples.sample_html
receipt_sample = samples.receipt_sample
decision_sample = samples.decision_sample
certificate_sample = samples.certificate_sample


@pdf.issuing_task(retries=0)
def issue_sample(kind, code, verify_url):
    """Idempotent: renders the sample of ``kind`` (the tests count the
    renders and where they happen) and returns its PDF."""
    return pdf.render(sample_html(kind, code, verify_url))

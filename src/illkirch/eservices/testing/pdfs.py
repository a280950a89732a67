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
from illkirch.eservices import money
from illkirch.eservices.official_documents import layout
from illkirch.eservices.official_documents import pdf

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


# Sample documents of the three kinds, as their modules will give them to
# the layout (the tests and ``benchmarks/official_documents.py``).


def receipt_sample(answers=15):
    """A filing receipt: service, requester, ``answers`` answers, the
    documents received."""
    return {
        "kind_title": "Récépissé de dépôt",
        "number": "2026-00042",
        "date": "27/11/2026 08:17",
        "details": [
            ("Service", "Occupation du domaine public"),
            ("Demandeur", "Camille Martin"),
        ],
        "sections": [
            layout.Section(
                "Vos réponses",
                [
                    layout.Definitions(
                        [
                            (
                                f"Question {n} du formulaire",
                                f"Réponse {n}\nsur deux lignes",
                            )
                            for n in range(1, answers + 1)
                        ]
                    )
                ],
            ),
            layout.Section(
                "Documents reçus",
                [
                    layout.Table(
                        ["Document", "Taille"],
                        [["plan-de-situation.pdf", "245 ko"], ["photo.jpg", "1,2 Mo"]],
                        numeric=(1,),
                    )
                ],
            ),
        ],
    }


def decision_sample():
    """A decision letter of a few paragraphs."""
    letter = "\n\n".join(
        [
            "Madame, Monsieur,",
            "Votre demande n° 2026-00042 du 27/11/2026 a été examinée par le "
            "service Occupation du domaine public.",
            "Nous avons le plaisir de vous informer qu'elle est acceptée. " * 4,
            "Vous pouvez répondre à ce courrier depuis votre espace citoyen.",
            "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.",
        ]
    )
    return {
        "kind_title": "Décision",
        "number": "2026-00042",
        "date": "02/12/2026",
        "details": [("Service", "Occupation du domaine public")],
        "sections": [
            layout.Section("Décision : demande acceptée", layout.paragraphs(letter)),
            layout.Section(
                "Auteur de la décision",
                [
                    layout.Definitions(
                        [
                            ("Nom", "Dominique Bernard"),
                            ("Qualité", "Agent instructeur"),
                            ("Service", "Occupation du domaine public"),
                        ]
                    )
                ],
            ),
        ],
    }


def certificate_sample(invoices=5):
    """A payment certificate of ``invoices`` invoices and their total."""
    amounts = [1000 * n + 50 for n in range(1, invoices + 1)]
    rows = [
        [f"F-2026-{n:05d}", f"Cantine novembre — enfant {n}", money.euros(cents)]
        for n, cents in enumerate(amounts, start=1)
    ]
    return {
        "kind_title": "Attestation de paiement",
        "number": "PAY-7F3A2C",
        "date": "03/12/2026 10:12",
        "details": [("Régie", "Restauration scolaire")],
        "sections": [
            layout.Section(
                "Factures payées",
                [
                    layout.Table(
                        ["Facture", "Objet", "Montant"],
                        rows,
                        caption="Factures réglées par ce paiement",
                        footer=["Total", "", money.euros(sum(amounts))],
                        numeric=(2,),
                    ),
                    layout.Definitions([("Référence bancaire", "PAYFIP-0099887766")]),
                ],
            )
        ],
    }


SAMPLES = {
    "receipt": receipt_sample,
    "decision": decision_sample,
    "payment_certificate": certificate_sample,
}


def sample_html(kind, code, verify_url, **options):
    """The HTML of the sample of ``kind`` (``SAMPLES``)."""
    sample = SAMPLES[kind](**options)
    kind_title = sample.pop("kind_title")
    return layout.document_html(kind_title, code=code, verify_url=verify_url, **sample)


@pdf.issuing_task(retries=0)
def issue_sample(kind, code, verify_url):
    """Idempotent: renders the sample of ``kind`` (the tests count the
    renders and where they happen) and returns its PDF."""
    return pdf.render(sample_html(kind, code, verify_url))

"""The official documents' figures (issue #18, docs/documents.md): the time
to generate one PDF of each kind, median over ``--documents`` documents.

    .venv/bin/python benchmarks/official_documents.py [--documents 50]

Each document is generated as the issuing job does it: the layout's HTML
from the kind's data (``official_documents/layout.py``, the samples of
``testing/pdfs.py``: a filing receipt with 15 answers and 2 documents, a
decision letter, a payment certificate of 5 invoices), then WeasyPrint's
tagged PDF (``pdf.render``), its QR code included. One document of each
kind is rendered first, not timed (WeasyPrint loads its libraries and
fonts). No site is needed: the layout's texts come from the add-on's
compiled French catalog, the town's name is the default one, no logo.
``benchmarks/run.py`` calls ``measure`` after the background jobs
(``--pdf-documents``; ``--only pdf`` runs this alone).
"""

from pathlib import Path
from progress import log
from stats import stats

import argparse
import sys
import time


KINDS = ("receipt", "decision", "payment_certificate")
LABELS = {
    "receipt": "filing receipt (15 answers, 2 documents)",
    "decision": "decision letter",
    "payment_certificate": "payment certificate (5 invoices)",
}
_catalogs = []


def load_catalogs():
    """The add-on's translations (its .mo files), as Zope would register
    them, when no site runs (once)."""
    from zope.component import queryUtility
    from zope.i18n.interfaces import ITranslationDomain

    if _catalogs or queryUtility(ITranslationDomain, "illkirch.eservices"):
        return
    from zope.configuration import xmlconfig

    import illkirch.eservices

    locales = Path(illkirch.eservices.__file__).parent / "locales"
    xmlconfig.string(
        '<configure xmlns="http://namespaces.zope.org/zope"'
        ' xmlns:i18n="http://namespaces.zope.org/i18n">'
        '<include package="zope.i18n" file="meta.zcml" />'
        f'<i18n:registerTranslations directory="{locales}" />'
        "</configure>"
    )
    _catalogs.append(locales)


def generate(kind, code, url):
    """One document of ``kind``: its HTML, then its PDF."""
    from illkirch.eservices.official_documents import pdf
    from illkirch.eservices.testing import pdfs

    return pdf.render(pdfs.sample_html(kind, code, url))


def measure(count=50):
    """``{kind: {"stats": milliseconds' stats, "pages", "bytes"}}``."""
    from illkirch.eservices.official_documents import pdf
    from illkirch.eservices.official_documents import store
    from illkirch.eservices.testing.pdfs import read_pdf

    load_catalogs()
    result = {}
    with pdf.issuing():  # a benchmark, not a web request
        for kind in KINDS:
            code = store.new_code()
            url = f"https://eservices.illkirch.example/@@verifier/{code}"
            data = generate(kind, code, url)  # warm-up, not timed
            facts = read_pdf(data)
            if facts.qr_codes != [url] or not facts.is_tagged:
                raise RuntimeError(f"the {kind} sample is not a valid document")
            times = []
            for _ in range(count):
                started = time.perf_counter()
                generate(kind, code, url)
                times.append((time.perf_counter() - started) * 1000)
            result[kind] = {
                "stats": stats(times),
                "pages": facts.pages,
                "bytes": len(data),
            }
    return result


def print_result(result):
    for kind in KINDS:
        figures = result[kind]["stats"]
        log(
            f"PDF generation, {LABELS[kind]}: median {figures['median']:.0f} ms, "
            f"p95 {figures['p95']:.0f} ms over {figures['n']} documents "
            f"({result[kind]['pages']} page(s), {result[kind]['bytes'] / 1024:.0f} KiB)"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=50)
    args = parser.parse_args(argv)
    print_result(measure(args.documents))
    return 0


if __name__ == "__main__":
    sys.exit(main())

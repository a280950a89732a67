"""« Aperçu des documents officiels (PDF) » (Site Setup,
``@@apercu-documents``): a sample official document (#18) rendered as PDF
with the town's saved style sheet (« Feuille de style des documents
officiels »), for the editors who restyle the documents.

The documents are rendered by background jobs only (``pdf.py``): a
citizen's web request never waits for a PDF. This page is the one exception,
and lifts the guard with ``with pdf.issuing():`` on purpose: it is no
citizen's request but an editor's explicit preview, asked for by the people
who may change the settings (the control panel's permission, « illkirch.
eservices: Manage settings »: Managers and Site Administrators), one document
at a time. Nothing is stored, no code is registered: the sample's code is not
a document's, and its verification page says « inconnu ».
"""

from illkirch.eservices import _
from illkirch.eservices import urls
from illkirch.eservices.official_documents import pdf
from illkirch.eservices.official_documents import samples
from plone.base.utils import safe_text
from Products.Five.browser import BrowserView
from zope.i18n import translate


# Not a code any document has (store.ALPHABET never makes it: no « 0 »).
PREVIEW_CODE = "APER" + "0" * 12
FILENAMES = {
    "receipt": "apercu-recepisse.pdf",
    "decision": "apercu-decision.pdf",
    "payment_certificate": "apercu-attestation-paiement.pdf",
}


class DocumentPreview(BrowserView):
    """``?kind=receipt`` (default), ``decision`` or ``payment_certificate``."""

    def __call__(self):
        kind = safe_text(self.request.form.get("kind", "receipt"))
        if kind not in samples.SAMPLES:
            kind = "receipt"
        number = translate(
            _("pdf_preview_number", default="PREVIEW"), context=self.request
        )
        html = samples.sample_html(
            kind,
            PREVIEW_CODE,
            urls.public_url(suffix=f"/@@verifier/{PREVIEW_CODE}"),
            number=number,
        )
        # An editor's explicit preview, not a citizen's request (see above).
        with pdf.issuing():
            data = pdf.render(html)
        response = self.request.response
        response.setHeader("Content-Type", "application/pdf")
        response.setHeader(
            "Content-Disposition", f'inline; filename="{FILENAMES[kind]}"'
        )
        response.setHeader("Cache-Control", "no-store")
        return data

"""« Vérifier un document » (``/@@verifier``, ``/@@verifier/<code>``,
public): whether an official document is authentic, from its code (typed,
or the QR code's URL) and, sent with the code, whether a PDF is byte for
byte the one issued. ``official_documents.verification`` holds the rules
(what is shown, the same answer and time for an unknown code, the rate
limit per client address, the file's checks)."""

from illkirch.eservices import _
from illkirch.eservices.browser.form_field import summary_error
from illkirch.eservices.dates import format_date
from illkirch.eservices.limits import client_address
from illkirch.eservices.official_documents import verification
from plone.protect import CheckAuthenticator
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import NotFound
from zope.i18n import translate
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

import datetime


AUTHENTIC = _("heading_verify_authentic", default="Authentic document")
UNKNOWN = _("heading_verify_unknown", default="Unknown document")
IDENTICAL = _("title_verify_identical", default="Identical file")
DIFFERENT = _("title_verify_different", default="Different file")


@implementer(IPublishTraverse)
class VerifyDocument(BrowserView):
    index = ViewPageTemplateFile("templates/verification.pt")
    form_macros = ViewPageTemplateFile("templates/form_macros.pt")
    page_title = _("heading_verify_document", default="Verify a document")

    path_code = None
    result = None
    error = None
    error_field = ""

    def publishTraverse(self, request, name):
        if self.path_code is not None:
            raise NotFound(name)
        self.path_code = name
        return self

    def __call__(self):
        # Each verification is counted (the rate limit per client address),
        # also on a GET: the QR code's link.
        alsoProvides(self.request, IDisableCSRFProtection)
        self.request.response.setHeader("Cache-Control", "no-store")
        form = self.request.form
        code = self.path_code if self.path_code is not None else form.get("code")
        self.code = str(code or "").strip()[:40]
        address = client_address(self.request)
        try:
            if self.request.method == "POST":
                CheckAuthenticator(self.request)
                self.result = verification.compare(self.code, self.uploaded(), address)
            elif self.code:
                self.result = verification.verify(self.code, address)
        except verification.VerificationRefused as refused:
            self.error = translate(refused.message, context=self.request)
            self.error_field = refused.field
            self.request.response.setStatus(429 if refused.status == 429 else 200)
        return self.index()

    def uploaded(self):
        """The bytes of the file sent (at most one byte over the limit is
        read: the check refuses it)."""
        upload = self.request.form.get("file")
        if not hasattr(upload, "read"):
            return b""
        upload.seek(0)
        return upload.read(verification.max_upload_bytes() + 1)

    def has_errors(self):
        return bool(self.error)

    def title_step(self):
        if not self.result:
            return None
        if "identical" in self.result:
            return IDENTICAL if self.result["identical"] else DIFFERENT
        return AUTHENTIC if self.result["authentic"] else UNKNOWN

    def error_list(self):
        if not self.error:
            return []
        anchor = "upload-file" if self.error_field == "file" else "verify-code"
        return [summary_error(anchor, "", self.error)]

    def file_error(self):
        return self.error if self.error_field == "file" else ""

    def date(self):
        value = (self.result or {}).get("date") or ""
        try:
            return format_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value

    def action(self):
        return f"{self.context.absolute_url()}/@@verifier"

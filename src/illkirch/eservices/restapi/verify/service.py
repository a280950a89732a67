"""``GET /@verify/<code>`` (public): ``{"authentic": true, "kind", "title",
"number", "date", "town"}`` or ``{"authentic": false}``, 200 both, in the
same time; ``POST /@verify/<code>`` with ``{"data": "<base64 PDF>"}``: the
same and ``"identical"``. Past ``PER_ADDRESS`` verifications an hour from
one client address: 429 (``official_documents.verification``)."""

from illkirch.eservices.official_documents import verification
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.traversal import TraversingService
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from zope.interface import alsoProvides

import base64
import binascii


class VerifyService(TraversingService):
    def code(self):
        return str(self.params[0])[:40] if self.params else ""

    def address(self):
        return self.request.getClientAddr() or ""

    def refusal(self, refused):
        if refused.status == 429:
            self.request.response.setHeader("Retry-After", str(verification.HOUR))
            return error_answer(self.request, 429, refused.message)
        return field_errors(self.request, {"data": refused.message})


class VerifyGet(VerifyService):
    def reply(self):
        # Each verification is counted in the database, also on this GET.
        alsoProvides(self.request, IDisableCSRFProtection)
        self.request.response.setHeader("Cache-Control", "no-store")
        try:
            return verification.verify(self.code(), self.address())
        except verification.VerificationRefused as refused:
            return self.refusal(refused)


class VerifyPost(VerifyService):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        encoded = json_body(self.request).get("data")
        try:
            data = base64.b64decode(encoded or "", validate=True)
        except (binascii.Error, TypeError, ValueError):
            data = b"\0"  # not base64: refused as not a PDF (and counted)
        try:
            return verification.compare(self.code(), data, self.address())
        except verification.VerificationRefused as refused:
            return self.refusal(refused)

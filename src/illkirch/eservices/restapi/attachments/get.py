"""``GET <request>/@attachments``: the documents attached to a request;
``GET <request>/@attachments/<id>`` downloads one (its bytes).

View on the request is required (its citizen, the agents of its service's
group). A document not yet found clean by the antivirus (#21: pending,
or refused) is never downloaded: 409 with the reason in French.
"""

from illkirch.eservices.requests import documents
from illkirch.eservices.requests import scanning
from illkirch.eservices.restapi.attachments.resource import attachments_json
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.traversal import TraversingService
from plone.namedfile.utils import stream_data


class AttachmentsGet(TraversingService):
    unavailable = None

    def render(self):
        attachment = self.attachment()
        if attachment is None:
            return super().render()  # the list, or a 404 in JSON
        self.check_permission()
        try:
            scanning.check_available(attachment)
        except scanning.DocumentNotAvailable as refused:
            self.unavailable = refused
            return super().render()  # 409 in JSON
        documents.set_download_headers(self.request.response, attachment)
        return stream_data(attachment.file)

    def attachment(self):
        if len(self.params) != 1:
            return None
        return self.context.attachment(self.params[0])

    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        if self.unavailable is not None:
            return error_answer(
                self.request, self.unavailable.status, self.unavailable.message
            )
        if self.params:
            return error_answer(self.request, 404, NOT_FOUND)
        return attachments_json(self.context)

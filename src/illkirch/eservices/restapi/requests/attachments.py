"""``<request>/@attachments``: the documents attached to a request.

    GET  <request>/@attachments          their list
    GET  <request>/@attachments/<id>     download one (its bytes)
    POST <request>/@attachments          add documents (201 with the list)

View on the request is required (its citizen, the agents of its service's
group). Adding calls ``requests.documents.add``, which says who may add and
when (the citizen, while the request waits for documents) and checks the
files; nothing is stored when one file is refused.
"""

from illkirch.eservices.requests import documents
from illkirch.eservices.restapi.base import TraversingService
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.requests.common import read_documents
from illkirch.eservices.restapi.requests.serialize import attachments_json
from illkirch.eservices.restapi.requests.serialize import attachments_url
from plone.namedfile.utils import stream_data
from plone.restapi.deserializer import json_body

import transaction


class AttachmentsGet(TraversingService):
    def render(self):
        attachment = self.attachment()
        if attachment is None:
            return super().render()  # the list, or a 404 in JSON
        self.check_permission()
        documents.set_download_headers(self.request.response, attachment)
        return stream_data(attachment.file)

    def attachment(self):
        if len(self.params) != 1:
            return None
        return self.context.attachment(self.params[0])

    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        if self.params:
            return error_answer(self.request, 404, NOT_FOUND)
        return attachments_json(self.context)


class AttachmentsPost(TraversingService):
    def reply(self):
        if self.params:
            return error_answer(self.request, 404, NOT_FOUND)
        data = json_body(self.request)
        files, errors = read_documents(data.get("documents"))
        if errors:
            return field_errors(self.request, errors)
        try:
            documents.add(self.context, files)  # Unauthorized: 401
        except documents.DocumentsRefused as refused:
            transaction.doom()
            return field_errors(self.request, refused.errors)
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", attachments_url(self.context))
        return attachments_json(self.context)

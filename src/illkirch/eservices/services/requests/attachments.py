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
from illkirch.eservices.services.base import TraversingService
from illkirch.eservices.services.errors import validation_error
from illkirch.eservices.services.requests.common import CORRECT
from illkirch.eservices.services.requests.common import bad_json
from illkirch.eservices.services.requests.common import not_found
from illkirch.eservices.services.requests.common import read_documents
from illkirch.eservices.services.requests.common import read_json
from illkirch.eservices.services.requests.serialize import attachments_json
from illkirch.eservices.services.requests.serialize import attachments_url
from plone.namedfile.utils import stream_data

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
            return not_found(self.request)
        return attachments_json(self.context)


class AttachmentsPost(TraversingService):
    def reply(self):
        if self.params:
            return not_found(self.request)
        data = read_json(self.request)
        if data is None:
            return bad_json(self.request)
        files, errors = read_documents(data.get("documents"))
        if errors:
            return validation_error(self.request, errors, CORRECT)
        try:
            documents.add(self.context, files)  # Unauthorized: 401
        except documents.DocumentsRefused as refused:
            transaction.doom()
            return validation_error(self.request, refused.errors, CORRECT)
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", attachments_url(self.context))
        return attachments_json(self.context)

"""``POST <request>/@attachments``: add documents to a request (201 with
the list).

View on the request is required (its citizen, the agents of its service's
group). Adding calls ``requests.documents.add``, which says who may add and
when (the citizen, while the request waits for documents) and checks the
files; nothing is stored when one file is refused.
"""

from illkirch.eservices.requests import documents
from illkirch.eservices.restapi.attachments.resource import attachments_json
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.links import attachments_url
from illkirch.eservices.restapi.traversal import TraversingService
from illkirch.eservices.restapi.uploads import read_documents
from plone.restapi.deserializer import json_body

import transaction


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

"""``GET <request>/@messages``: the request's conversation as the current
user may see it (citizens never get the internal notes), with the status
changes' messages, oldest first; ``GET <request>/@messages/<message
id>/<attachment id>`` downloads a message's file (a note's files: agents
only; 409 with the French reason while the antivirus has not found it
clean, #21).

View on the request is required (its citizen, the agents of its service's
group); ``conversation.messages`` decides what each side sees.
"""

from illkirch.eservices.conversation import messages
from illkirch.eservices.requests import documents
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.messages.resource import thread_json
from illkirch.eservices.restapi.traversal import TraversingService
from plone.namedfile.utils import stream_data


class MessagesGet(TraversingService):
    def render(self):
        if len(self.params) == 2:
            self.check_permission()
            attachment = messages.attachment(self.context, *self.params)
            if attachment is not None and messages.download_refusal(attachment) is None:
                documents.set_download_headers(self.request.response, attachment)
                return stream_data(attachment.file)
        return super().render()

    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        if len(self.params) == 2:
            attachment = messages.attachment(self.context, *self.params)
            refusal = attachment and messages.download_refusal(attachment)
            if refusal:
                # « en cours d'analyse » or refused by the antivirus (#21)
                return error_answer(self.request, 409, refusal, "Conflict")
        if self.params or messages.side(self.context) is None:
            return error_answer(self.request, 404, NOT_FOUND)
        return thread_json(self.context, self.request)

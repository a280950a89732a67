"""``POST <request>/@messages``: write a message (201 with it);
``POST <request>/@messages/read``: mark the conversation read by the
current user (200 with ``{"unread": 0, "marked": n}``).

The body of a message: ``{"text", "internal": false, "documents":
[{"filename", "data": base64}]}``, the files decoded as the request's
documents (``restapi.uploads``) and checked by ``conversation.messages``:
400 with the French errors of the fields (nothing stored), 403 when the
citizen may no longer write (a closed request).
"""

from illkirch.eservices import _
from illkirch.eservices.conversation import messages
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.messages.resource import message_json
from illkirch.eservices.restapi.messages.resource import messages_url
from illkirch.eservices.restapi.traversal import TraversingService
from illkirch.eservices.restapi.uploads import read_documents
from plone.restapi.deserializer import json_body

import transaction


INTERNAL_FORMAT = _(
    "error_message_internal_format", default="“internal” must be true or false."
)


class MessagesPost(TraversingService):
    def reply(self):
        if messages.side(self.context) is None:
            return error_answer(self.request, 404, NOT_FOUND)
        if self.params == ["read"]:
            marked = messages.mark_read(self.context)
            return {"unread": messages.unread_count(self.context), "marked": marked}
        if self.params:
            return error_answer(self.request, 404, NOT_FOUND)
        data = json_body(self.request)
        files, errors = read_documents(data.get("documents"))
        internal = data.get("internal", False)
        if not isinstance(internal, bool):
            errors["internal"] = INTERNAL_FORMAT
        text = data.get("text")
        if text is not None and not isinstance(text, str):
            errors["text"] = messages.TEXT_REQUIRED
        if errors:
            return field_errors(self.request, errors)
        try:
            message = messages.post(self.context, text or "", files, internal)
        except messages.ConversationClosed as closed:
            transaction.doom()
            return error_answer(self.request, 403, closed.errors["conversation"])
        except messages.MessageRefused as refused:
            transaction.doom()
            return field_errors(self.request, refused.errors)
        self.request.response.setStatus(201)
        self.request.response.setHeader(
            "Location", f"{messages_url(self.context)}/{message.id}"
        )
        return message_json(self.context, message.id, self.request)

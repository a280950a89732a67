"""``PATCH /@notifications`` with ``{"digest": true|false}``: records the
agent's choice (the page « Mes notifications » alike) and answers the
notifications."""

from illkirch.eservices import _
from illkirch.eservices.requests import digest
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.notifications.resource import representation
from plone import api
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service

import transaction


NOT_A_BOOLEAN = _("error_digest_boolean", default="Answer true or false.")


class NotificationsPatch(Service):
    def reply(self):
        data = json_body(self.request)
        wanted = data.get("digest")
        if not isinstance(wanted, bool):
            transaction.doom()
            return field_errors(self.request, {"digest": NOT_A_BOOLEAN})
        digest.set_wanted(api.user.get_current().getId(), wanted)
        self.request.response.setHeader("Cache-Control", "no-store")
        return representation(self.request)

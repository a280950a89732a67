"""``POST /@account-email`` (logged in: send a confirmation link to the new
address) and ``POST /@account-email/<token>`` (the link: change it)."""

from illkirch.eservices import _
from illkirch.eservices.accounts import credentials
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.traversal import TraversingService
from plone import api
from plone.restapi.deserializer import json_body

import transaction


LINK_INVALID = _(
    "error_email_link",
    default="This link is no longer valid: ask for the change again.",
)


class EmailPost(TraversingService):
    def reply(self):
        data = json_body(self.request)
        if self.params:
            if credentials.confirm_email_change(self.params[0]) is None:
                return field_errors(self.request, {"token": LINK_INVALID})
            self.request.response.setStatus(204)
            return None
        if api.user.is_anonymous():
            self.request.response.setStatus(401)
            return None
        try:
            credentials.request_email_change(
                api.user.get_current(), data.get("password"), data.get("email")
            )
        except credentials.CredentialsError as error:
            transaction.doom()
            return field_errors(self.request, error.errors)
        self.request.response.setStatus(202)
        return None

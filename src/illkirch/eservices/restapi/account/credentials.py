"""``POST /@account-password`` and ``POST /@account-email[/<token>]``."""

from illkirch.eservices import _
from illkirch.eservices.accounts import credentials
from illkirch.eservices.restapi.base import TraversingService
from illkirch.eservices.restapi.errors import field_errors
from plone import api
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service

import transaction


LINK_INVALID = _("error_email_link",
                 default="This link is no longer valid: ask for the change again.")


class PasswordPost(Service):
    def reply(self):
        data = json_body(self.request)
        try:
            credentials.change_password(
                api.user.get_current(), data.get("current_password"),
                data.get("password"), data.get("password_confirm"), self.request)
        except credentials.CredentialsError as error:
            transaction.doom()
            return field_errors(self.request, error.errors)
        self.request.response.setStatus(204)


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
                api.user.get_current(), data.get("password"), data.get("email"))
        except credentials.CredentialsError as error:
            transaction.doom()
            return field_errors(self.request, error.errors)
        self.request.response.setStatus(202)
        return None

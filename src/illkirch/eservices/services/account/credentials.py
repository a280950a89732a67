"""``POST /@account-password`` and ``POST /@account-email[/<token>]``."""

from illkirch.eservices import _
from illkirch.eservices.accounts import credentials
from illkirch.eservices.services.base import TraversingService
from illkirch.eservices.services.base import json_data
from illkirch.eservices.services.errors import validation_error
from plone import api
from plone.restapi.services import Service

import transaction


CORRECT = _("error_registration", default="Please correct the errors.")


class PasswordPost(Service):
    def reply(self):
        data = json_data(self.request)
        try:
            credentials.change_password(
                api.user.get_current(), data.get("current_password"),
                data.get("password"), data.get("password_confirm"), self.request)
        except credentials.CredentialsError as error:
            transaction.doom()
            return validation_error(self.request, error.errors, CORRECT)
        self.request.response.setStatus(204)


class EmailPost(TraversingService):

    def reply(self):
        data = json_data(self.request)
        if self.params:
            if credentials.confirm_email_change(self.params[0]) is None:
                return validation_error(
                    self.request,
                    {"token": _("error_email_link", default="This link is no "
                                "longer valid: ask for the change again.")},
                    CORRECT)
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
            return validation_error(self.request, error.errors, CORRECT)
        self.request.response.setStatus(202)
        return None

"""``POST /@account-password``: change one's password, or choose one
without ``current_password`` for an account made through FranceConnect that
has none yet (``accounts.credentials.change_password``)."""

from illkirch.eservices.accounts import credentials
from illkirch.eservices.restapi.errors import field_errors
from plone import api
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service

import transaction


class PasswordPost(Service):
    def reply(self):
        data = json_body(self.request)
        try:
            credentials.change_password(
                api.user.get_current(),
                data.get("current_password"),
                data.get("password"),
                data.get("password_confirm"),
                self.request,
            )
        except credentials.CredentialsError as error:
            transaction.doom()
            return field_errors(self.request, error.errors)
        self.request.response.setStatus(204)

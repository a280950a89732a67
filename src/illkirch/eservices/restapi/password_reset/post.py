"""``POST /@password-reset`` (ask for a link) and
``POST /@password-reset/<token>`` (set the new password)."""

from illkirch.eservices.accounts import password_reset
from illkirch.eservices.limits import RateLimited
from illkirch.eservices.messages import REQUIRED
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.traversal import TraversingService
from plone.restapi.deserializer import json_body
from zope.i18n import translate

import transaction


class PasswordResetPost(TraversingService):
    def reply(self):
        data = json_body(self.request)
        if not self.params:
            if not (data.get("login") or "").strip():
                return field_errors(self.request, {"login": REQUIRED})
            try:
                password_reset.request_reset(data["login"], self.request)
            except RateLimited as limited:
                return error_answer(self.request, 429, limited.message)
            self.request.response.setStatus(202)
            return {
                "message": translate(password_reset.REQUESTED, context=self.request)
            }
        try:
            password_reset.reset_password(
                self.params[0], data.get("password"), data.get("password_confirm")
            )
        except password_reset.ResetError as error:
            transaction.doom()
            return field_errors(self.request, error.errors)
        self.request.response.setStatus(204)
        return None

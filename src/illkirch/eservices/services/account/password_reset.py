"""``POST /@password-reset`` (ask for a link) and
``POST /@password-reset/<token>`` (set the new password)."""

from illkirch.eservices import _
from illkirch.eservices.accounts import password_reset
from illkirch.eservices.limits import RateLimited
from illkirch.eservices.services.base import TraversingService
from illkirch.eservices.services.base import json_data
from illkirch.eservices.services.errors import validation_error
from zope.i18n import translate

import transaction


class PasswordResetPost(TraversingService):

    def reply(self):
        data = json_data(self.request)
        if not self.params:
            if not (data.get("login") or "").strip():
                return validation_error(
                    self.request,
                    {"login": _("error_required", default="This field is required.")},
                    _("error_registration", default="Please correct the errors."))
            try:
                password_reset.request_reset(data["login"], self.request)
            except RateLimited as limited:
                self.request.response.setStatus(429)
                return {"error": {"type": "TooManyRequests",
                                  "message": translate(limited.message,
                                                       context=self.request)}}
            self.request.response.setStatus(202)
            return {"message": translate(password_reset.REQUESTED, context=self.request)}
        try:
            password_reset.reset_password(self.params[0], data.get("password"),
                                          data.get("password_confirm"))
        except password_reset.ResetError as error:
            transaction.doom()
            return validation_error(self.request, error.errors,
                                    _("error_registration",
                                      default="Please correct the errors."))
        self.request.response.setStatus(204)
        return None

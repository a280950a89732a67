"""``POST /@registration``: the registration of a citizen account over REST.

The same rules, captcha and messages as the registration wizard: both call
``illkirch.eservices.accounts.registration``.
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import registration
from illkirch.eservices.limits import RateLimited
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zope.i18n import translate

import transaction


MEMBERS_FORMAT = _(
    "error_members_format", default="The members must be a list of objects."
)
DONE = _(
    "registration_done",
    default="Your request has been recorded. If the email address is new "
    "to us, your account is created and your identifier has been sent to "
    "it; otherwise that address has received a reminder of its account.",
)


class RegistrationPost(Service):
    """``POST /@registration``: 201 when accepted, 400 with field errors."""

    def reply(self):
        data = json_body(self.request)
        members = data.get("members") or []
        if not isinstance(members, list) or not all(
            isinstance(m, dict) for m in members
        ):
            return field_errors(self.request, {"members": MEMBERS_FORMAT})
        try:
            registration.register(data, self.request)
        except registration.RegistrationError as error:
            transaction.doom()  # nothing of a refused registration is kept
            return field_errors(self.request, error.errors)
        except RateLimited as limited:
            transaction.doom()
            return error_answer(self.request, 429, limited.message)
        self.request.response.setStatus(201)
        return {"message": translate(DONE, context=self.request)}

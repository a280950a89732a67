"""``POST /@franceconnect-completion``: the completion of a first login with
FranceConnect over REST (#20), what the page « Finalisez votre compte »
does: ``completion_token`` (from ``POST /@login-oidc/franceconnect``) and
the form's fields (``email``, the address, ``contact_preference``,
``members``, ``consent``); the account and its household are created by
``franceconnect.register_identity``, as by the page, and the answer is
``{"token": <plone.restapi JWT>}``. 400 with the fields' French errors, 401
for a missing, altered or expired token.
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.accounts import registration
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.franceconnect.get import jwt_token
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service

import transaction


MEMBERS_FORMAT = _(
    "error_members_format", default="The members must be a list of objects."
)
FIELDS = ("email", *registration.ADDRESS_FIELDS, "consent")


class CompletionPost(Service):
    def check_permission(self):
        return True

    def reply(self):
        request = self.request
        request.response.setHeader("Cache-Control", "no-store")
        if not franceconnect.is_enabled():
            return error_answer(request, 404, franceconnect.UNAVAILABLE)
        data = json_body(request)
        token = data.get("completion_token")
        identity = franceconnect.unsigned(token if isinstance(token, str) else "")
        if not identity or "sub" not in identity:
            transaction.doom()
            return error_answer(request, 401, franceconnect.EXPIRED)
        members = data.get("members") or []
        if not isinstance(members, list) or not all(
            isinstance(m, dict) for m in members
        ):
            return field_errors(request, {"members": MEMBERS_FORMAT})
        values = {name: data.get(name) or "" for name in FIELDS}
        values["members"] = members
        try:
            userid = franceconnect.register_identity(identity, values)
        except franceconnect.CompletionError as error:
            transaction.doom()
            return field_errors(request, error.errors)
        request.response.setStatus(201)
        return {"token": jwt_token(userid, identity.get("id_token"))}

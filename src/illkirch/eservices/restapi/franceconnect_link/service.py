"""Linking one's account to FranceConnect over REST (#20,
docs/franceconnect.md « REST »), what « Compte » does on the pages
(``browser/franceconnect.py``: ``FranceConnectLink``/``FranceConnectUnlink``),
on the domain's functions (``accounts/franceconnect.py``), for the current
user only:

- ``GET /@franceconnect-link``: ``{"linked", "has_password", "can_unlink"}``;
- ``POST /@franceconnect-link`` ``{"password", "redirect_uri"?}``: the
  account's password first (400 on ``password`` with the French message,
  no flow), then a link flow: ``{"next_url", "redirect_uri", "flow",
  "expires_in"}`` as ``GET /@login-oidc/franceconnect`` gives; the client
  sends the provider's answer with this flow to ``POST
  /@login-oidc/franceconnect`` under the same user's authentication, which
  links the identity (``restapi/franceconnect/get.py``);
- ``DELETE /@franceconnect-link``: unlinks (204), 400 with the French
  message while the account has no password.

Never linked by the email address. GET and POST answer 404 while
FranceConnect is disabled; DELETE unlinks whatever the settings, as the
page does. Anonymous visitors: 401 (the permission).
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import credentials
from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from plone import api
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service

import transaction


NOT_OFFERED = _(
    "error_franceconnect_not_offered",
    default="FranceConnect is not offered on this site.",
)


def _not_offered(request):
    return error_answer(request, 404, NOT_OFFERED)


def _refused(request, status, message, type_=None):
    transaction.doom()
    return error_answer(request, status, message, type_)


class LinkGet(Service):
    """``GET /@franceconnect-link``: the current user's link."""

    def reply(self):
        request = self.request
        request.response.setHeader("Cache-Control", "no-store")
        if not franceconnect.is_enabled():
            return _not_offered(request)
        userid = api.user.get_current().getId()
        has_password = franceconnect.has_password(userid)
        linked = franceconnect.linked_sub(userid) is not None
        return {
            "linked": linked,
            "has_password": has_password,
            "can_unlink": linked and has_password,
        }


class LinkPost(Service):
    """``POST /@franceconnect-link``: the password, then a link flow."""

    def reply(self):
        request = self.request
        request.response.setHeader("Cache-Control", "no-store")
        if not franceconnect.is_enabled():
            return _not_offered(request)
        data = json_body(request)
        user = api.user.get_current()
        userid = user.getId()
        if franceconnect.linked_sub(userid) is not None:
            return _refused(request, 409, franceconnect.ACCOUNT_LINKED, "Conflict")
        password = data.get("password")
        if not isinstance(password, str) or not credentials._check_password(
            user, password
        ):
            transaction.doom()
            return field_errors(request, {"password": credentials.WRONG_PASSWORD})
        redirect_uri = data.get("redirect_uri") or franceconnect.callback_url()
        if not isinstance(redirect_uri, str) or not franceconnect.redirect_uri_allowed(
            redirect_uri
        ):
            return _refused(request, 400, franceconnect.REDIRECT_NOT_ALLOWED)
        try:
            url, flow = franceconnect.start(link_to=userid, redirect_uri=redirect_uri)
        except franceconnect.FranceConnectRefused as refused:
            return _refused(request, 503, refused.message, "ServiceUnavailable")
        return {
            "next_url": url,
            "redirect_uri": redirect_uri,
            "flow": franceconnect.signed(flow, franceconnect.FLOW_SECONDS),
            "expires_in": franceconnect.FLOW_SECONDS,
        }


class LinkDelete(Service):
    """``DELETE /@franceconnect-link``: unlink, while the account has a
    password."""

    def reply(self):
        request = self.request
        request.response.setHeader("Cache-Control", "no-store")
        try:
            franceconnect.unlink_account(api.user.get_current().getId())
        except franceconnect.FranceConnectRefused as refused:
            return _refused(request, 400, refused.message)
        request.response.setStatus(204)
        return None

"""FranceConnect over REST (#20, docs/franceconnect.md « REST »), the way
pas.plugins.oidc offers its providers to Volto and mobile clients, on the
portal's own flow (``accounts/franceconnect.py``: ``start``/``finish``, the
same checks as the pages):

- ``GET /@login``: FranceConnect listed in ``options`` (``id``, ``plugin``,
  ``title``, ``url``) when it is enabled, left out when it is not;
- ``GET /@login-oidc/franceconnect[?redirect_uri=…]``: ``next_url``, the
  provider's authorization URL (``state``, ``nonce``, PKCE,
  ``acr_values=eidas1``), and ``flow``: the flow's secrets signed (HMAC,
  ten minutes) for the client to send back; the redirect URI must be the
  site's callback or one of the frontends' addresses of the settings,
  exactly (``franceconnect.redirect_uri_allowed``);
- ``POST /@login-oidc/franceconnect`` ``{"qs": <the provider's query
  string>, "flow": <the signed flow>}``: a linked identity receives
  ``{"token": <plone.restapi JWT>}``, a new one ``{"completion_required":
  true, "identity": {…}, "completion_token": …}`` for
  ``POST /@franceconnect-completion`` (post.py); a refused answer is a 401
  with the French message, and no token; the answer to a link flow
  (``POST /@franceconnect-link``) links the identity to the account of the
  user sending it, who must be the one who started it (``_link``);
- ``GET /@logout-oidc/franceconnect[?post_logout_redirect_uri=…]``: for a
  JWT given by a login through FranceConnect (whose payload keeps the ID
  token, ``jwt_token``), ``next_url``: the provider's end of session
  (``id_token_hint``), coming back to the site or an allowed frontend
  address (``franceconnect.post_logout_uri_allowed``); ``{"next_url":
  null}`` without such a JWT. The client forgets its JWT itself.

pas.plugins.oidc's own flow (which checks neither the ``state`` strictly nor
the ``nonce``) is never run for FranceConnect; other OIDC plugins are
untouched. The JWT login (``POST /@login``) is unchanged.
"""

from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.restapi.errors import error_answer
from pas.plugins.oidc.services.oidc import oidc
from plone import api
from plone.restapi.deserializer import json_body
from plone.restapi.services.auth.get import Login
from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin

import transaction


REDIRECT_NOT_ALLOWED = franceconnect.REDIRECT_NOT_ALLOWED
POST_LOGOUT_NOT_ALLOWED = franceconnect.POST_LOGOUT_NOT_ALLOWED
REST_FIELDS = ("sub", *franceconnect.VERIFIED_FIELDS, "email")


def _not_offered(service):
    service.request.response.setStatus(404)
    return {
        "error": {
            "type": "Provider not found",
            "message": "FranceConnect is not enabled on this site.",
        }
    }


# the JWT's claim keeping the ID token of a login through FranceConnect
ID_TOKEN_CLAIM = "franceconnect_id_token"


def _jwt_plugin():
    """plone.restapi's JWT plugin (installed with the add-on), or None."""
    acl_users = api.portal.get_tool("acl_users")
    for _id, plugin in acl_users.plugins.listPlugins(IAuthenticationPlugin):
        if plugin.meta_type == "JWT Authentication Plugin":
            return plugin
    return None


def jwt_token(userid, id_token=None):
    """A plone.restapi JWT for ``userid``, as ``POST /@login`` makes it
    (None without plone.restapi's JWT plugin, installed with the add-on);
    ``id_token``: the ID token of a login through FranceConnect, kept in
    the JWT's payload (``ID_TOKEN_CLAIM``, signed with it) for
    ``GET /@logout-oidc/franceconnect`` to end FranceConnect's session."""
    plugin = _jwt_plugin()
    if plugin is None:
        return None
    user = api.user.get(userid=userid)
    data = {"fullname": user.getProperty("fullname")}
    if id_token:
        data[ID_TOKEN_CLAIM] = id_token
    return plugin.create_token(userid, data=data)


def request_id_token(request):
    """The FranceConnect ID token kept in the request's JWT (``Authorization:
    Bearer``), when that JWT is valid (signature, expiry, kept by the plugin
    when it keeps tokens) and its user is the request's; None otherwise (an
    anonymous request, a JWT of a login by password, a session cookie)."""
    plugin = _jwt_plugin()
    if plugin is None or api.user.is_anonymous():
        return None
    credentials = plugin.extractCredentials(request) or {}
    token = credentials.get("token")
    if not token:
        return None
    userid = api.user.get_current().getId()
    found = plugin.authenticateCredentials(
        {"extractor": plugin.getId(), "token": token}
    )
    if not found or found[0] != userid:
        return None
    payload = plugin._decode_token(token) or {}
    id_token = payload.get(ID_TOKEN_CLAIM)
    return id_token if isinstance(id_token, str) and id_token else None


def _refused(request, message):
    transaction.doom()
    return error_answer(request, 401, message)


class LoginProviders(Login):
    """``GET /@login``: the login providers, FranceConnect only when it is
    enabled."""

    def reply(self):
        result = super().reply()
        options = [
            option
            for option in result.get("options", [])
            if not (
                option.get("plugin") == "oidc"
                and option.get("id") == franceconnect.PLUGIN_ID
            )
        ]
        if franceconnect.is_enabled():
            url = self.context.absolute_url()
            options.append(
                {
                    "id": franceconnect.PLUGIN_ID,
                    "plugin": "oidc",
                    "title": "FranceConnect",
                    "url": f"{url}/@login-oidc/{franceconnect.PLUGIN_ID}",
                }
            )
        result["options"] = options
        return result


class OidcLoginGet(oidc.Get):
    """``GET /@login-oidc/franceconnect``: where to send the citizen."""

    def reply(self):
        if self.provider_id != franceconnect.PLUGIN_ID:
            return super().reply()
        if not franceconnect.is_enabled():
            return _not_offered(self)
        request = self.request
        request.response.setHeader("Cache-Control", "no-store")
        redirect_uri = request.form.get("redirect_uri") or franceconnect.callback_url()
        if not isinstance(redirect_uri, str) or not franceconnect.redirect_uri_allowed(
            redirect_uri
        ):
            return error_answer(request, 400, REDIRECT_NOT_ALLOWED)
        try:
            url, flow = franceconnect.start(redirect_uri=redirect_uri)
        except franceconnect.FranceConnectRefused as refused:
            return error_answer(request, 503, refused.message, "ServiceUnavailable")
        return {
            "next_url": url,
            "redirect_uri": redirect_uri,
            "flow": franceconnect.signed(flow, franceconnect.FLOW_SECONDS),
            "expires_in": franceconnect.FLOW_SECONDS,
        }


class OidcLoginPost(oidc.Post):
    """``POST /@login-oidc/franceconnect``: the provider's answer."""

    def reply(self):
        if self.provider_id != franceconnect.PLUGIN_ID:
            return super().reply()
        if not franceconnect.is_enabled():
            return _not_offered(self)
        request = self.request
        request.response.setHeader("Cache-Control", "no-store")
        data = json_body(request)
        query_string = data.get("qs") or ""
        flow = data.get("flow")
        if not isinstance(query_string, str) or not isinstance(flow, str):
            return _refused(request, franceconnect.EXPIRED)
        flow = franceconnect.unsigned(flow)
        if flow and flow.get("link"):
            return _link(request, flow, query_string.removeprefix("?"))
        try:
            claims = franceconnect.finish(flow, query_string.removeprefix("?"))
        except franceconnect.FranceConnectRefused as refused:
            return _refused(request, refused.message)
        userid = franceconnect.linked_user(claims["sub"])
        if userid:
            return {"token": jwt_token(userid, claims.get("id_token"))}
        identity = franceconnect.pending_identity(claims)
        return {
            "completion_required": True,
            "identity": {name: identity.get(name) for name in REST_FIELDS},
            "completion_token": franceconnect.signed(
                identity, franceconnect.PENDING_SECONDS
            ),
            "expires_in": franceconnect.PENDING_SECONDS,
        }


def _link(request, flow, query_string):
    """The answer to a link flow (``POST /@franceconnect-link``, restapi/
    franceconnect_link): accepted only from the very user the flow names,
    authenticated (JWT or session), else 401 and the code is not even
    exchanged; then the identity is linked to that account (``{"linked":
    true}``), or 409 with the French refusal (an identity of another
    account, an account linked to another identity)."""
    userid = flow["link"]
    if api.user.is_anonymous() or api.user.get_current().getId() != userid:
        return _refused(request, franceconnect.EXPIRED)
    try:
        claims = franceconnect.finish(flow, query_string)
        franceconnect.link_account(claims["sub"], userid)
    except franceconnect.FranceConnectRefused as refused:
        if refused.message in (
            franceconnect.LINKED_ELSEWHERE,
            franceconnect.ACCOUNT_LINKED,
        ):
            transaction.doom()
            return error_answer(request, 409, refused.message, "Conflict")
        return _refused(request, refused.message)
    return {"linked": True}


class OidcLogoutGet(oidc.LogoutGet):
    """``GET /@logout-oidc/franceconnect[?post_logout_redirect_uri=…]``:
    where to send the citizen to end FranceConnect's session too, for a JWT
    given by a login through FranceConnect: ``{"next_url": <the provider's
    end_session_endpoint with id_token_hint>}``, coming back to the site's
    address or the asked post-logout address (one the settings allow, else
    400). Any other request (anonymous, a JWT of a login by password) has
    no FranceConnect session to end here: ``{"next_url": null}``. The
    client forgets its JWT itself (and may ``POST /@logout``)."""

    def reply(self):
        if self.provider_id != franceconnect.PLUGIN_ID:
            return super().reply()
        if not franceconnect.is_enabled():
            return _not_offered(self)
        request = self.request
        request.response.setHeader("Cache-Control", "no-store")
        post_logout_uri = (
            request.form.get("post_logout_redirect_uri")
            or api.portal.get().absolute_url()
        )
        if not franceconnect.post_logout_uri_allowed(post_logout_uri):
            return error_answer(request, 400, POST_LOGOUT_NOT_ALLOWED)
        id_token = request_id_token(request)
        if id_token is None:
            return {"next_url": None}
        url = franceconnect.end_session_url(id_token, post_logout_uri)
        if url is None:
            return error_answer(
                request, 503, franceconnect.UNAVAILABLE, "ServiceUnavailable"
            )
        return {"next_url": url}

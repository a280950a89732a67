"""FranceConnect and the REST API (#20): not offered yet.

pas.plugins.oidc lists every OIDCPlugin in ``GET /@login``'s ``options``
and serves ``@login-oidc/<id>`` (GET: the provider's URL; POST: the code
exchanged for a JWT) with its own flow, which checks neither the ``state``
strictly nor the ``nonce``, asks no ``acr_values`` and has no completion of
a first login. Until the portal's flow is offered to Volto and mobile
clients (docs/franceconnect.md, « Remaining »), the FranceConnect plugin is
left out of ``GET /@login`` and its ``@login-oidc`` answers 404; the JWT
login (``POST /@login``) is unchanged, other OIDC plugins are untouched.
"""

from illkirch.eservices.accounts import franceconnect
from pas.plugins.oidc.services.oidc import oidc
from plone.restapi.services.auth.get import Login


def _not_offered(service):
    service.request.response.setStatus(404)
    return {
        "error": {
            "type": "Provider not found",
            "message": "FranceConnect is offered through the site's pages only.",
        }
    }


class LoginProviders(Login):
    """``GET /@login``: the login providers, FranceConnect left out."""

    def reply(self):
        result = super().reply()
        result["options"] = [
            option
            for option in result.get("options", [])
            if not (
                option.get("plugin") == "oidc"
                and option.get("id") == franceconnect.PLUGIN_ID
            )
        ]
        return result


class OidcLoginGet(oidc.Get):
    def reply(self):
        if self.provider_id == franceconnect.PLUGIN_ID:
            return _not_offered(self)
        return super().reply()


class OidcLoginPost(oidc.Post):
    def reply(self):
        if self.provider_id == franceconnect.PLUGIN_ID:
            return _not_offered(self)
        return super().reply()


class OidcLogoutGet(oidc.LogoutGet):
    def reply(self):
        if self.provider_id == franceconnect.PLUGIN_ID:
            return _not_offered(self)
        return super().reply()

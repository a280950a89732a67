"""Login with FranceConnect (#20, docs/franceconnect.md).

pas.plugins.oidc's ``OIDCPlugin`` (``acl_users/franceconnect``) keeps the
provider's configuration and gives the OpenID Connect client (discovery, the
provider's keys); none of its PAS interfaces is activated, so that Plone's
login form stays the site's challenge. The flow itself is here and in
``browser/franceconnect.py``:

- ``start``: a new ``state``, ``nonce`` and PKCE verifier, kept in a cookie
  signed by the site's keyring (``signed``/``unsigned``), and the
  authorization URL (``acr_values=eidas1``, the scopes of the identity pivot
  and email).
- ``finish``: the answer's ``state`` against the cookie's, the code
  exchanged (PKCE verifier, client secret), the ID token checked by the
  client (signature with the provider's keys, issuer, audience, expiry) and
  here (``nonce``, ``acr``), then the identity read from ``userinfo``. Any
  failure raises ``FranceConnectRefused`` with a French message.
- an identity already linked to an account logs into it (``linked_user``);
  otherwise it waits, signed in a cookie (``PENDING_SECONDS``), for the
  completion form, whose ``register_identity`` creates the account and its
  household through the registration's rules (``accounts.registration``).
"""

from datetime import date
from illkirch.eservices import _
from illkirch.eservices import cog
from illkirch.eservices.accounts import registration
from illkirch.eservices.accounts.households import create_household
from illkirch.eservices.accounts.identifiers import unique_identifier
from illkirch.eservices.errors import FieldErrors
from illkirch.eservices.folding import fold
from illkirch.eservices.interfaces import FRANCECONNECT_PREFIX
from illkirch.eservices.site_storage import site_btree
from plone import api
from plone.keyring.interfaces import IKeyManager
from urllib.parse import urlencode
from zope.component import getUtility

import base64
import hashlib
import hmac
import json
import secrets
import time


PLUGIN_ID = "franceconnect"
# The callback's address, registered with the provider (docs/franceconnect.md).
CALLBACK = "franceconnect-callback"
SCOPES = (
    "openid",
    "given_name",
    "family_name",
    "birthdate",
    "birthplace",
    "birthcountry",
    "gender",
    "email",
)
ACR = "eidas1"
FLOW_COOKIE = "__eservices_fc_flow"
PENDING_COOKIE = "__eservices_fc_identity"
# the ID token of a session opened through FranceConnect (its logout's hint)
SESSION_COOKIE = "__eservices_fc_session"
SESSION_SECONDS = 12 * 3600
FLOW_SECONDS = 600
PENDING_SECONDS = 1800
LINKS_KEY = "illkirch.eservices.franceconnect_links"
# accounts made through FranceConnect, until they choose a password
PASSWORDLESS_KEY = "illkirch.eservices.franceconnect_passwordless"
# What FranceConnect certifies, shown read-only and kept as verified.
VERIFIED_FIELDS = ("civility", "first_name", "last_name", "birth_date", "birth_place")


class FranceConnectRefused(Exception):
    """The provider's answer is not accepted: no session is opened."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


REFUSED = _(
    "error_franceconnect_refused",
    default="The answer of FranceConnect does not match your login request: "
    "for your security, you are not logged in. Please try again.",
)
EXPIRED = _(
    "error_franceconnect_expired",
    default="Your login with FranceConnect has expired or was not asked for "
    "from this browser: you are not logged in. Please try again.",
)
CANCELLED = _(
    "error_franceconnect_cancelled",
    default="The login with FranceConnect was cancelled: you are not logged in.",
)
UNAVAILABLE = _(
    "error_franceconnect_unavailable",
    default="FranceConnect cannot be reached at the moment: please try again "
    "later, or log in with your identifier and password.",
)


# settings --------------------------------------------------------------------


def setting(name):
    return api.portal.get_registry_record(
        f"{FRANCECONNECT_PREFIX}.{name}", default=None
    )


def is_enabled():
    """FranceConnect is offered: enabled, with a provider and a client
    (False before the upgrade registers the settings: ``setting`` is None)."""
    return bool(setting("enabled") and setting("issuer") and setting("client_id"))


def callback_url():
    return f"{api.portal.get().absolute_url()}/{CALLBACK}"


def configure_plugin(acl_users=None):
    """Create ``acl_users/franceconnect`` when missing and copy the settings
    into it (called at install, by the upgrade and when the settings change).
    None of its PAS interfaces is activated."""
    from pas.plugins.oidc.plugins import OIDCPlugin

    acl_users = acl_users or api.portal.get_tool("acl_users")
    if PLUGIN_ID not in acl_users.objectIds():
        acl_users._setObject(PLUGIN_ID, OIDCPlugin(PLUGIN_ID, "FranceConnect"))
    plugin = acl_users[PLUGIN_ID]
    plugin.manage_changeProperties(
        issuer=setting("issuer") or "",
        client_id=setting("client_id") or "",
        client_secret=setting("client_secret") or "",
        redirect_uris=(f"/{CALLBACK}",),
        scope=SCOPES,
        use_pkce=True,
        create_user=False,
        create_ticket=False,
        user_property_as_userid="sub",
    )
    return plugin


def remove_plugin(acl_users):
    if PLUGIN_ID in acl_users.objectIds():
        acl_users._delObject(PLUGIN_ID)


def settings_changed(event):
    """A FranceConnect setting was saved: the plugin follows."""
    name = getattr(event.record, "__name__", "") or ""
    if name.startswith(f"{FRANCECONNECT_PREFIX}."):
        configure_plugin()


def oidc_client():
    """The provider's OpenID Connect client (pyoidc, from its discovery
    document and keys); FranceConnectRefused(UNAVAILABLE) when it cannot be
    reached."""
    from pas.plugins.oidc.plugins import OAuth2ConnectionException

    plugin = api.portal.get_tool("acl_users").get(PLUGIN_ID)
    if plugin is None:
        raise FranceConnectRefused(UNAVAILABLE)
    try:
        client = plugin.get_oauth2_client()
    except OAuth2ConnectionException:
        raise FranceConnectRefused(UNAVAILABLE) from None
    # pas.plugins.oidc accepts an issuer other than the configured one; not here
    client.allow["issuer_mismatch"] = False
    return client


# signed cookies --------------------------------------------------------------


def _key():
    return getUtility(IKeyManager).secret().encode("utf-8") + b"franceconnect"


def signed(data, seconds):
    """``data`` as JSON with its expiry, signed (HMAC-SHA256)."""
    payload = base64.urlsafe_b64encode(
        json.dumps({"data": data, "until": time.time() + seconds}).encode("utf-8")
    ).decode("ascii")
    mac = hmac.new(_key(), payload.encode("ascii"), hashlib.sha256).hexdigest()
    return f"{payload}.{mac}"


def unsigned(value):
    """What ``signed`` signed, or None (missing, altered or expired)."""
    if not value or "." not in value:
        return None
    payload, mac = value.rsplit(".", 1)
    expected = hmac.new(_key(), payload.encode("ascii"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, expected):
        return None
    try:
        content = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except ValueError:
        return None
    if content.get("until", 0) < time.time():
        return None
    return content.get("data")


# the flow --------------------------------------------------------------------


def pkce_challenge(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def _exactly_one_of(uri, allowed):
    """``uri`` is, character for character, one of ``allowed`` (no prefix,
    no normalisation: what is registered with the provider)."""
    if not uri or not isinstance(uri, str):
        return False
    found = False
    for candidate in allowed:
        if candidate and hmac.compare_digest(
            uri.encode("utf-8"), candidate.encode("utf-8")
        ):
            found = True
    return found


def frontend_redirect_uris():
    """The frontends' own addresses for the provider's answer (Volto, a
    mobile application: setting ``frontend_redirect_uris``)."""
    return [uri for uri in setting("frontend_redirect_uris") or () if uri]


def frontend_post_logout_uris():
    """The frontends' addresses after FranceConnect's logout (setting
    ``frontend_post_logout_uris``)."""
    return [uri for uri in setting("frontend_post_logout_uris") or () if uri]


def redirect_uri_allowed(uri):
    """True for a redirect URI a REST client may ask the provider to send
    the citizen back to: the site's own callback or one of the frontends'
    addresses of the settings, each registered with the provider, compared
    exactly."""
    return _exactly_one_of(uri, [callback_url(), *frontend_redirect_uris()])


def post_logout_uri_allowed(uri):
    """True for where the provider may send the citizen after ending its
    session: the site's address or one of the frontends' post-logout
    addresses of the settings, compared exactly."""
    return _exactly_one_of(
        uri, [api.portal.get().absolute_url(), *frontend_post_logout_uris()]
    )


def start(came_from="", link_to=None, redirect_uri=None):
    """(the provider's authorization URL, the flow to keep signed);
    ``link_to``: the user id whose account the identity will be linked to
    (« Lier FranceConnect » in « Compte »), None for a login;
    ``redirect_uri``: where the provider sends the answer (the site's
    callback by default; ``redirect_uri_allowed`` checked by the caller)."""
    client = oidc_client()
    flow = {
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": secrets.token_urlsafe(64),
        "came_from": came_from or "",
        "link": link_to,
        "redirect_uri": redirect_uri or callback_url(),
    }
    query = {
        "response_type": "code",
        "client_id": setting("client_id"),
        "redirect_uri": flow["redirect_uri"],
        "scope": " ".join(SCOPES),
        "state": flow["state"],
        "nonce": flow["nonce"],
        "acr_values": ACR,
        "code_challenge": pkce_challenge(flow["verifier"]),
        "code_challenge_method": "S256",
        "prompt": "login consent",
    }
    return f"{client.authorization_endpoint}?{urlencode(query)}", flow


def finish(flow, query_string):
    """The identity (``userinfo``'s claims) of the provider's answer to
    ``flow``, or FranceConnectRefused."""
    from oic.oauth2.message import ErrorResponse
    from oic.oic.message import AccessTokenResponse
    from oic.oic.message import AuthorizationResponse
    from urllib.parse import parse_qs

    if not flow:
        raise FranceConnectRefused(EXPIRED)
    params = {k: v[0] for k, v in parse_qs(query_string).items()}
    if "error" in params:
        raise FranceConnectRefused(CANCELLED)
    state = params.get("state") or ""
    if not params.get("code") or not hmac.compare_digest(
        state.encode("utf-8"), flow["state"].encode("utf-8")
    ):
        raise FranceConnectRefused(REFUSED)
    client = oidc_client()
    try:
        client.parse_response(
            AuthorizationResponse, info=query_string, sformat="urlencoded"
        )
        response = client.do_access_token_request(
            state=state,
            request_args={
                "code": params["code"],
                "redirect_uri": flow.get("redirect_uri") or callback_url(),
                "code_verifier": flow["verifier"],
                "client_id": client.client_id,
                "client_secret": client.client_secret,
            },
            authn_method="client_secret_post",
        )
    except Exception:
        # an ID token whose signature, issuer, audience or dates are wrong
        raise FranceConnectRefused(REFUSED) from None
    if isinstance(response, ErrorResponse) or not isinstance(
        response, AccessTokenResponse
    ):
        # a code already used or expired, a wrong verifier or secret
        raise FranceConnectRefused(REFUSED)
    id_token = response.get("id_token")
    if (
        id_token is None
        or not hmac.compare_digest(
            str(id_token.get("nonce", "")).encode("utf-8"),
            flow["nonce"].encode("utf-8"),
        )
        or id_token.get("acr") != ACR
    ):
        raise FranceConnectRefused(REFUSED)
    try:
        userinfo = client.do_user_info_request(state=state)
    except Exception:
        raise FranceConnectRefused(REFUSED) from None
    claims = userinfo.to_dict() if hasattr(userinfo, "to_dict") else dict(userinfo)
    if claims.get("sub") != id_token["sub"]:
        raise FranceConnectRefused(REFUSED)
    claims["id_token"] = response.get("id_token_jwt") or ""
    return claims


def end_session_url(id_token, post_logout_url):
    """The provider's ``end_session_endpoint`` ending its session too
    (``id_token_hint``), coming back to ``post_logout_url``; None when the
    provider cannot be reached or has none."""
    try:
        client = oidc_client()
    except FranceConnectRefused:
        return None
    endpoint = getattr(client, "end_session_endpoint", None)
    if not endpoint or not id_token:
        return None
    query = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": post_logout_url,
        "state": secrets.token_urlsafe(16),
    }
    return f"{endpoint}?{urlencode(query)}"


# the identity ----------------------------------------------------------------


def birth_place(claims):
    """The place of birth as the portal keeps it, in words: FranceConnect
    gives INSEE codes (``birthplace``, the commune in France, its code at
    ``birthdate``; ``birthcountry``, the country), named through the Code
    officiel géographique (``cog.place_name``): « Illkirch-Graffenstaden
    (Bas-Rhin) », « Allemagne », « commune de code INSEE 12345 » when unknown."""
    return cog.place_name(
        claims.get("birthplace") or "",
        claims.get("birthcountry") or "",
        claims.get("birthdate") or None,
    )


def identity_from_claims(claims):
    """The holder's person values from the identity pivot."""
    try:
        born = date.fromisoformat(claims.get("birthdate") or "")
    except ValueError:
        born = None
    return {
        "sub": claims["sub"],
        "civility": {"female": "mme", "male": "m"}.get(claims.get("gender")),
        "first_name": (claims.get("given_name") or "").strip(),
        "last_name": (claims.get("family_name") or "").strip(),
        "birth_date": born.isoformat() if born else "",
        "birth_place": birth_place(claims),
        "email": (claims.get("email") or "").strip(),
    }


def pending_identity(claims):
    """The identity of a first login as it waits, signed, for the
    completion (the page's cookie, the REST ``completion_token``)."""
    identity = identity_from_claims(claims)
    identity["id_token"] = claims.get("id_token")
    return identity


def _links():
    return site_btree(LINKS_KEY)


def linked_user(sub):
    """The user id of the account linked to this FranceConnect identity."""
    userid = _links().get(sub)
    if userid and api.user.get(userid=userid) is not None:
        return userid
    return None


def link(sub, userid):
    _links()[sub] = userid


REDIRECT_NOT_ALLOWED = _(
    "error_franceconnect_redirect_uri",
    default="This address is not one FranceConnect may send you back to.",
)
POST_LOGOUT_NOT_ALLOWED = _(
    "error_franceconnect_post_logout_uri",
    default="This address is not one FranceConnect may send you back to "
    "after the logout.",
)
LINKED_ELSEWHERE = _(
    "error_franceconnect_linked_elsewhere",
    default="This FranceConnect identity is already linked to another account: "
    "it was not linked to yours.",
)
ACCOUNT_LINKED = _(
    "error_franceconnect_account_linked",
    default="Your account is already linked to a FranceConnect identity.",
)
NO_PASSWORD = _(
    "error_franceconnect_no_password",
    default="Your account has no password: choose one first (« Choisir un mot "
    "de passe » in « Compte »), then unlink FranceConnect.",
)


def linked_sub(userid):
    """The FranceConnect identity linked to ``userid``, or None."""
    for sub, linked in _links().items():
        if linked == userid:
            return sub
    return None


def has_password(userid):
    """False for an account made through FranceConnect until a password is
    chosen for it (``password_chosen``)."""
    return userid not in site_btree(PASSWORDLESS_KEY)


def password_chosen(userid):
    site_btree(PASSWORDLESS_KEY).pop(userid, None)


def link_account(sub, userid):
    """Link the identity ``sub`` to the account ``userid`` (« Lier
    FranceConnect », after its password); FranceConnectRefused when the
    identity belongs to another account or the account has one already."""
    if linked_user(sub) not in (None, userid):
        raise FranceConnectRefused(LINKED_ELSEWHERE)
    if linked_sub(userid) not in (None, sub):
        raise FranceConnectRefused(ACCOUNT_LINKED)
    link(sub, userid)


def unlink_account(userid):
    """Forget the account's FranceConnect identity; only while the account
    has a password (FranceConnectRefused otherwise)."""
    if not has_password(userid):
        raise FranceConnectRefused(NO_PASSWORD)
    forget_links(userid)


def forget_links(userid):
    """Forget the FranceConnect identities linked to ``userid``."""
    links = _links()
    for sub in [sub for sub, linked in links.items() if linked == userid]:
        del links[sub]


def principal_deleted(event):
    """A user was deleted (an account closed, an administrator's removal):
    its FranceConnect identity is forgotten."""
    userid = getattr(event, "principal", None)
    if isinstance(userid, str):
        forget_links(userid)
        password_chosen(userid)


class CompletionError(FieldErrors):
    """The completion form has errors."""


EMAIL_TAKEN = _(
    "error_franceconnect_email_taken",
    default="An account already uses this email address: log in with its "
    "identifier and password, or give another address.",
)


def validate_completion(identity, data):
    """The errors of the completion form (empty dict when valid)."""
    values = {**data, **{k: identity[k] for k in VERIFIED_FIELDS}}
    errors = {}
    registration._check_email(values, errors)
    if not errors and registration._user_with_email(values["email"].strip()):
        errors["email"] = EMAIL_TAKEN
    for step in ("address", "household", "validation"):
        errors.update(registration.validate_step(step, values))
    return errors


def register_identity(identity, data):
    """Create the account of a FranceConnect identity, its household
    (awaiting the town's validation) with the holder's identity marked as
    verified by FranceConnect, and link the identity to it. Returns the new
    user id; CompletionError with every error found."""
    if linked_user(identity["sub"]):
        raise CompletionError({"email": EMAIL_TAKEN})
    errors = validate_completion(identity, data)
    if errors:
        raise CompletionError(errors)
    values = {**data, **{k: identity[k] for k in VERIFIED_FIELDS}}
    email = values["email"].strip()
    pas = api.portal.get_tool("acl_users")
    # the portal's rule (prénom.nom) with the usual first name: the first
    # of the first names FranceConnect gives
    first = identity["first_name"].split()[0]
    login = unique_identifier(
        first,
        identity["last_name"],
        taken=lambda folded: pas.getUserById(folded) is not None,
    )
    userid = fold(login)
    # no password: the account is used through FranceConnect
    pas.source_users.addUser(userid, login, secrets.token_urlsafe(48))
    user = api.user.get(userid=userid)
    fullname = f"{identity['first_name']} {identity['last_name']}"
    user.setMemberProperties({"email": email, "fullname": fullname})
    api.user.grant_roles(user=user, roles=["Member"])

    address = {
        name: registration._clean(values.get(name))
        for name in registration.ADDRESS_FIELDS
    }
    holder = registration._holder(values)
    persons = [holder] + [
        registration._person_values(m) for m in values.get("members") or []
    ]
    for person in persons:
        person["email"] = (
            person.get("email") if person["member_type"] == "adult" else None
        )
    household = create_household(userid, fullname, address, persons)
    mark_verified(household)
    link(identity["sub"], userid)
    site_btree(PASSWORDLESS_KEY)[userid] = True
    return userid


def mark_verified(household):
    """The holder's identity « vérifiée par FranceConnect »: which fields and
    when (the household still awaits the validation of its address)."""
    household.identity_verification = {
        "by": "franceconnect",
        "fields": VERIFIED_FIELDS,
        "date": date.today().isoformat(),
    }
    for person in household.persons():
        if person.relationship == "holder":
            person.identity_verified_by = "franceconnect"


def is_verified(household):
    verification = getattr(household, "identity_verification", None)
    return bool(verification and verification.get("by") == "franceconnect")


def verification(household):
    """What FranceConnect verified of the holder: ``{"by", "fields",
    "date"}``, or None."""
    if not is_verified(household):
        return None
    found = household.identity_verification
    return {
        "by": found.get("by"),
        "fields": list(found.get("fields") or ()),
        "date": found.get("date"),
    }


def verified_first(households):
    """The agents' queue order: the households whose holder's identity
    FranceConnect verified first, each group in its given order (oldest
    first); loads every household."""
    return sorted(households, key=lambda household: not is_verified(household))

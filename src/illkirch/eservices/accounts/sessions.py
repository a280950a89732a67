"""Sessions: the cookie over https, and ending the other sessions of a user.

- Every cookie the portal sets on a request served over https carries
  ``Secure`` (``secure_cookies``, run before each response is sent), the
  session's ``__ac`` first of all. A request is over https when Zope sees it
  so (``SERVER_URL``: a virtual host ``VirtualHostBase/https/…``, or the WSGI
  server's scheme) or when the proxy in front says so (``X-Forwarded-Proto:
  https``). plone.session's own ``secure`` property is off in debug mode and
  cannot tell http from https; this does not depend on it.
- ``end_other_sessions``: after a password change, every cookie session and
  REST token of the user ends, except the one that made the change (the
  lost-password link ends them all: ``password_reset.end_sessions``).
"""

from BTrees.OIBTree import OIBTree
from illkirch.eservices.accounts.password_reset import end_sessions
from plone import api


def is_https(request):
    if (request.get("SERVER_URL") or "").lower().startswith("https://"):
        return True
    forwarded = request.getHeader("X-Forwarded-Proto", "") or ""
    return forwarded.split(",")[0].strip().lower() == "https"


def secure_cookies(event):
    """IPubBeforeCommit / IPubBeforeAbort: mark the cookies set on an https
    request ``Secure``."""
    request = event.request
    response = getattr(request, "response", None)
    cookies = getattr(response, "cookies", None)
    if not cookies or not is_https(request):
        return
    for cookie in cookies.values():
        cookie["Secure"] = True


def _bearer_token(request):
    auth = getattr(request, "_auth", None) or ""
    if auth[:7].lower() == "bearer ":
        return auth.split()[-1]
    return None


def end_other_sessions(request, user_id):
    """End every session and REST token of ``user_id`` but the ones
    ``request`` came with (a new session cookie replaces its own, whose
    signing key has just been renewed)."""
    pas = api.portal.get_tool("acl_users")
    jwt = pas.get("jwt_auth")
    token = _bearer_token(request) if request is not None else None
    kept = None
    tokens = getattr(jwt, "_tokens", None) if jwt is not None else None
    if token and tokens is not None and token in tokens.get(user_id, ()):
        kept = tokens[user_id][token]
    session = pas.get("session")
    cookie_name = session.getProperty("cookie_name") if session is not None else None
    had_cookie = bool(
        request is not None and cookie_name and request.cookies.get(cookie_name)
    )
    end_sessions(user_id)
    if kept is not None:
        jwt._tokens[user_id] = OIBTree()
        jwt._tokens[user_id][token] = kept
    if had_cookie:
        session._setupSession(user_id, request.response)

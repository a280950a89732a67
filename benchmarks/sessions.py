"""Logging in: Plone's login form for the pages (a cookie), ``POST /@login``
for REST (a JWT)."""

from errors import BenchError
from illkirch.eservices.testing.sessions import JSON_HEADERS
from timing import timed

import requests


def login_form(login, password):
    """The fields of Plone's login form (``POST <site>/login``)."""
    return {
        "__ac_name": login,
        "__ac_password": password,
        "buttons.login": "Se connecter",
        "form.widgets.came_from": "",
    }


def logged_in(response):
    """``timed`` check of a login form's answer: the session cookie is set."""
    if "__ac" not in response.cookies:
        return "login refused (no __ac cookie)"
    return None


def page_session(url, login, password):
    """A browser-like session logged in with Plone's login form (cookie)."""
    session = requests.Session()
    timed(
        session,
        "POST",
        f"{url}/login",
        f"login of {login}",
        status=302,
        data=login_form(login, password),
        check=logged_in,
    )
    return session


def rest_session(url, login=None, password=None):
    """A JSON session, logged in with a JWT from ``POST /@login`` if asked."""
    session = requests.Session()
    session.headers.update(JSON_HEADERS)
    if login:
        response = session.post(
            f"{url}/@login", json={"login": login, "password": password}, timeout=120
        )
        if response.status_code != 200:
            raise BenchError(f"REST login of {login} failed ({response.status_code})")
        session.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return session

"""HTTP clients of the test server: a JSON session for the REST API (with a
JWT) and a cookie session logged in by the login form, as a browser is."""

import requests


ACCEPT_JSON = {"Accept": "application/json"}
JSON_HEADERS = {**ACCEPT_JSON, "Content-Type": "application/json"}


def rest_session(portal_url, login=None, password=None):
    """A ``requests`` session speaking JSON to the REST API, logged in with a
    JWT from ``POST /@login`` when a login is given."""
    session = requests.Session()
    session.headers.update(JSON_HEADERS)
    if login:
        response = session.post(
            f"{portal_url}/@login", json={"login": login, "password": password}
        )
        response.raise_for_status()
        session.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return session


def cookie_session(portal_url, login, password):
    """A ``requests`` session logged in by the login form, as a browser is
    (the ``__ac`` cookie); raises when the login fails."""
    session = requests.Session()
    response = session.post(
        f"{portal_url}/login",
        data={
            "__ac_name": login,
            "__ac_password": password,
            "buttons.login": "Se connecter",
            "form.widgets.came_from": "",
        },
    )
    response.raise_for_status()
    if "__ac" not in session.cookies:
        raise AssertionError(f"{login} could not log in")
    return session

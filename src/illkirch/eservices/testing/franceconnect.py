"""Logging in with FranceConnect without a browser: a ``requests`` session
through the local provider's pages (``testing.layers.OidcProviderLayer``)
and, for a first login, the completion form."""

from urllib.parse import urlsplit

import re
import requests


ADDRESS = {
    "street": "3 rue du Général Leclerc",
    "postal_code": "67400",
    "city": "Illkirch-Graffenstaden",
    "contact_preference": "email",
    "consent": "1",
}


# The provider's test identity « angela » as FranceConnect's claims (its
# ``sub`` is the test's), and what the completion form adds to it.
ANGELA_CLAIMS = {
    "given_name": "Angela Claire Louise",
    "family_name": "DUBOIS",
    "birthdate": "1962-08-24",
    "gender": "female",
    "birthplace": "75107",
    "birthcountry": "99100",
    "email": "angela.dubois@example.org",
}
COMPLETION = {"email": ANGELA_CLAIMS["email"], **ADDRESS, "members": []}


def provider_login(browser, authorization_url, login, **confirm):
    """The provider's pages as a browser goes through them from its
    ``authorization_url``: the test identity ``login`` (password 123) logs
    in, then consents; returns the consent's response (``confirm``: the
    options of that POST, e.g. ``allow_redirects=False``)."""
    page = browser.get(authorization_url)
    provider = f"{urlsplit(page.url).scheme}://{urlsplit(page.url).netloc}"
    uid = page.url.rsplit("/", 1)[1]
    page = browser.post(
        f"{provider}/interaction/{uid}/login", data={"login": login, "password": "123"}
    )
    uid = page.url.rsplit("/", 1)[1]
    return browser.post(f"{provider}/interaction/{uid}/confirm", **confirm)


def callback_query(browser, authorization_url, login, portal_url):
    """The query string the provider sends back to the site's callback
    after ``login`` logs in and consents (the browser's part of a REST
    client's flow: the last redirect is the client's to follow)."""
    page = provider_login(browser, authorization_url, login)
    location = next(
        r.headers["Location"]
        for r in (*page.history, page)
        if r.headers.get("Location", "").startswith(portal_url)
    )
    if not location.startswith(f"{portal_url}/franceconnect-callback?"):
        raise AssertionError(f"the provider sent the answer to {location}")
    return urlsplit(location).query


def franceconnect_session(portal_url, login, address=ADDRESS):
    """A session logged into the portal through FranceConnect as the
    provider's test identity ``login`` (password 123); a first login sends
    the completion form with ``address``. Raises when it does not end in
    « Mon espace »."""
    session = requests.Session()
    page = provider_login(session, f"{portal_url}/@@franceconnect-login", login)
    if "@@franceconnect-inscription" in page.url:
        token = re.search(r'name="_authenticator" value="([^"]+)"', page.text)
        tag = re.search(r'<input[^>]*id="field-email"[^>]*>', page.text).group(0)
        email = re.search(r'value="([^"]*)"', tag)
        page = session.post(
            f"{portal_url}/@@franceconnect-inscription",
            data={
                "_authenticator": token.group(1),
                "email": email.group(1) if email else "",
                **address,
                "action": "submit",
            },
        )
    if "@@mon-espace" not in page.url:
        raise AssertionError(f"FranceConnect's login ended on {page.url}")
    return session

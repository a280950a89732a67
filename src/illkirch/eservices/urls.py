"""The portal's public addresses.

Links in emails and the addresses given to a bank are built from the
configured public URL of the portal (registry ``illkirch.eservices.public_url``),
never from the incoming request: its ``Host`` header is chosen by whoever
sends it.
"""

from plone import api


def public_base():
    """The configured public URL of the site, without a trailing slash."""
    base = api.portal.get_registry_record(
        "illkirch.eservices.public_url", default="http://localhost:8080/Plone"
    )
    return (base or "http://localhost:8080/Plone").rstrip("/")


def public_url(context=None, suffix=""):
    """The public URL of ``context`` (the site when ``None``), plus ``suffix``
    (a view or a query: ``"/@@mon-espace"``, ``"?numero=…"``)."""
    url = public_base()
    if context is not None:
        portal_path = api.portal.get().getPhysicalPath()
        path = context.getPhysicalPath()[len(portal_path) :]
        if path:
            url = f"{url}/{'/'.join(path)}"
    return f"{url}{suffix}"

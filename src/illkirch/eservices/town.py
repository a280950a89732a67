"""The town's identity as the « Espace citoyen » settings give it: its name,
logo, and what the footer of every page shows (the town hall's address,
opening hours and phone, the links to the site's legal pages).

Read by the pages' viewlets (browser/identity.py) and ``GET /@town``
(restapi/town/).
"""

from illkirch.eservices import _
from illkirch.eservices import mail
from illkirch.eservices.accessibility import statement
from plone import api

import re


PREFIX = "illkirch.eservices."
DEFAULT_LOGO = "++plone++illkirch.eservices/logo-illkirch.svg"
# The footer's links: id, title, the setting holding the page's path (none:
# the portal's own page).
FOOTER_LINKS = (
    ("follow-request", _("link_follow_request", default="Follow my request"), None),
    ("accessibility", None, "accessibility_page"),  # accessibility_title()
    (
        "legal-notice",
        _("link_legal_notice", default="Legal notice"),
        "legal_notice_page",
    ),
    (
        "personal-data",
        _("link_personal_data", default="Personal data"),
        "personal_data_page",
    ),
)
FOLLOW_REQUEST_PATH = "/@@suivre-ma-demande"
# The site's compliance with the RGAA, stated in the footer's accessibility
# link as the RGAA asks (« Accessibilité : partiellement conforme »).
COMPLIANCE = {
    "none": _("compliance_none", default="not compliant"),
    "partial": _("compliance_partial", default="partially compliant"),
    "full": _("compliance_full", default="fully compliant"),
}
DEFAULT_NAME = "Ville d'Illkirch-Graffenstaden"


def name():
    """The town's name (« Nom de la ville »)."""
    return mail.town_name() or DEFAULT_NAME


def setting(name, default=""):
    """An « Espace citoyen » setting (``illkirch.eservices.<name>``)."""
    value = api.portal.get_registry_record(PREFIX + name, default=default)
    return default if value is None else value


def lines(text):
    """The non-empty lines of a multi-line setting, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def phone_href(phone):
    """The ``tel:`` link of a phone number as people write it
    (``03 88 00 00 00``, ``+33 3 88 …``), or ``None`` without digits."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    return f"tel:{digits}" if re.search(r"\d", digits) else None


def page_url(portal_url, path):
    """The address of a page setting: a full address as it is, a path in
    the site after the site's address; ``None`` when empty."""
    path = (path or "").strip()
    if not path:
        return None
    if re.match(r"^https?://", path):
        return path
    return f"{portal_url.rstrip('/')}/{path.lstrip('/')}"


def uses_site_logo():
    """Whether a logo was uploaded in Plone's Site settings
    (``plone.site_logo``)."""
    return bool(api.portal.get_registry_record("plone.site_logo", default=None))


def logo_url(portal_url):
    """The logo's address: Plone's site logo when one was uploaded, else the
    demo town's wordmark."""
    if uses_site_logo():
        from Products.CMFPlone.utils import getSiteLogo

        return getSiteLogo()
    return f"{portal_url.rstrip('/')}/{DEFAULT_LOGO}"


def footer_links(portal_url):
    """``[{id, title, url}]``: « Suivre ma demande » then the legal pages
    whose setting is not empty (``title`` is a message to translate)."""
    links = []
    for link_id, title, name in FOOTER_LINKS:
        path = setting(name) if name else FOLLOW_REQUEST_PATH
        url = page_url(portal_url, path)
        if link_id == "accessibility":
            title = accessibility_title()
        if url:
            links.append({"id": link_id, "title": title, "url": url})
    return links


def accessibility_title():
    """« Accessibilité : <compliance> » (a message to translate): the
    lower of the setting and what the tests' audit allows
    (accessibility/statement.py)."""
    status = COMPLIANCE[compliance()]
    return _(
        "link_accessibility_status",
        default="Accessibility: ${status}",
        mapping={"status": status},
    )


def compliance():
    """The RGAA state the site claims (« none », « partial », « full »): the
    setting, lowered to what the browser tests' audit shows."""
    return statement.claimed_state(
        setting("accessibility_compliance"), statement.load()
    )


def contact():
    """The town hall: ``address`` and ``opening_hours`` as lists of lines,
    ``phone`` and its ``phone_href`` (``None`` without a number)."""
    phone = (setting("phone") or "").strip()
    return {
        "address": lines(setting("postal_address")),
        "opening_hours": lines(setting("opening_hours")),
        "phone": phone,
        "phone_href": phone_href(phone),
    }

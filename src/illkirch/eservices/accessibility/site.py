"""The site's accessibility statement: the facts of the audit
(statement.py) with the site's settings (the town's name, its contact, the
compliance it states), as the statement's page and ``GET /@accessibility``
show them."""

from illkirch.eservices import town
from illkirch.eservices.accessibility import statement


# The French State's remedies (voies de recours), the same for every site.
DEFENSEUR_FORM = "https://formulaire.defenseurdesdroits.fr/"
DEFENSEUR_DELEGATES = "https://www.defenseurdesdroits.fr/saisir/delegues"
DEFENSEUR_ADDRESS = (
    "Défenseur des droits",
    "Libre réponse 71120",
    "75342 Paris CEDEX 07",
)
TECHNOLOGIES = ("HTML5", "CSS", "JavaScript", "WAI-ARIA")


def site_statement(portal_url):
    """The statement's facts (``statement.statement``) with ``town``,
    ``url`` (the portal's public address), ``contact`` (email, phone,
    address) and the ``remedies``."""
    facts = statement.statement(
        town.setting("accessibility_compliance"), statement.load()
    )
    contact = town.contact()
    public_url = (town.setting("public_url") or "").strip() or portal_url
    return {
        **facts,
        "town": town.name(),
        "url": public_url,
        "technologies": list(TECHNOLOGIES),
        "contact": {
            "email": (town.setting("contact_email") or "").strip(),
            "phone": contact["phone"],
            "phone_href": contact["phone_href"],
            "address": contact["address"],
        },
        "remedies": {
            "form": DEFENSEUR_FORM,
            "delegates": DEFENSEUR_DELEGATES,
            "address": list(DEFENSEUR_ADDRESS),
        },
    }

"""The site's own folders: the households, the requests filed without
account and the régies.

Each is created once, by the install step, an upgrade step or the first
code that files into it; their types are not addable by hand
(``global_allow`` off) and only staff list them.
"""

from plone import api
from plone.dexterity.utils import createContentInContainer


HOUSEHOLDS_FOLDER_ID = "foyers"
REQUESTS_FOLDER_ID = "demandes"
REGIES_FOLDER_ID = "regies"


def _ensure_folder(portal, folder_id, portal_type, title):
    if folder_id in portal.objectIds():
        return portal[folder_id]
    with api.env.adopt_roles(["Manager"]):
        return createContentInContainer(
            portal,
            portal_type,
            checkConstraints=False,
            id=folder_id,
            title=title,
            exclude_from_nav=True,
        )


def ensure_households_folder(portal):
    """The folder holding every household."""
    return _ensure_folder(portal, HOUSEHOLDS_FOLDER_ID, "HouseholdFolder", "Foyers")


def ensure_requests_folder(portal):
    """The folder holding the requests filed without household (account-less
    civil-status requests)."""
    return _ensure_folder(
        portal, REQUESTS_FOLDER_ID, "RequestFolder", "Demandes sans compte"
    )


def ensure_regies_folder(portal):
    """The folder of the régies; the Finance role manages it."""
    return _ensure_folder(portal, REGIES_FOLDER_ID, "RegieFolder", "Régies")


def regies_folder():
    """The folder of the régies, or None on a site that has none yet."""
    return api.portal.get().get(REGIES_FOLDER_ID)

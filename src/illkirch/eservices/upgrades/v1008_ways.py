"""1007 → 1008: ways that lead somewhere (#15).

- The FAQ is no longer a navigation root: on it, the logo, « Accueil », the
  breadcrumbs, the search and « Se connecter » lead to the site.
- The user menu: « Mon compte » for citizens, Plone's preferences for
  whoever may change their properties (actions.xml); Plone's dashboard for
  the staff (rolemap.xml).
"""

from plone import api


PROFILE = "profile-illkirch.eservices:default"
NAVIGATION_ROOT = "plone.navigationroot"


def faq_out_of_navigation_roots(portal_types=None):
    """The FAQ's type without the navigation root behaviour; the FAQs'
    interfaces indexed again (the behaviour's marker is gone)."""
    portal_types = portal_types or api.portal.get_tool("portal_types")
    fti = portal_types.getTypeInfo("FAQ")
    if fti is None or NAVIGATION_ROOT not in fti.behaviors:
        return
    fti._updateProperty(
        "behaviors", tuple(b for b in fti.behaviors if b != NAVIGATION_ROOT)
    )
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="FAQ"):
        brain._unrestrictedGetObject().reindexObject(idxs=["object_provides"])


def ways(context):
    """The upgrade step (``context``: portal_setup)."""
    context.runImportStepFromProfile(PROFILE, "rolemap", run_dependencies=False)
    context.runImportStepFromProfile(PROFILE, "actions", run_dependencies=False)
    faq_out_of_navigation_roots()

"""1010 → 1011: the statistics (#19).

The role « Responsable » (Supervisor) and the permission « View
statistics » (rolemap.xml), the group « Responsables » holding the role
(as the install step creates ``roles.GROUPS``), and the aggregates kept by
events, counted from the existing requests, payments and households
(``statistics.rebuild``).
"""

from illkirch.eservices.roles import GROUPS
from illkirch.eservices.roles import SUPERVISOR_ROLE
from illkirch.eservices.roles import add_custom_roles
from illkirch.eservices.statistics import rebuild
from plone import api

import logging


logger = logging.getLogger(__name__)

PROFILE = "profile-illkirch.eservices:default"
GROUP = "Responsables"


def statistics(context):
    """The upgrade step (``context``: portal_setup)."""
    context.runImportStepFromProfile(PROFILE, "rolemap", run_dependencies=False)
    portal = api.portal.get()
    add_custom_roles(portal)
    title, roles = GROUPS[GROUP]
    if api.group.get(groupname=GROUP) is None:
        api.group.create(groupname=GROUP, title=title, roles=list(roles))
    else:
        api.group.grant_roles(groupname=GROUP, roles=[SUPERVISOR_ROLE])
    summary = rebuild.rebuild(portal)
    logger.info("Statistics: aggregates counted from %s", summary)

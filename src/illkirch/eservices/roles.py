"""The custom roles of the portal and the groups that carry them."""

from AccessControl import getSecurityManager


# Town staff who validate citizen accounts and process requests.
AGENT_ROLE = "Agent"
# Régie staff who manage invoices and payments.
FINANCE_ROLE = "Finance"

# The town's managers « Responsables »: the statistics of every service
# (the dashboard ``@@tableau-de-bord`` and ``GET /@statistics``).
SUPERVISOR_ROLE = "Supervisor"

# Local role, on each request, of the agents' group of its service: they see
# and process it (request_workflow).
PROCESSOR_ROLE = "RequestProcessor"

CUSTOM_ROLES = (AGENT_ROLE, FINANCE_ROLE, SUPERVISOR_ROLE, PROCESSOR_ROLE)

# group id -> (title, roles). Titles are shown as is in Plone's user and group
# management screens, hence in French.
GROUPS = {
    "Agents": ("Agents", (AGENT_ROLE,)),
    "Regies": ("Régies", (FINANCE_ROLE,)),
    "Responsables": ("Responsables", (SUPERVISOR_ROLE,)),
}


def add_custom_roles(portal):
    """Give PlonePAS's role manager (read by Plone's user and group screens)
    the custom roles that ``rolemap.xml`` declares on the site."""
    role_manager = portal.acl_users.portal_role_manager
    for role in CUSTOM_ROLES:
        if role not in role_manager.listRoleIds():
            role_manager.addRole(role)


def may(permission, obj):
    """Whether the current user has ``permission`` on ``obj``: what
    ``plone.api.user.has_permission(permission, obj=obj)`` answers, without
    its check of the permission's name on a refusal, which lists every
    permission of the site (about 1 ms; a citizen is refused « Process
    requests » on each request page, #22)."""
    return bool(getSecurityManager().checkPermission(permission, obj))

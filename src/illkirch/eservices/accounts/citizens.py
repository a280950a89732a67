"""Who is a citizen: a member of the portal who holds none of the staff's
roles.

The town's staff (administrators, editors, agents, régies) hold one of
``STAFF_ROLES``, given by their groups or to their account: they are the
roles that see Plone's toolbar (``profiles/default/rolemap.xml``, « Show
Toolbar »). Everyone else who is logged in is a citizen: they meet the
portal's own pages (« Mon espace ») and never Plone's member pages,
breadcrumbs or bylines (``accounts/plone_endpoints.py``, ``browser/ways.py``).
"""

from AccessControl import getSecurityManager
from illkirch.eservices.roles import AGENT_ROLE
from illkirch.eservices.roles import FINANCE_ROLE
from illkirch.eservices.roles import PROCESSOR_ROLE
from plone import api


ADMIN_ROLES = frozenset({"Manager", "Site Administrator"})
STAFF_ROLES = ADMIN_ROLES | {
    "Editor",
    "Contributor",
    "Reviewer",
    AGENT_ROLE,
    FINANCE_ROLE,
    PROCESSOR_ROLE,
}


def roles(context=None):
    """The current user's roles (global and from their groups; also the
    local ones on ``context`` when given).

    The authenticated user as PAS made it for this request (its roles and
    groups already computed): ``api.user.get_roles`` looks the user up
    again in PAS and wraps it twice as member data, about 4 ms a call,
    and every page asks several times (the « ways » viewlets, the request
    page)."""
    if api.user.is_anonymous():
        return set()
    user = getSecurityManager().getUser()
    if context is None:
        return set(user.getRoles())
    return set(user.getRolesInContext(context))


def is_citizen(context=None):
    """A logged-in user without any staff role."""
    if api.user.is_anonymous():
        return False
    return not roles(context) & STAFF_ROLES


def is_administrator(context=None):
    """A Manager or Site Administrator (here or on the whole site)."""
    return bool(roles(context) & ADMIN_ROLES)


def is_agent(context=None):
    """An agent of the town (the Guichet's users)."""
    return AGENT_ROLE in roles(context)

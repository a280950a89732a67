"""Whose statistics a user sees.

- Managers, Site Administrators and Supervisors (« Responsables »): every
  service, and the town's payments and accounts (``town`` true).
- Agents: the services of their groups (``queue.queue_services``), without
  payments and accounts (the town's, not a service's).
- Anybody else: nothing (``scope_of`` returns None).

The roles are the user's on the site (global roles and those of their
groups), as ``queue.sees_all`` reads them.
"""

from dataclasses import dataclass
from illkirch.eservices import _
from illkirch.eservices.requests import queue
from illkirch.eservices.roles import AGENT_ROLE
from illkirch.eservices.roles import SUPERVISOR_ROLE


TOWN_ROLES = ("Manager", "Site Administrator", SUPERVISOR_ROLE)
UNKNOWN_SERVICE = _(
    "error_statistics_service",
    default="Unknown service, or a service whose statistics you do not see.",
)


@dataclass
class Scope:
    services: list  # the Service objects covered, by title
    town: bool  # every service, the payments and the accounts

    def uids(self):
        return [service.UID() for service in self.services]

    def find(self, key):
        """The covered service of that UID or id, or None."""
        for service in self.services:
            if key in (service.UID(), service.getId()):
                return service
        return None


def scope_of(user=None):
    """The user's ``Scope``, or None when they see no statistics."""
    user = user or queue.current_user()  # PAS's user, no member data (#22)
    if user is None:
        return None
    roles = set(user.getRoles() or ())
    if roles & set(TOWN_ROLES):
        return Scope(queue.all_services(), True)
    if AGENT_ROLE in roles:
        return Scope(queue.queue_services(user), False)
    return None

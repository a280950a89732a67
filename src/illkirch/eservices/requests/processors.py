"""Who processes a service's requests: its current agents' group.

Each request gives the local role RequestProcessor (``request_workflow``:
View and the agents' transitions) to the agents' group of its service. When
an editor changes the service's group, ``service_modified`` moves that role,
in the same transaction, on every request already filed: the old group loses
them, the new one gets them, and the catalog's security index follows (the
Guichet's searches are restricted catalog queries). An assignee who is not a
member of the new group is unassigned (recorded in the request's history).

The service remembers the group its requests were last given to
(``PROCESSORS_ATTR``), so that the other changes of a service cost nothing.
Cost: about 2 ms a request (docs/services.md).
"""

from Acquisition import aq_base
from illkirch.eservices import history
from illkirch.eservices.roles import PROCESSOR_ROLE
from illkirch.eservices.vocabularies.agents_groups import AGENTS_GROUPS_RECORD
from illkirch.eservices.vocabularies.agents_groups import is_agents_group
from plone import api


PROCESSORS_ATTR = "_eservices_processors_group"
_MISSING = object()


def processor_group(service):
    """The group that processes the service's requests: its agents' group
    when it is one of the town's (``vocabularies/agents_groups.py``), else
    nobody but the site's managers."""
    group_id = getattr(service, "agents_group", None) or ""
    return group_id if is_agents_group(group_id) else ""


def processor_groups(request_obj):
    """The principals holding the local role RequestProcessor on the request."""
    return {
        principal
        for principal, roles in request_obj.get_local_roles()
        if PROCESSOR_ROLE in roles
    }


def set_processors(request_obj, group_id):
    """Give the local role RequestProcessor to ``group_id`` only (nobody when
    empty); True when the request's local roles changed."""
    current = processor_groups(request_obj)
    wanted = {group_id} if group_id else set()
    if current == wanted:
        return False
    for principal in current - wanted:
        roles = [
            role
            for role in request_obj.get_local_roles_for_userid(principal)
            if role != PROCESSOR_ROLE
        ]
        if roles:
            request_obj.manage_setLocalRoles(principal, roles)
        else:
            request_obj.manage_delLocalRoles([principal])
    for principal in wanted - current:
        roles = set(request_obj.get_local_roles_for_userid(principal))
        request_obj.manage_setLocalRoles(principal, sorted(roles | {PROCESSOR_ROLE}))
    return True


def requests_of(service):
    """The service's requests, wherever they are (households, /demandes)."""
    catalog = api.portal.get_tool("portal_catalog")
    uid = api.content.get_uuid(service)
    for brain in catalog.unrestrictedSearchResults(service_uid=uid):
        if brain.portal_type == "Request":
            yield brain._unrestrictedGetObject()


def _members(group_id):
    if not group_id:
        return set()
    return {user.getId() for user in api.user.get_users(groupname=group_id)}


def follow_service(service):
    """Give the service's requests to its current agents' group; return the
    number of requests changed."""
    group_id = processor_group(service)
    members = None
    changed = 0
    for request_obj in requests_of(service):
        if not set_processors(request_obj, group_id):
            continue
        changed += 1
        idxs = ["allowedRolesAndUsers"]
        assignee = getattr(request_obj, "assignee", "") or ""
        if assignee:
            if members is None:
                members = _members(group_id)
            if assignee not in members:
                request_obj.assignee = ""
                history.record(request_obj, "unassigned")
                idxs.append("request_assignee")
        # a Request holds no content: its own entry is all there is to
        # reindex, and its metadata hold no role (but the assignee's)
        request_obj.reindexObject(idxs=idxs, update_metadata=len(idxs) > 1)
    setattr(service, PROCESSORS_ATTR, group_id)
    return changed


def service_added(service, event):
    """Subscriber (IService, IObjectAddedEvent): a new service has no
    request yet; remember its group."""
    setattr(service, PROCESSORS_ATTR, processor_group(service))


def service_modified(service, event):
    """Subscriber (IService, IObjectModifiedEvent): when the agents' group
    changed, its requests follow."""
    group_id = processor_group(service)
    if getattr(aq_base(service), PROCESSORS_ATTR, _MISSING) == group_id:
        return
    follow_service(service)


def agents_groups_changed(event):
    """Subscriber (the registry's IRecordModifiedEvent): when the site's
    administrators designate other agents' groups, the requests of a
    service whose group is no longer one go to nobody but the managers
    (and come back to it when it is designated again)."""
    if getattr(event.record, "__name__", None) != AGENTS_GROUPS_RECORD:
        return
    from illkirch.eservices.requests.queue import all_services

    for service in all_services():
        service_modified(service, event)

"""Assigning requests to agents, and the agents' transitions in bulk on a
selection of the Guichet (each request in its own savepoint)."""

from dataclasses import dataclass
from dataclasses import field
from illkirch.eservices import history
from illkirch.eservices.requests import processing
from illkirch.eservices.requests.queue import AGENT_TRANSITIONS
from illkirch.eservices.requests.queue import BAD_ASSIGNEE
from illkirch.eservices.requests.queue import MAX_BULK
from illkirch.eservices.requests.queue import NO_SELECTION
from illkirch.eservices.requests.queue import NOT_FOUND
from illkirch.eservices.requests.queue import NOT_IN_GROUP
from illkirch.eservices.requests.queue import NOT_PROCESSOR
from illkirch.eservices.requests.queue import PROCESS_PERMISSION
from illkirch.eservices.requests.queue import TOO_MANY
from illkirch.eservices.requests.queue import UNKNOWN_TRANSITION
from illkirch.eservices.requests.queue import QueueError
from illkirch.eservices.requests.queue import Rows
from illkirch.eservices.requests.queue import find
from illkirch.eservices.requests.queue import group_ids
from illkirch.eservices.roles import PROCESSOR_ROLE
from illkirch.eservices.roles import may
from illkirch.eservices.transitions import TransitionRefused
from illkirch.eservices.transitions import text as request_text
from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException

import transaction


# assignment -------------------------------------------------------------------


def processor_groups(request_obj):
    """The groups processing the request (its RequestProcessor local role)."""
    return {
        principal
        for principal, roles in request_obj.get_local_roles()
        if PROCESSOR_ROLE in roles
    }


def may_assign(request_obj):
    return may(PROCESS_PERMISSION, request_obj)


def assignable(request_obj):
    """The agents of the request's groups: ``[{"id", "name"}]`` by name.

    PAS directly, as ``api.user.get_users(groupname=…)`` does without the
    member data wrapping of each agent (the agents' request page asks on
    every view)."""
    pas = api.portal.get_tool("acl_users")
    group_tool = api.portal.get_tool("portal_groups")
    users = {}
    for group_id in processor_groups(request_obj):
        for principal_id in group_tool.getGroupMembers(group_id):
            user = pas.getUserById(principal_id) or pas.getGroupById(principal_id)
            if user is not None:
                users[user.getId()] = user.getProperty("fullname", "") or user.getId()
    return sorted(
        ({"id": uid, "name": name} for uid, name in users.items()),
        key=lambda item: item["name"].casefold(),
    )


def assign(request_obj, userid):
    """Assign the request to ``userid`` ("me": oneself; None or "": nobody).

    Only its processors may; only to themselves or to an agent of its
    group. Recorded in the history. Raise QueueError otherwise.
    """
    me = api.user.get_current().getId()
    if not may_assign(request_obj):
        raise QueueError({"assignee": NOT_PROCESSOR})
    userid = me if userid == "me" else (userid or "")
    if not isinstance(userid, str):
        raise QueueError({"assignee": BAD_ASSIGNEE})
    if userid and userid != me:
        user = api.user.get(userid=userid)
        if user is None or not (group_ids(user) & processor_groups(request_obj)):
            raise QueueError({"assignee": NOT_IN_GROUP})
    if (request_obj.assignee or "") == userid:
        return False
    request_obj.assignee = userid
    request_obj.reindexObject(idxs=["request_assignee"])
    if userid:
        history.record(request_obj, "assigned", Rows().user_name(userid))
    else:
        history.record(request_obj, "unassigned")
    return True


# bulk -------------------------------------------------------------------------


@dataclass
class BulkResult:
    done: list = field(default_factory=list)  # the requests changed
    refused: list = field(default_factory=list)  # {"uid", "number", "message"}


def _uids(uids):
    if isinstance(uids, str):
        uids = [uids]
    if not isinstance(uids, (list, tuple)) or not all(isinstance(u, str) for u in uids):
        raise QueueError({"uids": NO_SELECTION})
    uids = list(dict.fromkeys(u.strip() for u in uids if u.strip()))
    if not uids:
        raise QueueError({"uids": NO_SELECTION})
    if len(uids) > MAX_BULK:
        raise QueueError({"uids": TOO_MANY})
    return uids


def _bulk(uids, act):
    """Run ``act(request_obj)`` on each request, each in its own savepoint."""
    result = BulkResult()
    for uid in _uids(uids):
        request_obj = find(uid)
        if request_obj is None:  # never say whether it exists
            result.refused.append(
                {"uid": uid, "number": "", "message": request_text(NOT_FOUND)}
            )
            continue
        savepoint = transaction.savepoint()
        try:
            act(request_obj)
        except (TransitionRefused, WorkflowException) as error:
            savepoint.rollback()
            message = str(error) or request_text(processing.UNAVAILABLE)
        except QueueError as error:
            savepoint.rollback()
            message = "; ".join(request_text(m) for m in error.errors.values())
        else:
            result.done.append(request_obj)
            continue
        result.refused.append(
            {"uid": uid, "number": request_obj.number, "message": message}
        )
    return result


def bulk_fire(uids, transition, comment=""):
    """Fire ``transition`` with the same ``comment`` on each request."""
    if transition not in AGENT_TRANSITIONS:
        raise QueueError({"transition": UNKNOWN_TRANSITION})
    comment = (comment or "").strip() if isinstance(comment, str) else ""
    if transition in processing.MESSAGE_REQUIRED and not comment:
        raise QueueError({"comment": processing.MESSAGE_REQUIRED[transition]})
    uids = _uids(uids)
    return _bulk(uids, lambda obj: processing.fire(obj, transition, comment))


def bulk_assign(uids, userid):
    """Assign each request to ``userid`` (see ``assign``)."""
    return _bulk(uids, lambda obj: assign(obj, userid))

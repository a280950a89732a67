"""Everything the portal holds about a household, as plain JSON-ready data.

Used by « Télécharger mes données » (``@@mes-donnees.json``) and by
``GET /@household/export``: both give the citizen the same document (right
of access and portability). Staff members appear as ``"town"``: their user
ids are not the citizen's data.
"""

from AccessControl import Unauthorized
from DateTime import DateTime
from datetime import UTC
from datetime import date
from datetime import datetime
from illkirch.eservices import history
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.households import HOUSEHOLD_FIELDS
from illkirch.eservices.accounts.households import PERSON_FIELDS
from plone import api


EXPORT_FORMAT = "illkirch.eservices/household-export"
EXPORT_VERSION = 1
TOWN = "town"


def json_value(value):
    """Dates as ISO strings; everything else as it is stored."""
    if isinstance(value, DateTime):
        return value.ISO8601()
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def member_data(person):
    data = {"id": person.getId(), "title": person.Title()}
    data.update(
        {name: json_value(getattr(person, name, None)) for name in PERSON_FIELDS}
    )
    return data


def household_data(household):
    data = {
        "title": household.Title(),
        "created": json_value(household.created()),
        "modified": json_value(household.modified()),
    }
    for name in (*HOUSEHOLD_FIELDS, "billing_account"):
        data[name] = json_value(getattr(household, name, None))
    return data


def _actor(household, actor):
    """The holder keeps their id; anyone else acting on the household is the town."""
    return actor if actor and actor == household.holder_id else TOWN


def workflow_history(household):
    """The states of the household, newest first."""
    workflow = api.portal.get_tool("portal_workflow")
    entries = []
    for workflow_id in workflow.getChainFor(household):
        for entry in workflow.getHistoryOf(workflow_id, household) or ():
            entries.append(
                {
                    "action": entry.get("action"),
                    "review_state": entry.get("review_state"),
                    "time": json_value(entry.get("time")),
                    "actor": _actor(household, entry.get("actor")),
                    "comments": entry.get("comments") or "",
                }
            )
    return list(reversed(entries))


def change_history(household):
    """The household's own history (newest first), staff shown as the town."""
    return [
        {
            "time": entry["time"],
            "actor": _actor(household, entry["actor"]),
            "action": entry["action"],
            "details": entry["text"],
        }
        for entry in reversed(history.entries(household))
    ]


def account_data(userid):
    user = api.user.get(userid=userid) if userid else None
    if user is None:
        return {"identifier": None, "userid": userid, "email": None, "fullname": None}
    return {
        "identifier": user.getUserName(),
        "userid": user.getId(),
        "email": user.getProperty("email") or None,
        "fullname": user.getProperty("fullname") or None,
    }


def export_household(household):
    """All the data held about ``household`` and its account holder.

    Raises Unauthorized when the current user may not view the household.
    """
    if not api.user.has_permission("View", obj=household):
        raise Unauthorized("Cannot export this household")
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "account": account_data(household.holder_id),
        "household": household_data(household),
        "members": [member_data(person) for person in household.persons()],
        "state": {
            "id": households.state(household),
            "history": workflow_history(household),
        },
        "history": change_history(household),
    }

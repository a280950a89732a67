"""The history of a household or a request: who did what and when, oldest
first, kept in an annotation of the object.

Every entry has one shape, a dict of:

- ``time``: ISO 8601 in UTC, to the second;
- ``actor``: the user id of who acted ("" for no one known);
- ``action``: what happened, named by the domain (``person_added``,
  ``transition_accept``…);
- ``text``: its details or message ("" for none);
- ``state``: the object's workflow state once it happened.
"""

from datetime import UTC
from datetime import datetime
from persistent.list import PersistentList
from plone import api
from zope.annotation.interfaces import IAnnotations


KEY = "illkirch.eservices.history"
FIELDS = ("time", "actor", "action", "text", "state")


def entry(action, text="", actor="", state="", time=None):
    """An entry of the history (``time``: now by default)."""
    if time is None:
        time = datetime.now(UTC).isoformat(timespec="seconds")
    return {
        "time": time,
        "actor": actor or "",
        "action": action,
        "text": text or "",
        "state": state or "",
    }


def record(obj, action, text="", actor=None, state=None):
    """Append an entry: by the current user unless ``actor`` is given, in
    the object's current state unless ``state`` is."""
    if actor is None:
        actor = api.user.get_current().getId()
    if state is None:
        state = api.content.get_state(obj, default="")
    annotations = IAnnotations(obj)
    if KEY not in annotations:
        annotations[KEY] = PersistentList()
    annotations[KEY].append(entry(action, text, actor, state))


def entries(obj):
    """The history of ``obj``, oldest first (copies of its entries)."""
    return [dict(item) for item in IAnnotations(obj).get(KEY, ())]


def erase_texts(obj):
    """Blank the texts of the history of ``obj`` (they may hold personal
    data); the rest of each entry stays."""
    items = IAnnotations(obj).get(KEY, ())
    for index, item in enumerate(items):
        items[index] = dict(item, text="")

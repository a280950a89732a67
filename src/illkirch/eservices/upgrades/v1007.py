"""1006 → 1007: one history for households and requests (#14).

Households kept ``{time, actor, action, details}``, newest shown first;
requests kept ``{time, action, actor, comment, state}`` under their own
annotation. Both now keep the entries of ``illkirch.eservices.history``
(``history.FIELDS``) under ``history.KEY``.
"""

from illkirch.eservices import history
from persistent.list import PersistentList
from plone import api
from zope.annotation.interfaces import IAnnotations

import logging


logger = logging.getLogger("illkirch.eservices.upgrades")
REQUEST_KEY = "illkirch.eservices.request_history"  # before 1007


def _converted(item):
    """An entry of either old shape (or of the new one) in the new shape."""
    if "text" in item:
        text = item["text"]
    else:
        text = item.get("details", item.get("comment", ""))
    return history.entry(
        item.get("action", ""),
        text,
        item.get("actor", ""),
        item.get("state", ""),
        item.get("time", ""),
    )


def convert(obj):
    """Give the history of ``obj`` the one shape, under the one key."""
    annotations = IAnnotations(obj)
    items = [*annotations.pop(REQUEST_KEY, ()), *annotations.get(history.KEY, ())]
    if items:
        annotations[history.KEY] = PersistentList(_converted(item) for item in items)


def convert_histories(context):
    """The histories of every household and request."""
    catalog = api.portal.get_tool("portal_catalog")
    count = 0
    brains = catalog.unrestrictedSearchResults(portal_type=["Household", "Request"])
    for brain in brains:
        convert(brain._unrestrictedGetObject())
        count += 1
    logger.info("Histories of %d households and requests converted.", count)

"""The catalog's committed stamp: what the add-on's kept answers are keyed
by (#22: a household's path, the FAQ's answers, a service's JSON).

Every indexing moves the catalog's counter; its persistent object's serial
tells a committed value from one reached again by another transaction after
an abort."""

from plone import api
from Products.CMFCore.utils import getToolByName


def catalog():
    """The site's catalog: ``api.portal.get_tool("portal_catalog")``
    without plone.api's check of its arguments (#22: a page asks for the
    catalog a dozen times; the check cost more than the look-up)."""
    return getToolByName(api.portal.get(), "portal_catalog")


def committed_stamp(tool=None):
    """``(counter, serial)`` of the catalog, or ``None`` when the running
    transaction has changed the catalog (not committed: it may be aborted
    and another transaction reach the same counter, so nothing may be kept
    on it). ``tool``: the catalog, when the caller has it."""
    if tool is None:
        tool = catalog()
    value = tool.getCounter()  # also indexes what is queued
    counter = getattr(tool, "_counter", None)
    if counter is None or counter._p_changed:
        return None
    return (value, counter._p_serial)

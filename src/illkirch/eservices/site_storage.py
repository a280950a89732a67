"""Data the add-on keeps on the site itself, outside any content item:
OOBTrees annotated on the portal (rate limits, secret links, used captcha
codes, tracking failures)."""

from BTrees.OOBTree import OOBTree
from plone import api
from zope.annotation.interfaces import IAnnotations


def site_btree(key):
    """The OOBTree stored under ``key`` on the site, created on first use."""
    annotations = IAnnotations(api.portal.get())
    if key not in annotations:
        annotations[key] = OOBTree()
    return annotations[key]

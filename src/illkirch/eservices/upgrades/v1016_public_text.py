"""1015 → 1016: an anonymous visitor's text search asks the catalog's
``public_text`` index (#22, ``content/public_text.py``).

The catalog import step (run before) adds the empty index; this step puts
the public side of the portal into it: the objects whose type is not one
of the households' side (found by type in the catalog, a few hundred on a
town's portal), that index only. The households, persons, requests,
payments and invoices are not read, and nothing else changes in their
catalog entries.
"""

from illkirch.eservices.content.public_text import index_public_objects

import logging


logger = logging.getLogger(__name__)


def index_public_text(context):
    """The upgrade step (``context``: portal_setup)."""
    index_public_objects(context.portal_catalog, logger)

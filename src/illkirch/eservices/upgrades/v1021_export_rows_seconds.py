"""1020 → 1021: the export's rows keep their dates as seconds (#22).

The rows of upgrade 1020 held the records' ``DateTime``s themselves; a row's
``DateTime`` costs some 20 µs to unpickle each time its bucket is read,
its seconds (``catalog_rows.compact``) well under one. The rows are made
again from the metadata records, as upgrade 1020 made them (in batches,
the buckets read put back to sleep); a site without the projection gets it.
Rows already made by this version (upgrade 1020 run with it: its first row
holds no ``DateTime``) are left as they are.
"""

from DateTime import DateTime
from illkirch.eservices import catalog_rows
from illkirch.eservices.upgrades.v1020_export_rows import export_rows


def made_before(catalog):
    """Whether ``catalog`` has no projection, or one whose rows keep
    ``DateTime``s (made before this version)."""
    found = catalog_rows.projection(catalog)
    if found is None:
        return True
    first = next(iter(found[0].values()), ())
    return any(isinstance(value, DateTime) for value in first)


def export_rows_seconds(context):
    """The upgrade step (``context``: portal_setup)."""
    if made_before(context.portal_catalog):
        export_rows(context)

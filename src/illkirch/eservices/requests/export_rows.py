"""The CSV export's rows, a projection of the catalog's metadata (#22).

``catalog_rows`` keeps, beside the catalog's metadata records, the columns
of the requests' records that the export's lines read (``queue_export``
``csv_chunks``: ``COLUMNS``), so that a line reads one small row from a
bucket of requests' rows instead of a bucket of 60 records of every type
(invoices, persons, payments…) with 45 columns. What depends on the day or
the language (lateness, statuses' titles, agents' names) is still computed
when the export runs, from these values, as from the metadata.

Installed by the profile (``setuphandlers.post_install``) and upgrade 1020;
absent, the export reads the metadata as before.
"""

from illkirch.eservices import catalog_rows


# The portal types the export lists (``queue.filter_query``).
TYPES = ("Request",)
# The metadata columns ``queue_export.csv_chunks``'s ``line`` reads, through
# ``queue.Rows.requester`` too.
COLUMNS = (
    "request_number",
    "service_title",
    "created",
    "member_name",
    "requester_name",
    "household_title",
    "review_state",
    "due_date",
    "assignee",
)


def install(catalog, on_batch=None, batch=None):
    """The projection on ``catalog`` (the portal catalog), filled from its
    metadata records; return the number of rows."""
    return catalog_rows.install(catalog, TYPES, COLUMNS, on_batch, batch)


def installed(catalog):
    """Whether ``catalog`` has the export's projection."""
    found = catalog_rows.projection(catalog)
    return found is not None and found[1:] == (TYPES, COLUMNS)


def reader(brains):
    """``catalog_rows.reader`` of the catalog that made ``brains`` (a
    ZCatalog ``LazyMap``), or None (no projection, or other brains)."""
    catalog = getattr(getattr(brains, "_func", None), "__self__", None)
    if catalog is None or not hasattr(catalog, "data"):
        return None
    return catalog_rows.reader(catalog, TYPES, COLUMNS)

"""The Guichet's listing as a CSV file a spreadsheet opens: UTF-8 with a
BOM, ``;`` as separator, a French header."""

from datetime import datetime
from illkirch.eservices import business_days
from illkirch.eservices import catalog_reading
from illkirch.eservices.dates import format_date
from illkirch.eservices.requests import export_rows
from illkirch.eservices.requests import processing
from illkirch.eservices.requests.queue import CSV_HEADER
from illkirch.eservices.requests.queue import CSV_NO
from illkirch.eservices.requests.queue import CSV_YES
from illkirch.eservices.requests.queue import Rows
from illkirch.eservices.requests.queue import site_text
from zope.component.hooks import getSite

import csv
import io


# CSV --------------------------------------------------------------------------


def spreadsheet_text(value):
    """Text a spreadsheet shows as is (no formula from a citizen's input);
    the statistics' CSV uses it too (statistics/export.py)."""
    value = str(value or "")
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# Rows written to the response at once (``csv_chunks``).
CHUNK_ROWS = 500


def csv_export(brains):
    """The listing as CSV bytes: UTF-8 with BOM, ``;``, French header (the
    chunks of ``csv_chunks`` joined)."""
    return b"".join(csv_chunks(brains))


def csv_chunks(brains, chunk_rows=None):
    """The listing as CSV, ``chunk_rows`` rows (``CHUNK_ROWS``) at a time
    (bytes: UTF-8, the first chunk opening with the BOM), for a response
    written as it goes (``response.write``) rather than one string of the
    whole queue.

    The columns of ``Rows.row`` read from each brain's metadata — the
    « Demandeur » too (``household_title``, upgrade 1017) —, no request
    nor household woken up; the statuses' titles translated once each, the
    agents' names looked up once each (#22). The rows' values are read
    first, in the order of the catalog's records, and the objects they woke
    up (the catalog's buckets of metadata) put back to sleep every 100
    rows (``catalog_reading.in_record_order``): an export of a town's whole
    queue no longer stays in the memory, and each bucket is read once.

    Where the catalog has the export's projection (``export_rows``,
    upgrade 1020), each line reads its values from a small row of it (the
    same values as the metadata's, kept with them) instead of the record's
    bucket of 60 records of every type, its date of filing as seconds
    rather than a ``DateTime`` to unpickle: the same CSV, some microseconds
    a line."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    rows = Rows()
    statuses = {}

    def line(brain):
        review_state = brain.review_state
        if review_state not in statuses:
            statuses[review_state] = site_text(processing.state_title(review_state))
        due_date = brain.due_date
        created = brain.created
        if not isinstance(created, float):  # a brain's DateTime, not a row's
            created = created.timeTime()  # seconds (catalog_rows.compact)
        # its Paris day, as Rows.row's asdatetime().astimezone(), faster
        created = datetime.fromtimestamp(created, business_days.TIMEZONE)
        late = rows.late(due_date, review_state)
        return (
            brain.request_number,
            spreadsheet_text(brain.service_title),
            format_date(created),
            spreadsheet_text(brain.member_name or ""),
            spreadsheet_text(rows.requester(brain)),
            statuses[review_state],
            format_date(due_date),
            CSV_YES if late else CSV_NO,
            spreadsheet_text(rows.user_name(brain.assignee)),
        )

    site = getSite()
    lines = catalog_reading.in_record_order(
        brains, line, getattr(site, "_p_jar", None), stored=export_rows.reader(brains)
    )
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    encoding = "utf-8-sig"  # the BOM, once
    pending = 0
    for values in lines:
        writer.writerow(values)
        pending += 1
        if pending >= chunk_rows:
            yield output.getvalue().encode(encoding)
            encoding, pending = "utf-8", 0
            output.seek(0)
            output.truncate()
    if pending or encoding == "utf-8-sig":  # the rest, or the header alone
        yield output.getvalue().encode(encoding)


def write_csv(response, brains, filename):
    """Send the listing as a CSV download, written to ``response`` chunk by
    chunk (``csv_chunks``); the caller returns an empty body."""
    response.setHeader("Content-Type", "text/csv; charset=utf-8")
    response.setHeader("Content-Disposition", f'attachment; filename="{filename}"')
    response.setHeader("X-Content-Type-Options", "nosniff")
    response.setHeader("Cache-Control", "private, no-store")
    for chunk in csv_chunks(brains):
        response.write(chunk)


def csv_filename():
    return f"guichet-{processing.today().isoformat()}.csv"

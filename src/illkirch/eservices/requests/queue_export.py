"""The Guichet's listing as a CSV file a spreadsheet opens: UTF-8 with a
BOM, ``;`` as separator, a French header."""

from illkirch.eservices.dates import format_date
from illkirch.eservices.requests import processing
from illkirch.eservices.requests.queue import CSV_HEADER
from illkirch.eservices.requests.queue import CSV_NO
from illkirch.eservices.requests.queue import CSV_YES
from illkirch.eservices.requests.queue import Rows
from illkirch.eservices.requests.queue import site_text

import csv
import io


# CSV --------------------------------------------------------------------------


def spreadsheet_text(value):
    """Text a spreadsheet shows as is (no formula from a citizen's input);
    the statistics' CSV uses it too (statistics/export.py)."""
    value = str(value or "")
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_export(brains):
    """The listing as CSV bytes: UTF-8 with BOM, ``;``, French header.

    The statuses' titles are translated once each, not once per row
    (#22)."""
    rows = Rows()
    statuses = {}

    def status(row):
        if row["review_state"] not in statuses:
            statuses[row["review_state"]] = site_text(row["status"])
        return statuses[row["review_state"]]

    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for brain in brains:
        row = rows.row(brain)
        writer.writerow(
            [
                row["number"],
                spreadsheet_text(row["service"]),
                format_date(row["created"]),
                spreadsheet_text(row["member"]),
                spreadsheet_text(row["requester"]),
                status(row),
                format_date(row["due_date"]),
                CSV_YES if row["late"] else CSV_NO,
                spreadsheet_text(row["assignee_name"]),
            ]
        )
    return output.getvalue().encode("utf-8-sig")


def csv_filename():
    return f"guichet-{processing.today().isoformat()}.csv"

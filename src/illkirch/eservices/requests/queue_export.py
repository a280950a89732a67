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


def _cell(value):
    """Text a spreadsheet shows as is (no formula from a citizen's input)."""
    value = str(value or "")
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_export(brains):
    """The listing as CSV bytes: UTF-8 with BOM, ``;``, French header."""
    rows = Rows()
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for brain in brains:
        row = rows.row(brain)
        writer.writerow(
            [
                row["number"],
                _cell(row["service"]),
                format_date(row["created"]),
                _cell(row["member"]),
                _cell(row["requester"]),
                site_text(row["status"]),
                format_date(row["due_date"]),
                CSV_YES if row["late"] else CSV_NO,
                _cell(row["assignee_name"]),
            ]
        )
    return output.getvalue().encode("utf-8-sig")


def csv_filename():
    return f"guichet-{processing.today().isoformat()}.csv"

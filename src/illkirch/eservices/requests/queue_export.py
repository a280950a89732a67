"""The Guichet's listing as a CSV file a spreadsheet opens: UTF-8 with a
BOM, ``;`` as separator, a French header."""

from datetime import datetime
from illkirch.eservices import business_days
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

    The columns of ``Rows.row`` read from each brain, without the fields
    the file does not show (URL, UID, antivirus), and the statuses'
    titles translated once each, not once per row (#22)."""
    rows = Rows()
    statuses = {}
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for brain in brains:
        review_state = brain.review_state
        if review_state not in statuses:
            statuses[review_state] = site_text(processing.state_title(review_state))
        due_date = brain.due_date
        # its Paris day, as Rows.row's asdatetime().astimezone(), faster
        created = datetime.fromtimestamp(
            brain.created.timeTime(), business_days.TIMEZONE
        )
        late = processing.overdue(due_date, review_state, rows.today)
        writer.writerow(
            [
                brain.request_number,
                spreadsheet_text(brain.service_title),
                format_date(created),
                spreadsheet_text(brain.member_name or ""),
                spreadsheet_text(rows.requester(brain)),
                statuses[review_state],
                format_date(due_date),
                CSV_YES if late else CSV_NO,
                spreadsheet_text(rows.user_name(brain.assignee)),
            ]
        )
    return output.getvalue().encode("utf-8-sig")


def csv_filename():
    return f"guichet-{processing.today().isoformat()}.csv"

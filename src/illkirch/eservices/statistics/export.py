"""The report (``figures.report``) as files a spreadsheet opens: CSV
(UTF-8 with a BOM, ``;`` as separator, decimal commas: what a French
spreadsheet expects, as the Guichet's export ``requests/queue_export.py``)
and ODS (OpenDocument, odfpy: one sheet per section, numbers as numbers).

Both hold the same figures, in the same sections (``sections``): a heading,
column titles, the rows; the texts are messages translated into the site's
language (French: locales/fr), the dashboard's where it says the same.
Counts under the threshold are « < 5 » as in the report, the assignees
with fewer than 5 decisions gathered in « Autres agents (moins de 5
décisions chacun) »; an empty cell is a figure that does not exist (no
decision, no median).
"""

from illkirch.eservices import _
from illkirch.eservices.requests import processing
from illkirch.eservices.requests.queue import site_text
from illkirch.eservices.requests.queue_export import spreadsheet_text

import csv
import io


# The texts of the files, in the site's language (``site_text``); the
# msgids the dashboard shows too are the page's (browser/statistics.py,
# templates/statistics.pt), so that both say the same.
KINDS = {
    "month": _("period_kind_month", default="Month"),
    "quarter": _("period_kind_quarter", default="Quarter"),
    "year": _("period_kind_year", default="Year"),
    "custom": _("statistics_export_kind_custom", default="Chosen dates"),
}
GROUP_BYS = {
    "day": _("statistics_export_day", default="Day"),
    "week": _("statistics_export_week", default="Week"),
    "month": _("period_kind_month", default="Month"),
    "quarter": _("period_kind_quarter", default="Quarter"),
    "year": _("period_kind_year", default="Year"),
}
SIDES = (
    ("citizen", _("statistics_export_citizen_messages", default="Citizens' messages")),
    ("agent", _("statistics_export_agent_messages", default="Agents' messages")),
    ("internal", _("statistics_export_internal_notes", default="Internal notes")),
)
UNASSIGNED = _("assignee_none", default="Not assigned")
OTHERS = _(
    "statistics_other_assignees",
    default="Other agents (fewer than 5 decisions each)",
)
FILED = _("column_filed", default="Filed")
ACCEPTED = _("column_accepted", default="Accepted")
REJECTED = _("column_rejected", default="Refused")
DECISIONS = _("statistics_export_decisions", default="Decisions")
TIMES = (
    _(
        "statistics_export_median_days",
        default="Median processing time (business days)",
    ),
    _("statistics_export_p90_days", default="90th percentile (business days)"),
)
WITHIN = _("statistics_within_delay", default="Processed within the announced delay")
WITHIN_SHARE = _(
    "statistics_export_within_delay_share",
    default="Processed within the announced delay (%)",
)
LATE = _("column_late_now", default="Late now")
SERVICE = _("label_request_service", default="Service")
GROUP = _("column_group", default="Agents' group")
PERIOD = _("column_period", default="Period")
FROM = _("statistics_export_from", default="From")
TO = _("statistics_export_to", default="To")
INDICATOR = (
    _("statistics_export_indicator", default="Indicator"),
    _("statistics_export_value", default="Value"),
)
ALL = _("statistics_export_all", default="All")
CELLS = (FILED, ACCEPTED, REJECTED, *TIMES, WITHIN_SHARE, LATE)


class Percent(float):
    """A share (0..1) shown as a percentage."""


class Euros(float):
    """An amount in euros (from cents)."""


def _percent(share):
    return None if share is None else Percent(round(share * 100, 1))


def _states():
    return [(state, site_text(title)) for state, title in processing.STATES.items()]


def _cells(row):
    return [
        row["filed"],
        row["accepted"],
        row["rejected"],
        row["median_days"],
        row["p90_days"],
        _percent(row["within_delay_share"]),
        row["late_now"],
        *(row["status_now"][state] for state, _title in _states()),
    ]


def _status_title(title):
    return site_text(
        _(
            "statistics_export_status_now",
            default="Current status: ${status}",
            mapping={"status": title},
        )
    )


def _status_titles():
    return [_status_title(title) for _state, title in _states()]


def _texts(values):
    return tuple(site_text(value) for value in values)


def _assignee_name(row):
    if row.get("others"):
        return site_text(OTHERS)
    return row["name"] or site_text(UNASSIGNED)


def sections(report, service_title=""):
    """``[(heading, header, rows)]``: the report as tables, their texts in
    the site's language."""
    period = report["period"]
    requests = report["requests"]
    text = site_text
    indicator = _texts(INDICATOR)
    found = [
        (
            text(PERIOD),
            indicator,
            [
                (text(PERIOD), text(KINDS.get(period["kind"], period["kind"]))),
                (text(FROM), period["from"]),
                (text(TO), period["to"]),
                (
                    text(_("statistics_export_group_by", default="Grouped by")),
                    text(GROUP_BYS.get(period["group_by"], period["group_by"])),
                ),
                (
                    text(SERVICE),
                    service_title
                    or text(
                        _("statistics_export_all_services", default="All services")
                    ),
                ),
                (
                    text(
                        _(
                            "statistics_export_threshold",
                            default="Confidentiality threshold (requests)",
                        )
                    ),
                    report["threshold"],
                ),
            ],
        ),
        (
            text(_("column_requests", default="Requests")),
            indicator,
            [
                (text(FILED), requests["filed"]),
                (text(ACCEPTED), requests["accepted"]),
                (text(REJECTED), requests["rejected"]),
                (text(DECISIONS), requests["processing_days"]["count"]),
                (text(TIMES[0]), requests["processing_days"]["median"]),
                (text(TIMES[1]), requests["processing_days"]["p90"]),
                (text(WITHIN), requests["within_delay"]["count"]),
                (text(WITHIN_SHARE), _percent(requests["within_delay"]["share"])),
                (text(LATE), requests["late_now"]),
                *(
                    (_status_title(title), requests["status_now"][state])
                    for state, title in _states()
                ),
            ],
        ),
        (
            text(_("statistics_export_series", default="Evolution")),
            _texts((PERIOD, FROM, TO, FILED, ACCEPTED, REJECTED, *TIMES)),
            [
                (
                    bucket["label"],
                    bucket["from"],
                    bucket["to"],
                    bucket["filed"],
                    bucket["accepted"],
                    bucket["rejected"],
                    bucket["median_days"],
                    bucket["p90_days"],
                )
                for bucket in requests["series"]
            ],
        ),
        (
            text(_("heading_statistics_services", default="Per service")),
            (
                *_texts(
                    (
                        SERVICE,
                        GROUP,
                        _(
                            "statistics_export_announced_days",
                            default="Announced delay (business days)",
                        ),
                        *CELLS,
                    )
                ),
                *_status_titles(),
            ),
            [
                (row["title"], row["group_title"], row["announced_days"], *_cells(row))
                for row in report["by_service"]
            ],
        ),
        (
            text(_("heading_statistics_groups", default="Per agents' group")),
            (*_texts((GROUP, *CELLS)), *_status_titles()),
            [(row["title"], *_cells(row)) for row in report["by_group"]],
        ),
        (
            text(_("statistics_export_by_assignee", default="Per agent")),
            _texts(
                (
                    _("statistics_export_agent", default="Agent"),
                    DECISIONS,
                    ACCEPTED,
                    REJECTED,
                    *TIMES,
                )
            ),
            [
                (
                    _assignee_name(row),
                    row["decided"],
                    row["accepted"],
                    row["rejected"],
                    row["median_days"],
                    row["p90_days"],
                )
                for row in report["by_assignee"]
            ],
        ),
    ]
    payments = report["payments"]
    if payments is not None:
        every = text(ALL)
        rows = []
        for regie in payments["by_regie"]:
            for backend in regie["by_backend"]:
                rows.append(_payment_row(regie["title"], backend["backend"], backend))
            rows.append(_payment_row(regie["title"], every, regie))
        rows.append(
            _payment_row(
                text(_("statistics_export_all_regies", default="All régies")),
                every,
                payments,
            )
        )
        found.append(
            (
                text(_("heading_statistics_payments", default="Online payments")),
                _texts(
                    (
                        _("column_regie", default="Régie"),
                        _("column_backend", default="Payment backend"),
                        _(
                            "statistics_export_paid_count",
                            default="Successful payments",
                        ),
                        _("statistics_export_paid_amount", default="Amount paid (€)"),
                        _("statistics_export_failed_count", default="Payments failed"),
                    )
                ),
                rows,
            )
        )
    accounts = report["accounts"]
    if accounts is not None:
        found.append(
            (
                text(_("statistics_export_accounts", default="Accounts")),
                indicator,
                [
                    (
                        text(
                            _("statistics_accounts_created", default="Accounts created")
                        ),
                        accounts["created"],
                    ),
                    (
                        text(
                            _(
                                "statistics_accounts_validated",
                                default="Accounts validated",
                            )
                        ),
                        accounts["validated"],
                    ),
                    (
                        text(
                            _(
                                "statistics_export_validation_median",
                                default="Median validation time (business days)",
                            )
                        ),
                        accounts["validation_days"]["median"],
                    ),
                    (
                        text(
                            _(
                                "statistics_validation_p90",
                                default="Validation time, 90th percentile "
                                "(business days)",
                            )
                        ),
                        accounts["validation_days"]["p90"],
                    ),
                ],
            )
        )
    found.append(
        (
            text(_("statistics_export_messages", default="Messages")),
            indicator,
            [(text(title), report["messages"][side]) for side, title in SIDES],
        )
    )
    return found


def _payment_row(regie, backend, figures):
    return (
        regie,
        backend,
        figures["paid_count"],
        Euros(figures["paid_cents"] / 100),
        figures["failed_count"],
    )


# CSV --------------------------------------------------------------------------


def _text(value):
    """A cell as CSV text: decimal commas, nothing a spreadsheet would take
    for a formula."""
    if value is None:
        return ""
    if isinstance(value, Euros):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return spreadsheet_text(value)


def csv_export(report, service_title=""):
    """The report as CSV bytes: UTF-8 with BOM, ``;``; each section its
    heading, its column titles, its rows and a blank line."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    for heading, header, rows in sections(report, service_title):
        writer.writerow([heading])
        writer.writerow(header)
        for row in rows:
            writer.writerow([_text(value) for value in row])
        writer.writerow([])
    return output.getvalue().encode("utf-8-sig")


# ODS --------------------------------------------------------------------------


def ods_export(report, service_title=""):
    """The report as ODS bytes: one sheet per section, its heading in bold
    on the first row, its column titles on the second."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style
    from odf.style import TextProperties
    from odf.table import Table
    from odf.table import TableCell
    from odf.table import TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    bold = Style(name="heading", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)

    def cell(value, style=None):
        attributes = {"stylename": style} if style is not None else {}
        if value is None:
            return TableCell(**attributes)
        if isinstance(value, bool) or not isinstance(value, int | float):
            found = TableCell(valuetype="string", **attributes)
            found.addElement(P(text=str(value)))
            return found
        if isinstance(value, Euros):
            found = TableCell(
                valuetype="currency", currency="EUR", value=value, **attributes
            )
            found.addElement(P(text=f"{value:.2f} €".replace(".", ",")))
            return found
        found = TableCell(valuetype="float", value=value, **attributes)
        found.addElement(P(text=_text(value)))
        return found

    for heading, header, rows in sections(report, service_title):
        table = Table(name=heading)
        for values, style in ([(heading,), bold], [header, bold]):
            row = TableRow()
            for value in values:
                row.addElement(cell(value, style))
            table.addElement(row)
        for values in rows:
            row = TableRow()
            for value in values:
                row.addElement(cell(value))
            table.addElement(row)
        document.spreadsheet.addElement(table)
    output = io.BytesIO()
    document.write(output)
    return output.getvalue()


def filename(report, extension):
    period = report["period"]
    return f"statistiques-{period['from']}-{period['to']}.{extension}"

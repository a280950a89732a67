"""The report (``figures.report``) as files a spreadsheet opens: CSV
(UTF-8 with a BOM, ``;`` as separator, decimal commas: what a French
spreadsheet expects, as the Guichet's export ``requests/queue_export.py``)
and ODS (OpenDocument, odfpy: one sheet per section, numbers as numbers).

Both hold the same figures, in the same sections (``sections``): a heading,
French column titles, the rows. Counts under the threshold are « < 5 » as
in the report; an empty cell is a figure that does not exist (no decision,
no median).
"""

from illkirch.eservices.requests import processing
from illkirch.eservices.requests.queue import site_text

import csv
import io


KINDS = {
    "month": "Mois",
    "quarter": "Trimestre",
    "year": "Année",
    "custom": "Dates choisies",
}
GROUP_BYS = {
    "day": "Jour",
    "week": "Semaine",
    "month": "Mois",
    "quarter": "Trimestre",
    "year": "Année",
}
SIDES = (
    ("citizen", "Messages des usagers"),
    ("agent", "Messages des agents"),
    ("internal", "Notes internes"),
)
UNASSIGNED = "Non assignée"
TIMES = ("Délai médian (jours ouvrés)", "90e centile (jours ouvrés)")
CELLS = (
    "Déposées",
    "Acceptées",
    "Refusées",
    *TIMES,
    "Traitées dans le délai annoncé (%)",
    "En retard aujourd'hui",
)


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


def _status_titles():
    return [f"Statut actuel : {title}" for _state, title in _states()]


def sections(report, service_title=""):
    """``[(heading, header, rows)]``: the report as tables."""
    period = report["period"]
    requests = report["requests"]
    found = [
        (
            "Période",
            ("Indicateur", "Valeur"),
            [
                ("Période", KINDS.get(period["kind"], period["kind"])),
                ("Du", period["from"]),
                ("Au", period["to"]),
                ("Regroupement", GROUP_BYS.get(period["group_by"], period["group_by"])),
                ("Démarche", service_title or "Toutes les démarches"),
                ("Seuil de confidentialité (demandes)", report["threshold"]),
            ],
        ),
        (
            "Demandes",
            ("Indicateur", "Valeur"),
            [
                ("Déposées", requests["filed"]),
                ("Acceptées", requests["accepted"]),
                ("Refusées", requests["rejected"]),
                ("Décisions", requests["processing_days"]["count"]),
                (TIMES[0], requests["processing_days"]["median"]),
                (TIMES[1], requests["processing_days"]["p90"]),
                ("Traitées dans le délai annoncé", requests["within_delay"]["count"]),
                (
                    "Traitées dans le délai annoncé (%)",
                    _percent(requests["within_delay"]["share"]),
                ),
                ("En retard aujourd'hui", requests["late_now"]),
                *(
                    (f"Statut actuel : {title}", requests["status_now"][state])
                    for state, title in _states()
                ),
            ],
        ),
        (
            "Évolution",
            ("Période", "Du", "Au", "Déposées", "Acceptées", "Refusées", *TIMES),
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
            "Par démarche",
            (
                "Démarche",
                "Groupe d'agents",
                "Délai annoncé (jours ouvrés)",
                *CELLS,
                *_status_titles(),
            ),
            [
                (row["title"], row["group_title"], row["announced_days"], *_cells(row))
                for row in report["by_service"]
            ],
        ),
        (
            "Par groupe d'agents",
            ("Groupe d'agents", *CELLS, *_status_titles()),
            [(row["title"], *_cells(row)) for row in report["by_group"]],
        ),
        (
            "Par agent",
            ("Agent", "Décisions", "Acceptées", "Refusées", *TIMES),
            [
                (
                    row["name"] or UNASSIGNED,
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
        rows = []
        for regie in payments["by_regie"]:
            for backend in regie["by_backend"]:
                rows.append(_payment_row(regie["title"], backend["backend"], backend))
            rows.append(_payment_row(regie["title"], "Toutes", regie))
        rows.append(_payment_row("Toutes les régies", "Toutes", payments))
        found.append(
            (
                "Paiements en ligne",
                (
                    "Régie",
                    "Prestataire de paiement",
                    "Paiements réussis",
                    "Montant payé (€)",
                    "Paiements échoués",
                ),
                rows,
            )
        )
    accounts = report["accounts"]
    if accounts is not None:
        found.append(
            (
                "Comptes",
                ("Indicateur", "Valeur"),
                [
                    ("Comptes créés", accounts["created"]),
                    ("Comptes validés", accounts["validated"]),
                    (
                        "Délai de validation médian (jours ouvrés)",
                        accounts["validation_days"]["median"],
                    ),
                    (
                        "Délai de validation, 90e centile (jours ouvrés)",
                        accounts["validation_days"]["p90"],
                    ),
                ],
            )
        )
    found.append(
        (
            "Messages",
            ("Indicateur", "Valeur"),
            [(title, report["messages"][side]) for side, title in SIDES],
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
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


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

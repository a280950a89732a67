"""« Tableau de bord » (``@@tableau-de-bord``): the statistics of the
requests, payments and accounts, for the town's managers (« Responsables »)
and site administrators (every service) and for agents (their groups'
services).

A GET form chooses the period (a month, a quarter, a year, or dates of
one's choosing) and a service; the page shows the key figures, two charts
drawn on the server (``charts.py``), each with its data table beside it
(the chart's accessible version), and the tables by service, group,
assignee, régie and backend. ``@@tableau-de-bord/csv`` and ``…/ods``
download the same figures, for the same parameters.

The figures come from ``statistics.figures.report`` for the user's scope
(``statistics.scope``) and the period (``statistics.periods``); this module
only reads the form and shows them.
"""

from AccessControl import Unauthorized
from illkirch.eservices import _
from illkirch.eservices import business_days
from illkirch.eservices.browser import charts
from illkirch.eservices.dates import format_date
from illkirch.eservices.money import euros
from illkirch.eservices.requests import processing
from illkirch.eservices.statistics import export
from illkirch.eservices.statistics import figures
from illkirch.eservices.statistics import periods
from illkirch.eservices.statistics import scope
from plone.memoize.view import memoize
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode
from zope.i18n import translate
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse
from zope.publisher.interfaces import NotFound

import datetime
import re


VIEW_NAME = "tableau-de-bord"
# The form's fields (GET), kept by the page's links and downloads.
KEPT = ("period", "month", "quarter", "year", "from", "to", "service")
# The period kinds (``periods.KINDS``), as the form names them.
KINDS = {
    "month": _("period_kind_month", default="Month"),
    "quarter": _("period_kind_quarter", default="Quarter"),
    "year": _("period_kind_year", default="Year"),
    "custom": _("period_kind_custom", default="Dates of your choice"),
}
DOWNLOADS = {
    "csv": "text/csv; charset=utf-8",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
FEW = "< 5"
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
YEAR = re.compile(r"^\d{4}$")
BAD_MONTH = _(
    "error_statistics_month",
    default="Give a month as YYYY-MM, such as 2026-03.",
)
BAD_YEAR = _(
    "error_statistics_year",
    default="Give a year in four digits, such as 2026.",
)
BAD_QUARTER = _("error_statistics_quarter", default="Choose a quarter in the list.")


def days(value):
    """Business days as shown: ``2,5``, or « – » when unknown."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    text = f"{float(value):.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def share(value):
    """A share (0..1) as a percentage: ``87 %``, or « – »."""
    if value is None:
        return "–"
    return f"{round(float(value) * 100)}\u00a0%"


def count(value):
    """A count, or « < 5 » as such."""
    return "–" if value is None else str(value)


@implementer(IPublishTraverse)
class StatisticsView(BrowserView):
    """The dashboard, and its downloads (``/csv``, ``/ods``)."""

    index = ViewPageTemplateFile("templates/statistics.pt")
    page_title = _("title_statistics", default="Statistics dashboard")
    download = None
    few = FEW

    def publishTraverse(self, request, name):
        if self.download is None and name in DOWNLOADS:
            self.download = name
            return self
        raise NotFound(self, name, request)

    def __call__(self):
        self.update()
        if self.download:
            return self.render_download()
        return self.index()

    # reading the form -------------------------------------------------------

    def update(self):
        self.scope = scope.scope_of()
        if self.scope is None:
            raise Unauthorized(VIEW_NAME)
        self.today = business_days.today()
        self.errors = {}
        self.period = None
        params = self.period_params()
        if not self.errors:
            try:
                self.period = periods.parse(params, today=self.today)
            except periods.PeriodError as refused:
                self.errors.update(self.form_errors(refused.errors))
        self.service = None
        key = self.field("service")
        if key:
            self.service = self.scope.find(key)
            if self.service is None:
                self.errors["service"] = scope.UNKNOWN_SERVICE
        self.report = None
        if not self.errors:
            self.report = figures.report(
                self.scope,
                self.period,
                service_uid=self.service.UID() if self.service else None,
                today=self.today,
            )

    def period_params(self):
        """``periods.parse``'s parameters from the form's fields: a month,
        a quarter of a year, a year, or two dates. Errors go to
        ``self.errors`` under the field's name."""
        kind = self.kind()
        params = {"period": kind}
        if kind == "month":
            match = MONTH.match(self.field("month"))
            if not match or not 1 <= int(match.group(2)) <= 12:
                self.errors["month"] = BAD_MONTH
            else:
                params["from"] = f"{match.group(0)}-01"
        elif kind in ("quarter", "year"):
            year = self.field("year")
            if not YEAR.match(year) or int(year) < 1900:
                self.errors["year"] = BAD_YEAR
            month = 1
            if kind == "quarter":
                quarter = self.field("quarter")
                if quarter not in ("1", "2", "3", "4"):
                    self.errors["quarter"] = BAD_QUARTER
                else:
                    month = 3 * (int(quarter) - 1) + 1
            params["from"] = f"{year}-{month:02d}-01"
        else:
            params["from"] = self.field("from")
            params["to"] = self.field("to")
        return params

    def form_errors(self, errors):
        """``periods.parse``'s errors under the form's fields."""
        fields = {"from": "from", "to": "to"} if self.kind() == "custom" else {}
        if self.kind() == "month":
            fields["from"] = "month"
        elif self.kind() in ("quarter", "year"):
            fields["from"] = "year"
        return {fields.get(name, "period"): message for name, message in errors.items()}

    def form(self):
        """The fields as sent, the defaults filled in."""
        return {name: self.field(name) for name in KEPT}

    def field(self, name):
        """A field as sent, or its default (this month, quarter, year)."""
        value = self.request.form.get(name)
        if value is None and name in ("month", "quarter", "year"):
            today = getattr(self, "today", None) or business_days.today()
            return {
                "month": f"{today.year}-{today.month:02d}",
                "quarter": str(periods.quarter_of(today)),
                "year": str(today.year),
            }[name]
        return value.strip() if isinstance(value, str) else ""

    def kind(self):
        kind = self.field("period")
        return kind if kind in KINDS else "year"

    def error(self, name):
        message = self.errors.get(name)
        return translate(message, context=self.request) if message else ""

    def error_list(self):
        """The errors, each with the field it links to (a period kind's
        error: its first choice)."""
        return [
            {
                "name": name,
                "target": "statistiques-period-month"
                if name == "period"
                else f"statistiques-{name}",
                "message": translate(message, context=self.request),
            }
            for name, message in self.errors.items()
        ]

    def described_by(self, name):
        return f"statistiques-{name}-error" if self.error(name) else None

    # addresses ---------------------------------------------------------------

    @memoize
    def base_url(self):
        return f"{self.context.absolute_url()}/@@{VIEW_NAME}"

    def query(self):
        """The form's fields that give the period shown, and the service."""
        kind = self.kind()
        used = {
            "month": ("month",),
            "quarter": ("quarter", "year"),
            "year": ("year",),
            "custom": ("from", "to"),
        }[kind]
        params = {"period": kind}
        params.update({name: self.field(name) for name in used if self.field(name)})
        if self.service is not None:
            params["service"] = self.service.UID()
        return urlencode(params)

    def download_url(self, kind):
        query = self.query()
        url = f"{self.base_url()}/{kind}"
        return f"{url}?{query}" if query else url

    # the form's options ------------------------------------------------------

    def kind_options(self):
        current = self.kind()
        return [
            {"value": value, "title": title, "checked": value == current}
            for value, title in KINDS.items()
        ]

    def quarter_options(self):
        selected = self.field("quarter")
        return [
            {
                "value": str(number),
                "title": f"T{number}",
                "selected": str(number) == selected,
            }
            for number in range(1, 5)
        ]

    def service_options(self):
        selected = self.service.UID() if self.service is not None else None
        return [
            {
                "value": service.UID(),
                "title": service.Title(),
                "selected": service.UID() == selected,
            }
            for service in self.scope.services
        ]

    # what the page shows -------------------------------------------------------

    def period_text(self):
        period = self.report["period"]
        return translate(
            _(
                "statistics_period",
                default="From ${start} to ${end}",
                mapping={
                    "start": format_date(datetime.date.fromisoformat(period["from"])),
                    "end": format_date(datetime.date.fromisoformat(period["to"])),
                },
            ),
            context=self.request,
        )

    def service_title(self):
        return self.service.Title() if self.service is not None else ""

    def key_figures(self):
        requests = self.report["requests"]
        processing_days = requests["processing_days"]
        within = requests["within_delay"]
        return [
            {
                "id": "deposees",
                "title": _("statistics_filed", default="Requests filed"),
                "value": count(requests["filed"]),
            },
            {
                "id": "acceptees",
                "title": _("statistics_accepted", default="Accepted"),
                "value": count(requests["accepted"]),
            },
            {
                "id": "refusees",
                "title": _("statistics_rejected", default="Refused"),
                "value": count(requests["rejected"]),
            },
            {
                "id": "mediane",
                "title": _(
                    "statistics_median_days",
                    default="Processing time, median (business days)",
                ),
                "value": days(processing_days["median"]),
            },
            {
                "id": "p90",
                "title": _(
                    "statistics_p90_days",
                    default="Processing time, 90th percentile (business days)",
                ),
                "value": days(processing_days["p90"]),
            },
            {
                "id": "dans-le-delai",
                "title": _(
                    "statistics_within_delay",
                    default="Processed within the announced delay",
                ),
                "value": share(within["share"]),
            },
            {
                "id": "en-retard",
                "title": _("statistics_late_now", default="Late requests now"),
                "value": count(requests["late_now"]),
            },
        ]

    def status_rows(self):
        status_now = self.report["requests"]["status_now"]
        return [
            {"state": state, "title": title, "count": count(status_now.get(state, 0))}
            for state, title in processing.STATES.items()
        ]

    def series_rows(self):
        return [
            {
                "period": row["period"],
                "label": row["label"],
                "filed": count(row["filed"]),
                "decided": count(_decided(row)),
                "accepted": count(row["accepted"]),
                "rejected": count(row["rejected"]),
                "median": days(row["median_days"]),
                "p90": days(row["p90_days"]),
            }
            for row in self.report["requests"]["series"]
        ]

    def series_chart(self):
        series = self.report["requests"]["series"]
        filed = translate(
            _("statistics_filed", default="Requests filed"), context=self.request
        )
        decided = translate(
            _("statistics_decided", default="Decided (accepted or refused)"),
            context=self.request,
        )
        return charts.column_chart(
            "graphique-demandes",
            translate(
                _("statistics_chart_requests", default="Requests filed and decided"),
                context=self.request,
            )
            + f" ({self.period_text()})",
            translate(
                _(
                    "statistics_chart_requests_desc",
                    default="Bar chart, two bars per period: requests filed "
                    "(solid) and decided (hatched). The figures are in the "
                    "table that follows.",
                ),
                context=self.request,
            ),
            short_labels(self.report["period"]["group_by"], series),
            [
                (filed, [row["filed"] for row in series]),
                (decided, [_decided(row) for row in series]),
            ],
        )

    def service_rows(self):
        return [
            {
                "uid": row["uid"],
                "title": row["title"],
                "group": row.get("group_title") or row.get("group") or "",
                "announced": count(row.get("announced_days")),
                "filed": count(row["filed"]),
                "accepted": count(row["accepted"]),
                "rejected": count(row["rejected"]),
                "median": days(row["median_days"]),
                "p90": days(row["p90_days"]),
                "within": share(row["within_delay_share"]),
                "late": count(row["late_now"]),
            }
            for row in self.report["by_service"]
        ]

    def delay_chart(self):
        rows = self.report["by_service"]
        median = translate(_("column_median", default="Median"), context=self.request)
        p90 = translate(
            _("column_p90", default="90th percentile"), context=self.request
        )
        return charts.bar_chart(
            "graphique-delais",
            translate(
                _(
                    "statistics_chart_delays",
                    default="Processing time per service (business days)",
                ),
                context=self.request,
            ),
            translate(
                _(
                    "statistics_chart_delays_desc",
                    default="Horizontal bar chart, two bars per service: the "
                    "median (solid) and the 90th percentile (hatched) of the "
                    "business days from filing to decision. The figures are "
                    "in the table that follows.",
                ),
                context=self.request,
            ),
            [row["title"] for row in rows],
            [
                (median, [row["median_days"] for row in rows]),
                (p90, [row["p90_days"] for row in rows]),
            ],
        )

    def group_rows(self):
        return [
            {
                "title": row.get("title") or row["group"],
                "filed": count(row["filed"]),
                "accepted": count(row["accepted"]),
                "rejected": count(row["rejected"]),
                "median": days(row["median_days"]),
                "p90": days(row["p90_days"]),
                "within": share(row["within_delay_share"]),
                "late": count(row["late_now"]),
            }
            for row in self.report["by_group"]
        ]

    def assignee_rows(self):
        unassigned = translate(
            _("assignee_none", default="Not assigned"), context=self.request
        )
        return [
            {
                "name": row.get("name") or row.get("assignee") or unassigned,
                "decided": count(row["decided"]),
                "accepted": count(row["accepted"]),
                "rejected": count(row["rejected"]),
                "median": days(row["median_days"]),
                "p90": days(row["p90_days"]),
            }
            for row in self.report["by_assignee"]
        ]

    def payment_rows(self):
        """One row per régie, then one per backend of that régie."""
        payments = self.report["payments"]
        if payments is None:
            return []
        result = []
        for regie in payments["by_regie"]:
            result.append(
                {
                    "regie": True,
                    "title": regie.get("title") or regie["regie"],
                    "backend": "",
                    "paid": count(regie["paid_count"]),
                    "amount": euros(regie["paid_cents"]),
                    "failed": count(regie["failed_count"]),
                }
            )
            for backend in regie.get("by_backend", ()):
                result.append(
                    {
                        "regie": False,
                        "title": regie.get("title") or regie["regie"],
                        "backend": backend["backend"] or "–",
                        "paid": count(backend["paid_count"]),
                        "amount": euros(backend["paid_cents"]),
                        "failed": count(backend["failed_count"]),
                    }
                )
        return result

    def payment_totals(self):
        payments = self.report["payments"]
        return {
            "paid": count(payments["paid_count"]),
            "amount": euros(payments["paid_cents"]),
            "failed": count(payments["failed_count"]),
        }

    def account_figures(self):
        accounts = self.report["accounts"]
        validation = accounts["validation_days"]
        return [
            {
                "id": "comptes-crees",
                "title": _("statistics_accounts_created", default="Accounts created"),
                "value": count(accounts["created"]),
            },
            {
                "id": "comptes-valides",
                "title": _(
                    "statistics_accounts_validated", default="Accounts validated"
                ),
                "value": count(accounts["validated"]),
            },
            {
                "id": "validation-mediane",
                "title": _(
                    "statistics_validation_median",
                    default="Validation time, median (business days)",
                ),
                "value": days(validation["median"]),
            },
            {
                "id": "validation-p90",
                "title": _(
                    "statistics_validation_p90",
                    default="Validation time, 90th percentile (business days)",
                ),
                "value": days(validation["p90"]),
            },
        ]

    # downloads -----------------------------------------------------------------

    def render_download(self):
        response = self.request.response
        if self.errors:
            response.setStatus(400)
            response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return "\n".join(item["message"] for item in self.error_list())
        if self.download == "csv":
            data = export.csv_export(self.report, self.service_title())
        else:
            data = export.ods_export(self.report, self.service_title())
        response.setHeader("Content-Type", DOWNLOADS[self.download])
        response.setHeader(
            "Content-Disposition",
            f'attachment; filename="{export.filename(self.report, self.download)}"',
        )
        response.setHeader("X-Content-Type-Options", "nosniff")
        response.setHeader("Cache-Control", "private, no-store")
        return data


MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


def short_labels(group_by, series):
    """The chart's labels of the series' buckets, short enough to stand
    under their bars (the table gives the full ones): « 5/03 », « mars »,
    « T1 », « 2026 »; the year added when the buckets span several."""
    starts = [datetime.date.fromisoformat(row["from"]) for row in series]
    several = len({day.year for day in starts}) > 1
    labels = []
    for day in starts:
        if group_by in ("day", "week"):
            label = f"{day.day}/{day.month:02d}"
        elif group_by == "month":
            label = MONTHS[day.month - 1]
        elif group_by == "quarter":
            label = f"T{(day.month - 1) // 3 + 1}"
        else:
            label = str(day.year)
        if several and group_by in ("month", "quarter"):
            label = f"{label} {day:%y}"
        labels.append(label)
    return labels


def _decided(row):
    accepted, rejected = row["accepted"], row["rejected"]
    if isinstance(accepted, int) and isinstance(rejected, int):
        return accepted + rejected
    return FEW

"""``GET /@statistics?service=…&period=…&from=…&to=…&group_by=…``: the
figures of ``statistics.figures.report`` for the current user's scope
(``statistics.scope``), as JSON; with ``format=csv`` or ``format=ods`` the
same figures as a download (``statistics.export``).

Parameters: those of ``statistics.periods.parse``, ``service`` (a UID or
an id, of a service of the scope) and ``format``. Bad values: 400 with the
French errors by field; a user holding the permission but outside every
scope (no agent, no Supervisor): 403."""

from illkirch.eservices import _
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.statistics import export
from illkirch.eservices.statistics import figures
from illkirch.eservices.statistics import periods
from illkirch.eservices.statistics import scope as scopes
from plone.restapi.services import Service


FORMATS = {
    "csv": ("text/csv; charset=utf-8", export.csv_export),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", export.ods_export),
}
NOT_ALLOWED = _(
    "error_statistics_not_allowed",
    default="You may not see the statistics of any service.",
)
BAD_FORMAT = _("error_statistics_format", default="Choose the format json, csv or ods.")


class StatisticsGet(Service):
    """The figures of the user's scope, as JSON or a CSV/ODS download."""

    def render(self):
        self.check_permission()
        response = self.request.response
        response.setHeader("Cache-Control", "private, no-store")
        kind = self.format()
        if kind not in FORMATS:
            return super().render()
        found = self.figures()
        if "error" in found:
            return super().render()
        content_type, write = FORMATS[kind]
        data = write(found, found.pop("_service_title", ""))
        response.setHeader("Content-Type", content_type)
        response.setHeader(
            "Content-Disposition",
            f'attachment; filename="{export.filename(found, kind)}"',
        )
        response.setHeader("X-Content-Type-Options", "nosniff")
        return data

    def format(self):
        """``format``, else the one the Accept header asks for exactly."""
        kind = self.request.form.get("format", "")
        if not isinstance(kind, str):
            return None
        kind = kind.strip().lower()
        if kind:
            return kind
        accept = (self.request.getHeader("Accept") or "").split(";")[0].strip()
        for name, (content_type, _write) in FORMATS.items():
            if accept == content_type.split(";")[0]:
                return name
        return ""

    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        found = self.figures()
        found.pop("_service_title", None)
        if "error" not in found:
            found["@id"] = f"{self.context.absolute_url()}/@statistics"
        return found

    def figures(self):
        """The report, or the error answer (its status set)."""
        scope = scopes.scope_of()
        if scope is None:
            return error_answer(self.request, 403, NOT_ALLOWED)
        form = self.request.form
        errors = {}
        try:
            period = periods.parse(form)
        except periods.PeriodError as refused:
            errors.update(refused.errors)
        service = None
        key = form.get("service", "")
        if not isinstance(key, str):
            errors["service"] = periods.BAD_VALUE
        elif key.strip():
            service = scope.find(key.strip())
            if service is None:
                errors["service"] = scopes.UNKNOWN_SERVICE
        kind = form.get("format", "")
        if not isinstance(kind, str) or kind.strip().lower() not in (
            "",
            "json",
            *FORMATS,
        ):
            errors["format"] = BAD_FORMAT
        if errors:
            return field_errors(self.request, errors)
        found = figures.report(scope, period, service.UID() if service else None)
        found["_service_title"] = service.Title() if service else ""
        return found

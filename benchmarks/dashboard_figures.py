"""The figures of #19 in ``benchmarks/run.py`` (docs/performance.md):

- **Document view (supervisor)**: the baseline Document seen by the
  manifest's Supervisor « Responsable » (``statistics.supervisors``,
  created by the generator), logged in with Plone's login form;
- **the dashboard for one year** ``@@tableau-de-bord?period=year&year=Y``
  (Y: the year of the generation's reference time, from the manifest),
  seen by that Supervisor (every service, the town's payments and
  accounts), against the Document view by the same user: target ≤ 3×
  (the Guichet's target: a page of the agents' side that reads figures of
  the whole town).

The Guichet's first page is a figure of ``run.py`` already; its 10,000 /
1,000 households ratio (≤ 1.15) is checked by ``report.scale``.

Without its data (a site generated before #19: no Supervisor, or no
aggregates) or without the page (an add-on before the dashboard), the
figures are not measured and say why.

Not a script: imported by ``run.py``.
"""

from sessions import page_session
from timing import timed


DASHBOARD_VIEW = "tableau-de-bord"
# the page's heading
DASHBOARD_TEXTS = ("Tableau de bord statistique",)
# shown with the figures: the key figures, the series of the year, the
# tables per service and the payments (a Supervisor's: the whole town's)
DASHBOARD_SECTIONS = (
    'id="statistiques-chiffres-cles"',
    'id="tableau-series"',
    'id="tableau-services"',
    'id="tableau-paiements"',
)
DASHBOARD_ERRORS = 'id="statistiques-errors"'
NO_STATISTICS = (
    "no Supervisor or statistics in the generated data (site generated before "
    "#19: generate it again)"
)
NO_PAGE = f"the add-on has no @@{DASHBOARD_VIEW}"


def dashboard_params(year):
    """The query string of the dashboard for the calendar year ``year``."""
    return {"period": "year", "year": str(year)}


def dashboard_check(response):
    """``timed`` check: the figures are shown, no error on the form."""
    if DASHBOARD_ERRORS in response.text:
        return "the period was refused"
    missing = [marker for marker in DASHBOARD_SECTIONS if marker not in response.text]
    return f"no {', '.join(missing)}" if missing else None


class Figures:
    """The Supervisor, logged in, and the figures' ``(key, label, baseline
    key, target, call)``, or why not measured."""

    def __init__(self, url, manifest):
        self.url = url
        statistics = manifest.get("statistics") or {}
        self.year = statistics.get("year")
        supervisors = statistics.get("supervisors") or []
        self.reason = statistics.get("not_measured") or (
            None if supervisors else NO_STATISTICS
        )
        self.sessions = []
        if self.reason is None:
            self.sessions = [
                page_session(url, s["login"], s["password"]) for s in supervisors
            ]
            if not self.page_exists():
                self.reason, self.sessions = NO_PAGE, []

    def page_exists(self):
        response = self.sessions[0].get(
            f"{self.url}/@@{DASHBOARD_VIEW}",
            params=dashboard_params(self.year),
            timeout=300,
            allow_redirects=False,
        )
        return response.status_code != 404

    def users(self):
        return len(self.sessions)

    def session(self, n):
        return self.sessions[n % len(self.sessions)]

    def document(self, n, doc, texts):
        return timed(
            self.session(n), "GET", doc, "Document view (supervisor)", texts=texts
        )[1:]

    def dashboard(self, n):
        return timed(
            self.session(n),
            "GET",
            f"{self.url}/@@{DASHBOARD_VIEW}",
            f"dashboard {self.year}",
            params=dashboard_params(self.year),
            texts=(*DASHBOARD_TEXTS, str(self.year)),
            check=dashboard_check,
        )[1:]

    def plan(self, target, doc, doc_texts):
        """``(figures to measure, figures not measured)``; the latter as
        ``(key, label, baseline key, target, reason)``."""
        rows = [
            (
                "document-supervisor",
                "Document view (supervisor)",
                None,
                None,
                lambda n: self.document(n, doc, doc_texts),
            ),
            (
                "dashboard-year",
                f"Dashboard @@{DASHBOARD_VIEW}, one year",
                "document-supervisor",
                target,
                self.dashboard,
            ),
        ]
        if self.sessions:
            return rows, []
        return [], [(*row[:4], self.reason) for row in rows]

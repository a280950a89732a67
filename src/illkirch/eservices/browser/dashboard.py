"""« Mon espace → Accueil » (``@@mon-espace``): the citizen's dashboard.

First « À faire », what needs the citizen: invoices to pay (their total and
due dates), requests awaiting their documents or answers (the town's
message, a link to add them), an account awaiting validation (what happens
next); then the requests in progress, the latest invoices and shortcuts to
the services the household uses most. ``GET /@dashboard`` gives the same
data (``restapi/dashboard``).

The page only reads, through the domain packages, the household's own
objects (``billing.overview``, ``requests.overview``,
``accounts.household_input.account_notice``).
"""

from illkirch.eservices import _
from illkirch.eservices import dates
from illkirch.eservices.accounts import household_input
from illkirch.eservices.accounts import households
from illkirch.eservices.billing import invoices
from illkirch.eservices.billing import overview as billing_overview
from illkirch.eservices.browser import badges
from illkirch.eservices.browser.citizen_area import AccountTab
from illkirch.eservices.browser.citizen_area import CitizenAreaTab
from illkirch.eservices.conversation import store
from illkirch.eservices.conversation import unread
from illkirch.eservices.money import euros
from illkirch.eservices.requests import overview as requests_overview
from plone import api
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class DashboardTab(CitizenAreaTab):
    """« Accueil »: the dashboard of the household."""

    tab_name = "mon-espace"
    index = ViewPageTemplateFile("templates/dashboard.pt")
    badge_macros = badges.StatusBadges.template
    household = None

    empty_requests = _(
        "empty_home",
        default="You have no request in progress. Your requests and their status "
        "will be listed here.",
    )
    not_validated = invoices.NOT_VALIDATED

    def __call__(self):
        self.household = households.current_household()
        return self.index()

    # links -------------------------------------------------------------------

    def url(self, view):
        return f"{self.root_url()}/@@{view}"

    @property
    def no_household_message(self):
        return household_input.NO_HOUSEHOLD

    # « À faire » -------------------------------------------------------------

    def todo(self):
        """What needs the citizen: ``{"invoices", "requests", "account",
        "empty"}``."""
        household = self.household
        to_pay = billing_overview.to_pay(household)
        titles = invoices.regie_titles() if to_pay["invoices"] else {}
        bills = {
            "count": len(to_pay["invoices"]),
            "total": to_pay["total"],
            "next_due": dates.format_date(to_pay["next_due"]),
            "rows": [self.invoice_row(i, titles) for i in to_pay["invoices"]],
        }
        requests = [
            self.awaiting_row(item)
            for item in requests_overview.awaiting_citizen(household)
        ]
        account = household_input.account_notice(household)
        if account is not None:
            account["badge"] = badges.account_badge(account["state"])
            account["may_file"] = account["state"] == "pending"
        return {
            "invoices": bills,
            "requests": requests,
            "account": account,
            "empty": not (bills["count"] or requests or account),
        }

    def awaiting_row(self, item):
        request_obj = item["request"]
        question = item["question"] or {}
        url = request_obj.absolute_url()
        return {
            "url": url,
            "add_url": f"{url}#documents",
            "number": request_obj.number,
            "service": request_obj.service_title,
            "member": request_obj.member_name,
            "badge": badges.request_badge(item["review_state"]),
            "message": question.get("text", ""),
            "asked": AccountTab.format_time(question["time"]) if question else "",
            "asked_iso": question.get("time", ""),
        }

    # the rest of the page ----------------------------------------------------

    def requests_in_progress(self):
        """The household's requests in progress, each with its status and
        its unread messages (brains and their metadata only)."""
        userid = api.user.get_current().getId()
        return [
            {
                "url": brain.getURL(),
                "number": brain.request_number,
                "service": brain.service_title,
                "member": brain.member_name,
                "state": brain.review_state,
                "badge": badges.request_badge(brain.review_state),
                "unread": badges.unread_badge(
                    unread.count(brain, userid, store.CITIZEN)
                ),
                "date": dates.format_date(brain.created),
                "iso": brain.created.ISO8601(),
            }
            for brain in requests_overview.in_progress(self.household)
        ]

    def invoices_visible(self):
        return invoices.may_see_invoices(self.household)

    def latest_invoices(self):
        found = billing_overview.latest(self.household)
        titles = invoices.regie_titles() if found else {}
        return [self.invoice_row(invoice, titles) for invoice in found]

    def invoice_window(self):
        return dates.format_date(invoices.window_start())

    def invoice_row(self, invoice, titles):
        state = api.content.get_state(invoice)
        overdue = state == "unpaid" and billing_overview.is_overdue(invoice)
        return {
            "url": invoice.absolute_url(),
            "number": invoice.number,
            "regie": titles.get(invoice.regie, invoice.regie),
            "domain": invoice.domain,
            "total": euros(invoice.total_cents),
            "issued": dates.format_date(invoice.issue_date),
            "issued_iso": invoice.issue_date.isoformat() if invoice.issue_date else "",
            "due": dates.format_date(invoice.due_date),
            "due_iso": invoice.due_date.isoformat() if invoice.due_date else "",
            "badge": badges.invoice_badge(state),
            "overdue_badge": badges.overdue_badge() if overdue else None,
        }

    def shortcuts(self):
        # #22: the catalog's metadata of the services shown, not the objects
        return [
            {
                "url": brain.getURL(),
                "title": brain.Title,
                "description": brain.Description,
                "count": count,
            }
            for brain, count in requests_overview.most_used_service_brains(
                self.household
            )
        ]

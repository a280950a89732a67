"""Invoices as citizens see them: the household's unpaid invoices and its
statement of paid ones, issued within the window of the registry setting
``invoice_window_months`` (3 months by default); amounts in euros."""

from datetime import date
from illkirch.eservices import _
from illkirch.eservices.accounts import households
from illkirch.eservices.billing.regies import all_regies
from illkirch.eservices.money import euros
from plone import api

import calendar


WINDOW_RECORD = "illkirch.eservices.invoice_window_months"
VISIBLE_STATE = "validated"
STATE_TITLES = {
    "unpaid": _("invoice_state_unpaid", default="To pay"),
    "paid": _("invoice_state_paid", default="Paid"),
    "cancelled": _("invoice_state_cancelled", default="Cancelled"),
}


def window_start(today=None, months=None):
    """The first day of issue shown: ``months`` months before ``today``."""
    today = today or date.today()
    if months is None:
        months = api.portal.get_registry_record(WINDOW_RECORD, default=3) or 3
    month = today.month - months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


# Why an account has no invoice yet (« Mes comptes », its REST list, the dashboard).
NOT_VALIDATED = _(
    "invoices_not_validated",
    default="Your invoices appear here once the town has validated your "
    "account, which takes about 2 business days.",
)


def may_see_invoices(household):
    """Invoices appear once the town has validated the household."""
    return household is not None and households.state(household) == VISIBLE_STATE


def household_invoices(household, review_state, since=None):
    """The household's invoices in ``review_state`` issued since ``since``
    (default: the window), newest first.

    Only the household's own entries of the catalog are read
    (``households.own_brains``), then filtered here on the state and the
    issue date, whose indexes hold the invoices of the whole town."""
    since = since or window_start()
    found = []
    for brain in households.own_brains(household, "Invoice"):
        if brain.review_state != review_state:
            continue
        invoice = households.own_object(household, brain)
        if invoice.issue_date and invoice.issue_date >= since:
            found.append(invoice)
    found.sort(key=lambda invoice: (invoice.issue_date, invoice.number), reverse=True)
    return found


def regie_titles():
    """Régie id → title (the régies are not visible to citizens)."""
    return {regie_id: regie.Title() for regie_id, regie in all_regies().items()}


def invoice_info(invoice, titles=None):
    """What the pages and the REST API show of an invoice."""
    titles = titles if titles is not None else regie_titles()
    return {
        "uid": invoice.UID(),
        "url": invoice.absolute_url(),
        "number": invoice.number,
        "regie": invoice.regie,
        "regie_title": titles.get(invoice.regie, invoice.regie),
        "domain": invoice.domain,
        "member": invoice.member_name,
        "period": invoice.period,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "total_cents": invoice.total_cents,
        "total": euros(invoice.total_cents),
        "paid_cents": invoice.paid_cents,
        "paid_on": invoice.paid_on,
        "payment_reference": invoice.payment_reference,
        "state": api.content.get_state(invoice),
        "lines": [
            dict(
                line,
                total=euros(line.get("total_cents")),
                unit=euros(line.get("unit_price_cents")),
            )
            for line in invoice.lines or []
        ],
    }

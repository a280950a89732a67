"""What « Mon espace → Accueil » shows of a household's invoices: those it
has to pay (their total still due and their due dates) and its latest ones,
paid or not.

The invoices are those of « Mes comptes » (``invoices.py``): the
household's own catalog entries (``households.own_brains``), issued within
the window, once the town has validated the household. The amount still due
is the basket's (``basket.due_cents``).
"""

from datetime import date
from illkirch.eservices import business_days
from illkirch.eservices.accounts import households
from illkirch.eservices.billing import basket
from illkirch.eservices.billing import invoices
from illkirch.eservices.money import euros


# The states « Mes comptes » shows (a cancelled invoice is nobody's concern).
LISTED_STATES = ("unpaid", "paid")
LATEST_COUNT = 3


def is_overdue(invoice, today=None):
    """Whether the invoice's due date has passed (``today``: the town's)."""
    today = today or business_days.today()
    return bool(invoice.due_date) and invoice.due_date < today


def to_pay(household):
    """The household's invoices to pay, the soonest due first, with the
    total still due: ``{"invoices": [...], "total_cents", "total",
    "next_due"}`` (no invoice while the town has not validated it)."""
    found = []
    if invoices.may_see_invoices(household):
        found = invoices.household_invoices(household, "unpaid")
        found = [invoice for invoice in found if basket.due_cents(invoice) > 0]
    found.sort(key=lambda invoice: (invoice.due_date or date.max, invoice.number))
    total = sum(basket.due_cents(invoice) for invoice in found)
    return {
        "invoices": found,
        "total_cents": total,
        "total": euros(total),
        "next_due": found[0].due_date if found else None,
    }


def latest(household, count=LATEST_COUNT):
    """The household's ``count`` latest invoices of the window, paid or
    not, newest first (none while the town has not validated it)."""
    if not invoices.may_see_invoices(household):
        return []
    since = invoices.window_start()
    found = []
    for brain in households.own_brains(household, "Invoice"):
        if brain.review_state not in LISTED_STATES:
            continue
        invoice = households.own_object(household, brain)
        if invoice.issue_date and invoice.issue_date >= since:
            found.append(invoice)
    found.sort(key=lambda invoice: (invoice.issue_date, invoice.number), reverse=True)
    return found[:count]

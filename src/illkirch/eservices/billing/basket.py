"""The basket (« Panier ») of a household: unpaid invoices of one régie, to
be paid together, kept on the household across sessions and devices.

An invoice goes in only once, only with invoices of the same régie, and not
while a payment of it is in progress; otherwise the citizen reads « Impossible
d'ajouter cet article, vous devez d'abord payer ceux en attente dans votre
panier » with a link to the basket. The total is always computed here, from
the invoices, never taken from the browser.
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import households
from persistent.list import PersistentList
from plone import api
from zope.annotation.interfaces import IAnnotations


BASKET_KEY = "illkirch.eservices.basket"
PAYABLE_STATE = "unpaid"

CANNOT_ADD = _(
    "error_basket_cannot_add",
    default="Impossible d'ajouter cet article, vous devez d'abord payer "
    "ceux en attente dans votre panier",
)
TO_BASKET = _("link_to_basket", default="Accéder à votre panier")
NOT_PAYABLE = _(
    "error_basket_not_payable",
    default="This invoice cannot be paid online: it is not awaiting payment.",
)
NOT_FOUND = _("error_basket_not_found", default="This invoice was not found.")


class BasketRefused(ValueError):
    """``message`` for the citizen; ``to_basket``: show the basket's link."""

    def __init__(self, message, to_basket=False):
        super().__init__(message.default)
        self.message = message
        self.to_basket = to_basket


def _uids(household, create=False):
    annotations = IAnnotations(household)
    uids = annotations.get(BASKET_KEY)
    if uids is None and create:
        uids = annotations[BASKET_KEY] = PersistentList()
    return uids if uids is not None else []


def household_invoice(household, uid):
    """The household's own invoice of that UID, or None (never another's)."""
    if not uid or not isinstance(uid, str):
        return None
    # The UID index alone (one entry), then the type and the parent checked
    # here: adding the type and path indexes made the catalog intersect
    # with the invoices of the whole town (docs/performance.md).
    catalog = api.portal.get_tool("portal_catalog")
    path = "/".join(household.getPhysicalPath())
    for brain in catalog.unrestrictedSearchResults(UID=uid):
        if brain.portal_type != "Invoice" or brain.getPath().rsplit("/", 1)[0] != path:
            return None
        return households.own_object(household, brain)
    return None


def is_payable(invoice):
    return api.content.get_state(invoice) == PAYABLE_STATE and due_cents(invoice) > 0


def due_cents(invoice):
    return max(int(invoice.total_cents or 0) - int(invoice.paid_cents or 0), 0)


def items(household):
    """The basket's invoices still awaiting payment, in the order added."""
    result = []
    for uid in list(_uids(household)):
        invoice = household_invoice(household, uid)
        if invoice is not None and is_payable(invoice):
            result.append(invoice)
    return result


def regie(household):
    """The régie of the basket's invoices, or None when it is empty."""
    invoices = items(household)
    return invoices[0].regie if invoices else None


def total_cents(household):
    return sum(due_cents(invoice) for invoice in items(household))


def add(household, uid, in_payment=frozenset()):
    """Put the invoice ``uid`` in the basket; raise BasketRefused.

    ``in_payment``: the UIDs of invoices in a payment in progress.
    """
    invoice = household_invoice(household, uid)
    if invoice is None:
        raise BasketRefused(NOT_FOUND)
    if not is_payable(invoice):
        raise BasketRefused(NOT_PAYABLE)
    current = items(household)
    if (
        uid in {i.UID() for i in current}
        or uid in in_payment
        or any(i.regie != invoice.regie for i in current)
    ):
        raise BasketRefused(CANNOT_ADD, to_basket=True)
    uids = _uids(household, create=True)
    # Forget what is no longer payable (paid elsewhere, cancelled).
    uids[:] = [i.UID() for i in current] + [uid]
    return invoice


def _forget_if_empty(household):
    """An empty basket is no list at all: every household that once paid
    kept an empty persistent list, one ZODB object each that its pages
    loaded (docs/performance.md, « Memory »)."""
    annotations = IAnnotations(household)
    if BASKET_KEY in annotations and not annotations[BASKET_KEY]:
        del annotations[BASKET_KEY]


def remove(household, uid):
    """Take the invoice out of the basket (nothing if it is not there)."""
    uids = _uids(household)
    if uid in uids:
        uids.remove(uid)
        _forget_if_empty(household)
        return True
    return False


def empty(household):
    """Empty the basket (after checkout); return the invoices it held."""
    invoices = items(household)
    IAnnotations(household).pop(BASKET_KEY, None)
    return invoices


def account_closed(household, event):
    """Subscriber (``accounts.closure.AccountClosed``): a closed account
    keeps no basket."""
    IAnnotations(household).pop(BASKET_KEY, None)

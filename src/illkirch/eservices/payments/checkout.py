"""Checkout: from the household's basket to the bank.

The amount and the invoices are those of the basket, computed here on the
server (``billing/basket.py``), never sent by the browser. A pending
``Payment`` is recorded in the household, the basket is emptied and the
citizen is sent to the bank of the basket's régie (eopayment backend and
options of the ``Regie``).
"""

from datetime import UTC
from datetime import datetime
from decimal import Decimal
from illkirch.eservices import _
from illkirch.eservices import mail
from illkirch.eservices import offered_backends
from illkirch.eservices import urls
from illkirch.eservices.billing import basket
from illkirch.eservices.billing.regies import get_regie
from illkirch.eservices.payments import records
from plone import api
from plone.dexterity.utils import createContentInContainer
from urllib.parse import urlencode

import eopayment
import inspect
import logging
import secrets


logger = logging.getLogger(__name__)

EMPTY_BASKET = _("error_checkout_empty", default="Your basket is empty.")
IN_PAYMENT = _(
    "error_checkout_in_payment",
    default="A payment of these invoices is already in progress.",
)
UNAVAILABLE = _(
    "error_checkout_unavailable",
    default="Online payment is not available for this régie at the "
    "moment. Please try again later or contact the town hall.",
)


class CheckoutRefused(ValueError):
    """``message``: an i18n message for the citizen."""

    def __init__(self, message):
        super().__init__(message.default)
        self.message = message


DEMO_BANK_PATH = "@@banque-demo"


def demo_bank_url(url):
    """eopayment 3.15's ``dummy`` backend always points at a remote test
    bank: on demo and test sites, the portal's own demonstration bank
    (``browser/demo_bank.py``) serves the same query string instead."""
    from eopayment.dummy import SERVICE_URL

    if offered_backends.dummy_allowed() and url.startswith(SERVICE_URL):
        portal_url = api.portal.get().absolute_url()
        return f"{portal_url}/{DEMO_BANK_PATH}{url[len(SERVICE_URL) :].lstrip('/')}"
    return url


def backend_options(regie, extra=None):
    """The options eopayment is given for the régie (and the URLs of one
    payment in ``extra``)."""
    options = dict(getattr(regie, "backend_options", None) or {})
    if regie.backend == offered_backends.DUMMY:
        options.setdefault("origin", mail.town_name())
        options.setdefault("siret", "00000000000000")
        # Never trust unsigned answers, even on the demo bank.
        options.pop("consider_all_response_signed", None)
    options.update(extra or {})
    return options


def backend(regie, extra=None):
    """An ``eopayment.Payment`` for the régie; refuses a backend that is not
    offered (the dummy backend outside demo/test sites, unproven ones)."""
    if not offered_backends.offered(regie.backend):
        logger.error(
            "Backend %r of régie %s is not offered: refused",
            regie.backend,
            regie.getId(),
        )
        raise CheckoutRefused(UNAVAILABLE)
    return eopayment.Payment(regie.backend, backend_options(regie, extra))


def _request_kwargs(bank, wanted):
    """Only the keyword arguments the backend's ``request`` accepts."""
    try:
        parameters = inspect.signature(bank.backend.request).parameters
    except (TypeError, ValueError):
        return wanted
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return wanted
    return {key: value for key, value in wanted.items() if key in parameters}


def start(household, return_url, notify_url_base):
    """Start paying the household's basket: ``(payment, redirect_url)``.

    Raises ``CheckoutRefused`` (empty basket, invoices already in a payment,
    backend unavailable or misconfigured).
    """
    invoices = basket.items(household)
    if not invoices:
        raise CheckoutRefused(EMPTY_BASKET)
    uids = [invoice.UID() for invoice in invoices]
    if set(uids) & records.pending_invoice_uids(household):
        raise CheckoutRefused(IN_PAYMENT)
    amount_cents = basket.total_cents(household)
    if amount_cents <= 0:
        raise CheckoutRefused(EMPTY_BASKET)
    regie = get_regie(basket.regie(household))
    if regie is None:
        logger.error("Checkout refused: no régie %r", basket.regie(household))
        raise CheckoutRefused(UNAVAILABLE)

    # The portal's own reference of the payment: its id, the segment of its
    # notification URL, and what every backend sends back (30 characters:
    # PayFiP's refdet and Ogone's ORDERID take no more).
    reference = secrets.token_hex(15)
    notify_url = f"{notify_url_base.rstrip('/')}/{reference}"
    email = mail.user_email(getattr(household, "holder_id", None)) or None
    try:
        bank = backend(
            regie, {"normal_return_url": return_url, "automatic_return_url": notify_url}
        )
        wanted = {"email": email, "orderid": reference, "transaction_id": reference}
        if regie.backend == "paybox":
            del wanted["orderid"]  # Paybox would send back "<reference>!<orderid>"
        kwargs = _request_kwargs(bank, wanted)
        transaction_id, kind, data = bank.request(Decimal(amount_cents) / 100, **kwargs)
    except CheckoutRefused:
        raise
    except Exception as error:
        logger.exception(
            "Checkout refused: backend %r of régie %s failed",
            regie.backend,
            regie.getId(),
        )
        raise CheckoutRefused(UNAVAILABLE) from error
    form = None
    if kind == eopayment.URL:
        redirect_url = demo_bank_url(data)
    elif kind == eopayment.FORM:
        # An auto-submitted form: the same fields as a GET URL, and the form
        # itself kept for a page that would rather POST it (bank_form()).
        form = {
            "url": data.url,
            "method": data.method,
            "fields": [(f["name"], f["value"]) for f in data.fields],
        }
        separator = "&" if "?" in data.url else "?"
        redirect_url = f"{data.url}{separator}{urlencode(form['fields'])}"
    else:
        logger.error("Checkout refused: backend %r answers with HTML", regie.backend)
        raise CheckoutRefused(UNAVAILABLE)

    now = datetime.now(UTC)
    with api.env.adopt_roles(["Manager"]):
        payment = createContentInContainer(
            household, "Payment", checkConstraints=False, id=reference
        )
    payment.transaction_id = str(transaction_id)
    payment.regie = regie.getId()
    payment.invoice_uids = uids
    payment.amount_cents = amount_cents
    payment.status = records.PENDING
    payment.created_at = now
    payment.updated_at = now
    payment.bank_form = form
    payment.reindexObject()
    basket.empty(household)
    logger.info(
        "Payment %s started: %s cents, régie %s, invoices %s",
        payment.transaction_id,
        amount_cents,
        payment.regie,
        ", ".join(invoice.number for invoice in invoices),
    )
    return payment, redirect_url


def bank_form(payment):
    """For FORM backends (e.g. systempayv2): ``{"url", "method", "fields"}``
    to POST in the citizen's browser; None for URL backends."""
    return getattr(payment, "bank_form", None)


def notify_url_base(portal=None):
    """The base of the notification URLs given to the banks (the service
    answers whatever Accept header the bank sends): the portal's configured
    public address (``urls.public_url``), never the address the citizen's
    request came with. ``portal`` is accepted for older callers."""
    return urls.public_url(suffix="/@payment-notify")


def return_url():
    """Where the bank sends the citizen back (« Votre paiement »), from the
    portal's configured public address."""
    return urls.public_url(suffix="/@@paiement-retour")

"""What the portal knows of each eopayment backend it offers.

Only backends proven end to end are offered to the régies
(``offered_backends.py``: the page ``@@moyen-de-paiement``,
``billing/regies.set_backend`` and the checkout ask it): each has a
functional test playing the bank with eopayment's own code
(``tests/functional/test_payment_backends.py``, docs/payments.md). For each
one this module says:

- where its answer carries **the portal's own reference** of the payment
  (the payment's id, given to the bank at checkout): eopayment returns it in
  ``order_id`` (SystemPay, PayZen, SIPS 2, Ogone, Paybox) or in the bank's
  data (PayFiP's ``refdet``); ``transaction_id`` is the bank's own id;
- where its answer carries **the amount**, and in which unit;
- whether an answer comes from the bank's **test platform**, and whether
  the régie is configured for tests or production: an answer whose mode is
  not the régie's is refused.
"""

from decimal import Decimal
from decimal import InvalidOperation
from illkirch.eservices.offered_backends import DUMMY


# kind → (field of the bank's data holding the amount, unit)
AMOUNT_FIELDS = {
    "dummy": ("amount", "euros"),
    "systempayv2": ("vads_amount", "cents"),
    "payzen": ("vads_amount", "cents"),
    "sips2": ("amount", "cents"),
    "ogone": ("AMOUNT", "euros"),
    "paybox": ("montant", "cents"),
    "payfip_ws": ("montant", "cents"),
}

# Paybox's preproduction platform answers with this authorisation number.
PAYBOX_TEST_AUTHORISATION = "XXXXXX"


def _first(value):
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value


def bank_value(response, name):
    """One field of the bank's data (eopayment keeps lists for some)."""
    return _first((getattr(response, "bank_data", None) or {}).get(name))


def reference(kind, response):
    """The portal's own reference of the payment the answer is about."""
    if kind == "payfip_ws":
        value = bank_value(response, "refdet")
    else:
        value = response.order_id
    return "" if value is None else str(value)


def expected_reference(kind, payment):
    """The reference the payment's answers must carry: the payment's id,
    except for the demo bank, which chooses its own transaction id."""
    if kind == DUMMY:
        return payment.transaction_id
    return payment.getId()


def amount_cents(kind, response):
    """The amount the bank answered, in cents, or None when unknown."""
    field, unit = AMOUNT_FIELDS.get(kind, (None, None))
    value = bank_value(response, field) if field else None
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite():
        return None
    cents = amount * 100 if unit == "euros" else amount
    if cents != cents.to_integral_value():
        return None
    return int(cents)


def response_is_test(kind, response):
    """Whether the answer comes from the bank's test platform."""
    if kind == "paybox":
        return bank_value(response, "code_autorisation") == PAYBOX_TEST_AUTHORISATION
    # SystemPay/PayZen: vads_ctx_mode=TEST; SIPS 2: the test merchant;
    # PayFiP: saisie=T; dummy: always. Ogone's answers carry no mode: its
    # test and production accounts have their own SHA-OUT keys.
    return bool(response.test)


def regie_is_test(kind, options):
    """Whether the régie's options select the bank's test platform."""
    options = options or {}
    if kind in ("systempayv2", "payzen"):
        return str(options.get("vads_ctx_mode") or "TEST") != "PRODUCTION"
    if kind in ("sips2", "paybox"):
        return str(options.get("platform") or "test") == "test"
    if kind == "ogone":
        return str(options.get("environment") or "TEST").upper() != "PROD"
    if kind == "payfip_ws":
        return str(options.get("saisie") or "T") == "T"
    return True  # dummy: the demo bank

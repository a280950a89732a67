"""Test helpers of card payments: a régie on eopayment's ``systempayv2``
backend with test keys, and the test playing the bank, signing its answers
with eopayment's own code."""

from illkirch.eservices.payments import checkout


SYSTEMPAY_OPTIONS = {"vads_site_id": "12345678", "secret_test": "TestSecret2026",
                     "vads_ctx_mode": "TEST"}


def use_systempay(regie_id="ville"):
    regie = checkout.get_regie(regie_id)
    regie.backend = "systempayv2"
    regie.backend_options = dict(SYSTEMPAY_OPTIONS)
    return regie


def invoice_by_number(household, number):
    return next(obj for obj in household.objectValues()
                if getattr(obj, "portal_type", "") == "Invoice" and obj.number == number)


def bank_fields(payment, result="00", amount_cents=None, secret=None,
                transaction_id=None):
    """The fields SystemPay would send about ``payment``, signed with
    ``secret`` (default: the régie's test secret)."""
    import eopayment

    fields = {name: value for name, value in checkout.bank_form(payment)["fields"]
              if name.startswith("vads_")}
    fields.update({"vads_result": result, "vads_auth_result": result,
                   "vads_extra_result": "", "vads_auth_number": "A1B2C3",
                   "vads_trans_status": "AUTHORISED" if result == "00" else "REFUSED"})
    if amount_cents is not None:
        fields["vads_amount"] = str(amount_cents)
    if transaction_id is not None:
        fields["vads_ext_info_eopayment_trans_id"] = transaction_id
    options = dict(SYSTEMPAY_OPTIONS,
                   secret_test=secret or SYSTEMPAY_OPTIONS["secret_test"])
    bank = eopayment.Payment("systempayv2", options)
    fields["signature"] = bank.backend.signature(fields)
    return fields

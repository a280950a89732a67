"""The eopayment backends offered to the régies: those proven end to end
(each by a functional test playing the bank, docs/payments.md), and
eopayment's ``dummy`` demo bank on demo and test sites only.

The Regie schema, the régie's backend form (``billing/regies.py``) and the
checkout (``payments/checkout.py``) all ask ``offered``.
"""

from plone import api


DEMO_BANK_RECORD = "illkirch.eservices.demo_bank"
DUMMY = "dummy"
PROVEN = ("systempayv2", "payzen", "sips2", "ogone", "paybox", "payfip_ws")


def dummy_allowed():
    """eopayment's ``dummy`` backend trusts any answer: demo and test sites
    only (registry record ``illkirch.eservices.demo_bank``)."""
    try:
        return bool(api.portal.get_registry_record(DEMO_BANK_RECORD, default=False))
    except Exception:  # noqa: BLE001 - no such record: not a demo site
        return False


def offered(kind):
    """Whether régies may use the backend ``kind``."""
    if kind == DUMMY:
        return dummy_allowed()
    return kind in PROVEN

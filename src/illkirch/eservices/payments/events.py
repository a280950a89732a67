"""Events of the payments' domain, for the packages built on it: the
official documents issue the payment certificate when a payment is paid
(and email it with the receipt, ``official_documents/certificates.py``);
the statistics count payments paid and those that failed."""

from zope.interface import implementer
from zope.interface.interfaces import IObjectEvent
from zope.interface.interfaces import ObjectEvent


class IPaymentPaid(IObjectEvent):
    """A payment and its invoices were marked paid (once: a second answer
    of the bank about a paid payment notifies nothing)."""


@implementer(IPaymentPaid)
class PaymentPaid(ObjectEvent):
    """``object``: the Payment."""


class IPaymentClosed(IObjectEvent):
    """A pending payment ended without being paid (refused, cancelled or
    expired: its ``status`` says which)."""


@implementer(IPaymentClosed)
class PaymentClosed(ObjectEvent):
    """``object``: the Payment."""

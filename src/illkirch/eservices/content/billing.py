"""Régies, invoices and payments.

A Régie (in the site's « regies » folder) is a billing body of the town
(« Régie Ville », « Régie CCAS »): the domains it bills and its own payment
backend (an eopayment backend and its options, set by the Finance role).
An Invoice lives in the household it bills, like everything the town keeps
about a household: only that household and the Finance role see it. Every
field is written by the import (``billing/importer.py``) or a verified
payment (``payments/``), never through forms or PATCH; ``invoice_workflow``
holds « À payer », « Payée », « Annulée ».
"""

from illkirch.eservices import _
from illkirch.eservices.content.titles import DerivedTitle
from illkirch.eservices.offered_backends import offered
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.dexterity.content import Item
from plone.schema import JSONField
from plone.supermodel import model
from zope import schema
from zope.interface import implementer

import json


WRITE = "cmf.ManagePortal"
LINES_SCHEMA = json.dumps({"type": "array", "items": {"type": "object"}})
OPTIONS_SCHEMA = json.dumps({"type": "object"})


class BackendNotOffered(schema.ValidationError):
    __doc__ = _("error_backend_unknown", default="Unknown payment backend.")


def offered_backend(value):
    """Only the backends offered to the régies (``offered_backends``): also
    through the REST API."""
    from zope.component.hooks import getSite

    if getSite() is None:  # the schema's own default, checked at import
        return True
    if not offered(value):
        raise BackendNotOffered(value)
    return True


class IRegieFolder(model.Schema):
    """The folder of the régies (one per site)."""


class IRegie(model.Schema):
    """A régie: what it bills and how citizens pay it."""

    domains = schema.List(
        title=_("label_regie_domains", default="Domains billed"),
        description=_("help_regie_domains", default="One per line."),
        value_type=schema.TextLine(),
        default=[],
        required=False,
    )
    # The backend and its options are set by the Finance role through the
    # régie's own form (browser/regie_backend.py), never through the edit
    # form: its secrets are never shown back.
    directives.omitted("backend", "backend_options")
    # Nobody reads the options through forms or the REST API (secrets): the
    # domain layer reads the attribute, and the backend form leaves the
    # secrets' fields empty.
    directives.read_permission(backend_options="illkirch.eservices.ReadPaymentSecrets")
    directives.write_permission(
        backend="illkirch.eservices.ManageRegies",
        backend_options="illkirch.eservices.ManageRegies",
    )
    backend = schema.ASCIILine(
        title=_("label_regie_backend", default="Payment backend"),
        default="dummy",
        required=True,
        constraint=offered_backend,
    )
    backend_options = JSONField(
        title=_(
            "label_regie_backend_options", default="Options of the payment backend"
        ),
        schema=OPTIONS_SCHEMA,
        default={},
        required=False,
    )


class IInvoice(model.Schema):
    """An invoice of a régie to a household."""

    directives.omitted(
        "number",
        "regie",
        "domain",
        "member_name",
        "period",
        "issue_date",
        "due_date",
        "lines",
        "total_cents",
        "paid_cents",
        "paid_on",
        "payment_reference",
    )
    directives.write_permission(
        number=WRITE,
        regie=WRITE,
        domain=WRITE,
        member_name=WRITE,
        period=WRITE,
        issue_date=WRITE,
        due_date=WRITE,
        lines=WRITE,
        total_cents=WRITE,
        paid_cents=WRITE,
        paid_on=WRITE,
        payment_reference=WRITE,
    )

    number = schema.TextLine(title=_("label_invoice_number", default="Invoice number"))
    regie = schema.ASCIILine(title=_("label_invoice_regie", default="Régie"))
    domain = schema.TextLine(
        title=_("label_invoice_domain", default="Domain"), required=False
    )
    member_name = schema.TextLine(
        title=_("label_invoice_member", default="Member who benefited"), required=False
    )
    period = schema.TextLine(
        title=_("label_invoice_period", default="Period"), required=False
    )
    issue_date = schema.Date(title=_("label_invoice_issue_date", default="Issued on"))
    due_date = schema.Date(
        title=_("label_invoice_due_date", default="Due on"), required=False
    )
    lines = JSONField(
        title=_("label_invoice_lines", default="Lines"),
        schema=LINES_SCHEMA,
        default=[],
        required=False,
    )
    total_cents = schema.Int(title=_("label_invoice_total", default="Total (cents)"))
    paid_cents = schema.Int(
        title=_("label_invoice_paid", default="Amount paid (cents)"), default=0
    )
    paid_on = schema.Datetime(
        title=_("label_invoice_paid_on", default="Paid on"), required=False
    )
    payment_reference = schema.TextLine(
        title=_("label_invoice_payment_reference", default="Payment reference"),
        required=False,
    )


class IPayment(model.Schema):
    """A card payment of some invoices of one régie (in the household)."""

    directives.omitted(
        "transaction_id",
        "regie",
        "invoice_uids",
        "amount_cents",
        "status",
        "bank_data",
        "reference",
        "created_at",
        "updated_at",
    )
    directives.write_permission(
        transaction_id=WRITE,
        regie=WRITE,
        invoice_uids=WRITE,
        amount_cents=WRITE,
        status=WRITE,
        bank_data=WRITE,
        reference=WRITE,
        created_at=WRITE,
        updated_at=WRITE,
    )

    transaction_id = schema.ASCIILine(
        title=_("label_payment_transaction", default="Transaction")
    )
    regie = schema.ASCIILine(title=_("label_invoice_regie", default="Régie"))
    invoice_uids = schema.List(
        title=_("label_payment_invoices", default="Invoices"),
        value_type=schema.ASCIILine(),
        default=[],
    )
    amount_cents = schema.Int(title=_("label_payment_amount", default="Amount (cents)"))
    status = schema.ASCIILine(
        title=_("label_payment_status", default="Status"), default="pending"
    )
    reference = schema.TextLine(
        title=_("label_payment_reference", default="Bank reference"), required=False
    )
    bank_data = JSONField(
        title=_("label_payment_bank_data", default="Bank data"),
        schema=OPTIONS_SCHEMA,
        default={},
        required=False,
    )
    created_at = schema.Datetime(
        title=_("label_payment_created", default="Started on"), required=False
    )
    updated_at = schema.Datetime(
        title=_("label_payment_updated", default="Updated on"), required=False
    )


@implementer(IRegieFolder)
class RegieFolder(Container):
    """Holds the régies."""


@implementer(IRegie)
class Regie(Container):
    """A régie."""

    backend = "dummy"


@implementer(IInvoice)
class Invoice(DerivedTitle, Item):
    number = ""
    regie = ""
    domain = ""
    member_name = ""
    period = ""
    issue_date = None
    due_date = None
    total_cents = 0
    paid_cents = 0
    paid_on = None
    payment_reference = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []

    def Title(self):
        return f"Facture n° {self.number}".strip() if self.number else ""

    @property
    def invoice_number(self):
        return self.number


@implementer(IPayment)
class Payment(DerivedTitle, Item):
    transaction_id = ""
    regie = ""
    amount_cents = 0
    status = "pending"
    reference = ""
    created_at = None
    updated_at = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.invoice_uids = []
        self.bank_data = {}

    def Title(self):
        return f"Paiement {self.transaction_id}"

"""Writing the invoices as ``billing.importer`` creates them and the card
payments as ``payments.checkout`` and the bank's notification leave them.
"""

from datetime import datetime
from datetime import time
from datetime import timedelta
from decimal import Decimal
from generator.writing import add
from generator.writing import new_content
from generator.writing import owner_of
from generator.writing import stamp


def write_invoice(ctx, household, invoice):
    """An Invoice as ``billing.importer`` creates it (as the administrator
    who runs the import), paid as ``payments.notification.mark_paid`` does.

    The importer's own ``_create`` cannot be used: the invoice must have its
    seeded UID, its past dates and workflow history before it is added (the
    add's handlers would date it and set its state now). ``mark_paid`` pays
    now, through a transition, and emails a receipt."""
    from illkirch.eservices.billing import basket
    from illkirch.eservices.billing import importer

    obj = new_content(
        "Invoice",
        importer.invoice_id(invoice.regie, invoice.number),
        invoice.uid,
        {ctx.importer_id: ["Owner"]},
    )
    lines = [
        {
            "label": label,
            "quantity": importer.stored_quantity(Decimal(quantity)),
            "unit_price_cents": unit,
            "total_cents": importer.line_total(Decimal(quantity), unit),
        }
        for label, quantity, unit in invoice.lines
    ]
    importer._set_fields(
        obj,
        {
            "number": invoice.number,
            "regie": invoice.regie,
            "domain": invoice.domain,
            "member_name": invoice.member_name,
            "period": (invoice.issue_date.replace(day=1) - timedelta(days=1)).strftime(
                "%m/%Y"
            ),
            "issue_date": invoice.issue_date,
            "due_date": invoice.issue_date + timedelta(days=30),
            "lines": lines,
            "total_cents": sum(line["total_cents"] for line in lines),
        },
    )
    # at 5:30 on its day, but never after now (in the small hours of its
    # day), as choices.moment caps every generated time
    imported = min(
        datetime.combine(invoice.issue_date, time(5, 30), tzinfo=ctx.paris),
        ctx.now - timedelta(minutes=5),
    )
    entries = [(None, ctx.importer_id, "", "unpaid", imported)]
    if invoice.paid_on is not None:
        obj.paid_cents = basket.due_cents(obj)
        obj.paid_on = invoice.paid_on
        obj.payment_reference = invoice.payment
        entries.append(("pay", None, "", "paid", invoice.paid_on))
    stamp(ctx, obj, "invoice_workflow", entries, (ctx.importer_id,))
    return add(household, obj, (["acl_users"], ctx.importer_id))


def write_payment(ctx, household, payment, userid):
    """A Payment as ``payments.checkout.start`` records it and the bank's
    notification (``payments.notification``) closes it (``dummy`` bank).

    Neither can be used: ``start`` asks the régie's bank backend for a
    random reference and takes the basket and the time now; the
    notification needs the bank's answer, pays now and emails a receipt."""
    from illkirch.eservices.payments import records

    obj = new_content("Payment", payment.id, payment.uid, {userid: ["Owner"]})
    amount = sum(invoice_total(invoice) for invoice in payment.invoices)
    obj.transaction_id = payment.id
    obj.regie = payment.regie
    obj.invoice_uids = [invoice.uid for invoice in payment.invoices]
    obj.amount_cents = amount
    obj.status = payment.status
    obj.created_at = payment.created
    obj.updated_at = payment.created + timedelta(seconds=90)
    obj.bank_form = None
    obj.bank_data = {
        "transaction_id": payment.id,
        "amount": f"{Decimal(amount) / 100:.2f}",
        "signed": "1",
    }
    if payment.status == records.PAID:
        obj.bank_data["ok"] = "1"
        obj.reference = payment.id
    stamp(
        ctx,
        obj,
        "payment_workflow",
        [(None, userid, "", "recorded", payment.created)],
        (userid,),
        obj.updated_at,
    )
    added = add(household, obj, owner_of(userid))
    if payment.status == records.PAID:
        write_certificate(ctx, added, payment)
    return added


def write_certificate(ctx, obj, payment):
    """The payment certificate the portal issues for a paid payment
    (``official_documents.certificates.issue``, #18): its own seeded code,
    heading and entry in the index of codes. Its PDF is the real one of the
    first paid payment of the generation, reused for the others (rendering
    one per payment would take hours for a large town)."""
    from illkirch.eservices.official_documents import certificates
    from illkirch.eservices.official_documents import pdf
    from illkirch.eservices.official_documents import store

    rng = ctx.rng("certificate", payment.id)
    code = "".join(rng.choice(store.ALPHABET) for _ in range(store.CODE_LENGTH))
    data = getattr(ctx, "certificate_pdf", None)
    if data is None:
        with pdf.issuing():  # the generator plays the job that issues it
            data = ctx.certificate_pdf = certificates.render(obj, code)[0]
    stated = {
        "number": obj.transaction_id,
        "date": obj.updated_at.astimezone(ctx.paris).date().isoformat(),
    }
    document = store.IssuedDocument(
        store.PAYMENT_CERTIFICATE,
        certificates.filename(obj),
        data,
        certificates.heading(obj, stated),
        code,
    )
    document.id = f"{rng.getrandbits(64):016x}"
    document.issued = obj.updated_at.isoformat(timespec="seconds")
    store.add(obj, document, code)


def invoice_total(invoice):
    from illkirch.eservices.billing import importer

    return sum(
        importer.line_total(Decimal(quantity), unit)
        for _label, quantity, unit in invoice.lines
    )

"""The plans of the invoices and payments: 15 invoices per household over
the last 3 years, about half of them paid by card.
"""

from datetime import date
from datetime import timedelta
from generator import words
from generator.choices import moment
from generator.choices import new_uid
from generator.plans import InvoicePlan
from generator.plans import PaymentPlan


INVOICES_PER_HOUSEHOLD = 15
INVOICE_MONTHS = 36
RECENT_INVOICES = 9  # unpaid invoices are among the most recent ones


def issue_day(ctx, rng, months_ago):
    today = ctx.today
    month = today.month - months_ago
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = date(year, month, rng.randrange(2, 11))
    return min(day, today)


def plan_invoices(ctx, rng, plan):
    """15 invoices, more of them recently; the 9 most recent are the unpaid
    ones but one or two, the older ones are paid, each with its card
    payment. The régie « ville » bills the children (or, in households
    without any, a grandchild's holiday centre), the CCAS the adults."""
    months = [0] + weighted_sample(
        rng, range(1, INVOICE_MONTHS), INVOICES_PER_HOUSEHOLD - 1
    )
    recent = months[:RECENT_INVOICES]
    unpaid = {0} | set(rng.sample(recent[1:], rng.choice((6, 7))))
    children = [p for p in plan.persons if p.member_type == "child"]
    ville_share = 0.8 if children else 0.25
    invoices, to_pay = [], []
    for k, months_ago in enumerate(reversed(months)):  # oldest first
        regie = "ville" if months_ago == 0 or rng.random() < ville_share else "ccas"
        invoice = new_invoice(
            ctx, rng, plan, k, regie, issue_day(ctx, rng, months_ago), children
        )
        invoices.append(invoice)
        if months_ago not in unpaid:
            to_pay.append(invoice)
    return invoices, plan_payments(ctx, rng, to_pay)


def weighted_sample(rng, values, count):
    """``count`` distinct values, the smaller ones likelier, sorted."""
    values = list(values)
    keys = {v: rng.random() ** (1 + v / 6) for v in values}
    return sorted(sorted(values, key=keys.get, reverse=True)[:count])


def plan_payments(ctx, rng, invoices):
    """Card payments of the paid invoices, oldest first: a basket often
    holds the next invoice of the same régie too; a payment is sometimes
    refused first."""
    payments, basket = [], []
    for invoice in invoices:
        if basket and (
            basket[0].regie != invoice.regie or len(basket) == 3 or rng.random() < 0.35
        ):
            pay(ctx, rng, basket, payments)
            basket = []
        basket.append(invoice)
    if basket:
        pay(ctx, rng, basket, payments)
    return payments


def new_invoice(ctx, rng, plan, k, regie, issued, children):
    if regie == "ville":
        catalogue = words.VILLE_LINES if children else words.HOLIDAY_LINES
        member = (
            rng.choice(children).title
            if children
            else f"{rng.choice(words.FEMALE_FIRST_NAMES)} {plan.holder.last_name}"
        )
    else:
        catalogue = words.CCAS_LINES
        member = rng.choice([p for p in plan.persons if p.member_type == "adult"]).title
    domain = rng.choice(catalogue)[0]
    choices = [line for line in catalogue if line[0] == domain]
    lines = rng.sample(choices, rng.randrange(1, min(3, len(choices)) + 1))
    prefix = "V" if regie == "ville" else "C"
    number = f"{prefix}-{issued.year}-{plan.index * INVOICES_PER_HOUSEHOLD + k + 1:06d}"
    return InvoicePlan(
        uid=new_uid(rng),
        regie=regie,
        number=number,
        domain=domain,
        member_name=member,
        issue_date=issued,
        lines=[
            (label, rng.randrange(low, high + 1), unit)
            for _d, label, unit, (low, high) in lines
        ],
    )


def pay(ctx, rng, invoices, payments):
    """A card payment of the invoices (sometimes after a refused one)."""
    from illkirch.eservices.payments import records

    last = max(invoice.issue_date for invoice in invoices)
    when = moment(
        ctx, min(last + timedelta(days=rng.randrange(1, 28)), ctx.today), rng, 7, 23
    )
    regie = invoices[0].regie
    if rng.random() < 0.08:
        payments.append(
            PaymentPlan(
                id=new_uid(rng),
                uid=new_uid(rng),
                regie=regie,
                invoices=list(invoices),
                created=when - timedelta(minutes=rng.randrange(5, 90)),
                status=records.FAILED,
            )
        )
    payment = PaymentPlan(
        id=new_uid(rng),
        uid=new_uid(rng),
        regie=regie,
        invoices=list(invoices),
        created=when,
        status=records.PAID,
    )
    for invoice in invoices:
        invoice.paid_on = when + timedelta(seconds=rng.randrange(20, 200))
        invoice.payment = payment.id
    payments.append(payment)

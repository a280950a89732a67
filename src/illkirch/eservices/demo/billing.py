"""The demo's régies (« Régie Ville », « Régie CCAS »), both on eopayment's
``dummy`` backend (demo and test sites only)."""

from datetime import UTC
from illkirch.eservices.site_folders import ensure_regies_folder
from plone import api


REGIES = (
    ("ville", "Régie Ville", ["Scolaire", "Périscolaire", "Petite enfance"]),
    ("ccas", "Régie CCAS", ["Action sociale"]),
)


def create_regies(portal):
    folder = ensure_regies_folder(portal)
    for regie_id, title, domains in REGIES:
        if regie_id in folder.objectIds():
            continue
        with api.env.adopt_roles(["Manager"]):
            regie = api.content.create(
                container=folder, type="Regie", id=regie_id, title=title
            )
            regie.domains = domains
            regie.backend = "dummy"
            regie.backend_options = {}
    return folder


# (régie, number, domain, member, months ago issued, lines, paid reference)
DEMO_INVOICES = (
    (
        "ville",
        "V-2026-0412",
        "Périscolaire",
        "Léo Lire",
        0,
        [("Restauration scolaire", 12, 450), ("Accueil du soir", 8, 275)],
        None,
    ),
    (
        "ville",
        "V-2026-0388",
        "Scolaire",
        "Léo Lire",
        1,
        [("Classe de découverte (acompte)", 1, 6000)],
        None,
    ),
    (
        "ville",
        "V-2026-0351",
        "Périscolaire",
        "Léo Lire",
        2,
        [("Restauration scolaire", 15, 450)],
        "DEMO-PAY-0351",
    ),
    (
        "ville",
        "V-2026-0127",
        "Périscolaire",
        "Léo Lire",
        5,
        [("Restauration scolaire", 14, 450)],
        "DEMO-PAY-0127",
    ),
    (
        "ccas",
        "C-2026-0093",
        "Action sociale",
        "Amélie Lire",
        0,
        [("Portage de repas", 10, 620)],
        None,
    ),
    (
        "ccas",
        "C-2026-0061",
        "Action sociale",
        "Amélie Lire",
        1,
        [("Téléassistance", 1, 1850)],
        "DEMO-PAY-0061",
    ),
    (
        "ccas",
        "C-2026-0012",
        "Action sociale",
        "Amélie Lire",
        6,
        [("Téléassistance", 1, 1850)],
        None,
    ),
)


def _months_ago(today, months):
    from illkirch.eservices.billing.invoices import window_start

    return window_start(today, months) if months else today


def create_invoices(billing_account="ILK-000123"):
    """The demo citizen's invoices in both régies, paid and unpaid, some
    older than the window of « Mes comptes »."""
    from datetime import date
    from datetime import datetime
    from datetime import timedelta
    from plone.dexterity.utils import createContentInContainer

    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(portal_type="Household")
    household = next(
        (
            b._unrestrictedGetObject()
            for b in brains
            if b._unrestrictedGetObject().billing_account == billing_account
        ),
        None,
    )
    if household is None:
        return []
    created = []
    today = date.today()
    for regie, number, domain, member, months, lines, reference in DEMO_INVOICES:
        invoice_id = f"facture-{regie}-{number.lower()}"
        if invoice_id in household.objectIds():
            continue
        issued = _months_ago(today, months)
        with api.env.adopt_roles(["Manager"]):
            invoice = createContentInContainer(
                household, "Invoice", checkConstraints=False, id=invoice_id
            )
            invoice.number = number
            invoice.regie = regie
            invoice.domain = domain
            invoice.member_name = member
            invoice.period = issued.strftime("%m/%Y")
            invoice.issue_date = issued
            invoice.due_date = issued + timedelta(days=30)
            invoice.lines = [
                {
                    "label": label,
                    "quantity": quantity,
                    "unit_price_cents": unit,
                    "total_cents": quantity * unit,
                }
                for label, quantity, unit in lines
            ]
            invoice.total_cents = sum(line["total_cents"] for line in invoice.lines)
            if reference:
                invoice.paid_cents = invoice.total_cents
                invoice.paid_on = datetime.combine(
                    issued + timedelta(days=3), datetime.min.time(), UTC
                )
                invoice.payment_reference = reference
                api.content.transition(invoice, "pay")
            invoice.reindexObject()
        created.append(invoice)
    return created

"""Importing the invoices exported by the billing software (docs/invoices.md).

The file is CSV (UTF-8, optional BOM, ``;``-separated, a header line) or JSON
(a list of objects with the same keys): one row per line of an invoice, the
lines of one invoice next to each other. An invoice is identified by its
régie and its number; its household by its billing account number.

``import_rows`` checks every row first and raises ``InvoiceImportError`` with
every error found (``{"row", "column", "message"}``): then nothing is
written. Otherwise it creates the new invoices, updates the unpaid ones whose
data changed, cancels the unpaid ones marked ``annulee`` and leaves the
others untouched (re-importing a file changes nothing). A paid invoice is
never changed. The caller commits (the console command, the REST request).
"""

from AccessControl import Unauthorized
from decimal import ROUND_HALF_UP
from decimal import Decimal
from decimal import InvalidOperation
from illkirch.eservices import _
from illkirch.eservices import money
from illkirch.eservices.billing.regies import all_regies
from illkirch.eservices.content.adding import add_without_container_modified
from illkirch.eservices.dates import parse_date
from plone import api
from plone.dexterity.utils import createContent
from zope.i18nmessageid import Message

import csv
import io
import json
import re
import unicodedata


MANAGE_INVOICES = "illkirch.eservices: Manage invoices"
COLUMNS = (
    "regie",
    "numero",
    "compte_facturation",
    "domaine",
    "beneficiaire",
    "periode",
    "date_emission",
    "date_echeance",
    "libelle",
    "quantite",
    "prix_unitaire",
    "statut",
)
REQUIRED = (
    "regie",
    "numero",
    "compte_facturation",
    "date_emission",
    "libelle",
    "quantite",
    "prix_unitaire",
)
# The columns that describe the invoice (the same on each of its lines).
INVOICE_COLUMNS = (
    "compte_facturation",
    "domaine",
    "beneficiaire",
    "periode",
    "date_emission",
    "date_echeance",
    "statut",
)
TO_PAY = "a_payer"
CANCELLED = "annulee"
STATUSES = (TO_PAY, CANCELLED)
FILE = 0  # the row of the errors about the whole file

_QUANTITY = re.compile(r"^\d+(\.\d{1,3})?$")

NOT_UTF8 = _("error_import_encoding", default="The file is not encoded in UTF-8.")
NOT_CSV = _("error_import_csv", default="The file could not be read as CSV: ${detail}.")
NOT_JSON = _(
    "error_import_json",
    default="The file must be a JSON list of objects, one per invoice line.",
)
NOT_OBJECT = _("error_import_json_row", default="This row must be a JSON object.")
EMPTY = _("error_import_empty", default="The file holds no invoice.")
MISSING_COLUMN = _("error_import_missing_column", default="This column is required.")
UNKNOWN_COLUMN = _(
    "error_import_unknown_column", default="Unknown column: the columns are ${columns}."
)
REQUIRED_VALUE = _("error_import_required", default="This value is required.")
NOT_TEXT = _("error_import_not_text", default="This value must be text.")
UNKNOWN_REGIE = _("error_import_unknown_regie", default="Unknown régie « ${value} ».")
UNKNOWN_HOUSEHOLD = _(
    "error_import_unknown_household",
    default="No household has the billing account « ${value} ».",
)
SEVERAL_HOUSEHOLDS = _(
    "error_import_several_households",
    default="The billing account « ${value} » is held by "
    "${count} households: the town's agents must first give "
    "it to one household only.",
)
UNKNOWN_DOMAIN = _(
    "error_import_unknown_domain",
    default="The régie does not bill the domain « ${value} ».",
)
BAD_DATE = _(
    "error_import_date",
    default="« ${value} » is not a date: write DD/MM/YYYY or YYYY-MM-DD.",
)
DUE_BEFORE_ISSUE = _(
    "error_import_due_date", default="The due date is before the issue date."
)
BAD_AMOUNT = _(
    "error_import_amount",
    default="« ${value} » is not an amount in euros (at most two "
    "decimals, with a comma or a dot).",
)
BAD_QUANTITY = _(
    "error_import_quantity",
    default="« ${value} » is not a quantity (a positive number, "
    "at most three decimals).",
)
NEGATIVE_TOTAL = _(
    "error_import_negative_total", default="The total of invoice ${number} is negative."
)
BAD_STATUS = _(
    "error_import_status",
    default="« ${value} » is not a status: write a_payer or annulee.",
)
DIFFERS_IN_INVOICE = _(
    "error_import_differs_in_invoice",
    default="Differs from row ${row} of the same invoice.",
)
DUPLICATE = _(
    "error_import_duplicate",
    default="Invoice ${number} of the régie ${regie} is already given at "
    "row ${row} with other data.",
)
OTHER_HOUSEHOLD = _(
    "error_import_other_household",
    default="Invoice ${number} of the régie ${regie} is already "
    "stored for another household.",
)
PAID = _(
    "error_import_paid",
    default="Invoice ${number} of the régie ${regie} is paid: it can no longer "
    "be changed nor cancelled.",
)
WAS_CANCELLED = _(
    "error_import_cancelled",
    default="Invoice ${number} of the régie ${regie} is cancelled: it "
    "cannot be billed again.",
)


class InvoiceImportError(ValueError):
    """The file is refused; ``errors``: ``[{"row", "column", "message"}]``
    sorted by row (0: the whole file; 1: the CSV header)."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = sorted(
            errors, key=lambda e: (e["row"], _column_rank(e["column"]))
        )


def _column_rank(column):
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)


def _error(at_row, at_column, message, /, **mapping):
    if mapping:
        message = Message(message, mapping=mapping)
    return {"row": at_row, "column": at_column, "message": message}


def _key(name):
    """A column name without case, accents nor spaces: « Numéro » → numero."""
    name = unicodedata.normalize("NFKD", str(name).strip().lower())
    name = "".join(c for c in name if not unicodedata.combining(c))
    return re.sub(r"[\s-]+", "_", name)


# reading ------------------------------------------------------------------


def parse_csv(data):
    """``(rows, errors)`` of a CSV file (bytes or text); rows are
    ``(row number, {column: text})``, the header being row 1."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [_error(FILE, "", NOT_UTF8)]
    data = data.lstrip("\ufeff")
    try:
        records = list(csv.reader(io.StringIO(data, newline=""), delimiter=";"))
    except csv.Error as exc:
        return [], [_error(FILE, "", NOT_CSV, detail=str(exc))]
    while records and not any(cell.strip() for cell in records[0]):
        records.pop(0)
    if not records:
        return [], [_error(FILE, "", EMPTY)]
    header = [_key(cell) for cell in records[0]]
    errors = [
        _error(1, name, UNKNOWN_COLUMN, columns=", ".join(COLUMNS))
        for name in header
        if name and name not in COLUMNS
    ]
    missing = [
        _error(1, name, MISSING_COLUMN) for name in REQUIRED if name not in header
    ]
    if missing:  # the rows cannot be read
        return [], errors + missing
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        rows.append(
            (
                number,
                {
                    name: value
                    for name, value in zip(header, record, strict=False)
                    if name in COLUMNS
                },
            )
        )
    if not rows and not errors:
        errors.append(_error(FILE, "", EMPTY))
    return rows, errors


def parse_json(data):
    """``(rows, errors)`` of a JSON list (bytes, text or already decoded);
    the first object is row 1."""
    if isinstance(data, (bytes, str)):
        try:
            data = json.loads(data)
        except UnicodeDecodeError:
            return [], [_error(FILE, "", NOT_UTF8)]
        except ValueError:
            return [], [_error(FILE, "", NOT_JSON)]
    if not isinstance(data, list):
        return [], [_error(FILE, "", NOT_JSON)]
    if not data:
        return [], [_error(FILE, "", EMPTY)]
    rows, errors = [], []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            errors.append(_error(number, "", NOT_OBJECT))
            continue
        row = {}
        for name, value in item.items():
            key = _key(name)
            if key not in COLUMNS:
                errors.append(
                    _error(
                        number, str(name), UNKNOWN_COLUMN, columns=", ".join(COLUMNS)
                    )
                )
            elif value is None:
                row[key] = ""
            elif isinstance(value, bool) or not isinstance(value, (str, int, float)):
                errors.append(_error(number, key, NOT_TEXT))
            else:
                # numbers are read from their text, never computed as floats
                row[key] = str(value)
        rows.append((number, row))
    return rows, errors


# values -------------------------------------------------------------------


def parse_quantity(text):
    """A quantity ≥ 0 with at most three decimals, as a Decimal."""
    value = money.decimal_text(text)
    if not _QUANTITY.match(value):
        raise ValueError(text)
    return Decimal(value)


def line_total(quantity, unit_price_cents):
    """quantity × unit price, rounded to the cent, halves away from zero."""
    return int(
        (quantity * unit_price_cents).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )


def stored_quantity(quantity):
    """An int when whole (« 12 »), else its text (« 1.5 »): never a float."""
    return (
        int(quantity)
        if quantity == quantity.to_integral_value()
        else str(quantity.normalize())
    )


# checking -----------------------------------------------------------------


def households_by_account(accounts):
    """Billing account → Household for the account numbers of a file (one
    query of the ``household_billing_account`` index: only the households
    the file names are loaded). An account that more than one household
    holds (numbers given before they were unique) maps to the tuple of
    those households: the file is refused rather than an invoice given to
    the wrong one."""
    accounts = sorted({(account or "").strip() for account in accounts} - {""})
    if not accounts:
        return {}
    catalog = api.portal.get_tool("portal_catalog")
    found = {}
    brains = catalog.unrestrictedSearchResults(
        portal_type="Household", household_billing_account=accounts, sort_on="path"
    )
    for brain in brains:
        household = brain._unrestrictedGetObject()
        account = (household.billing_account or "").strip()
        if account:
            found.setdefault(account, []).append(household)
    return {
        account: holders[0] if len(holders) == 1 else tuple(holders)
        for account, holders in found.items()
    }


def stored_invoices(keys):
    """(régie, number) → catalog brain of the stored invoices among ``keys``
    (one catalog query by the numbers of the file: its cost follows the
    file, not the invoices of the whole town)."""
    if not keys:
        return {}
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="Invoice", invoice_number=sorted({number for _, number in keys})
    )
    # read from the indexes themselves: no invoice is loaded here
    numbers = catalog._catalog.getIndex("invoice_number")
    regie_index = catalog._catalog.getIndex("invoice_regie")
    found = {}
    for brain in brains:
        rid = brain.getRID()
        key = (regie_index.getEntryForObject(rid), numbers.getEntryForObject(rid))
        if key in keys:
            found[key] = brain
    return found


def _check_row(number, row, known_regies, accounts, errors):
    """The invoice data and the line of a row (None when it has errors)."""
    found = len(errors)
    values = {}
    for name in COLUMNS:
        values[name] = (row.get(name) or "").strip()
        if name in REQUIRED and not values[name]:
            errors.append(_error(number, name, REQUIRED_VALUE))
    regie = known_regies.get(values["regie"])
    if values["regie"] and regie is None:
        errors.append(_error(number, "regie", UNKNOWN_REGIE, value=values["regie"]))
    household = accounts.get(values["compte_facturation"])
    if isinstance(household, tuple):
        errors.append(
            _error(
                number,
                "compte_facturation",
                SEVERAL_HOUSEHOLDS,
                value=values["compte_facturation"],
                count=len(household),
            )
        )
        household = None
    elif values["compte_facturation"] and household is None:
        errors.append(
            _error(
                number,
                "compte_facturation",
                UNKNOWN_HOUSEHOLD,
                value=values["compte_facturation"],
            )
        )
    domains = list(getattr(regie, "domains", None) or []) if regie is not None else []
    if values["domaine"] and domains and values["domaine"] not in domains:
        errors.append(
            _error(number, "domaine", UNKNOWN_DOMAIN, value=values["domaine"])
        )
    dates = {}
    for name in ("date_emission", "date_echeance"):
        if values[name]:
            try:
                dates[name] = parse_date(values[name])
            except ValueError:
                errors.append(_error(number, name, BAD_DATE, value=values[name]))
    if (
        dates.get("date_emission")
        and dates.get("date_echeance")
        and dates["date_echeance"] < dates["date_emission"]
    ):
        errors.append(_error(number, "date_echeance", DUE_BEFORE_ISSUE))
    quantity = unit = None
    if values["quantite"]:
        try:
            quantity = parse_quantity(values["quantite"])
        except (ValueError, InvalidOperation):
            errors.append(
                _error(number, "quantite", BAD_QUANTITY, value=values["quantite"])
            )
    if values["prix_unitaire"]:
        try:
            unit = money.parse_cents(values["prix_unitaire"])
        except (ValueError, InvalidOperation):
            errors.append(
                _error(
                    number, "prix_unitaire", BAD_AMOUNT, value=values["prix_unitaire"]
                )
            )
    status = values["statut"] or TO_PAY
    if status not in STATUSES:
        errors.append(_error(number, "statut", BAD_STATUS, value=values["statut"]))
    if len(errors) > found:
        return None
    invoice = {
        "regie": values["regie"],
        "number": values["numero"],
        "household": household,
        "account": values["compte_facturation"],
        "domain": values["domaine"],
        "member_name": values["beneficiaire"],
        "period": values["periode"],
        "issue_date": dates["date_emission"],
        "due_date": dates.get("date_echeance"),
        "status": status,
    }
    line = {
        "label": values["libelle"],
        "quantity": stored_quantity(quantity),
        "unit_price_cents": unit,
        "total_cents": line_total(quantity, unit),
    }
    return {"values": values, "invoice": invoice, "line": line}


FIELDS = (
    "domain",
    "member_name",
    "period",
    "issue_date",
    "due_date",
    "lines",
    "total_cents",
)


def _same_data(invoice, stored):
    return all(
        (getattr(stored, name, None) or None) == (invoice[name] or None)
        for name in FIELDS
    )


def check(rows, checked_rows=None):
    """``(plan, errors)``: the invoices of the rows, each with what to do
    (``create``, ``update``, ``cancel``, ``unchanged``), checked against each
    other and against the stored invoices. ``checked_rows(done, total)`` is
    called after each row."""
    errors = []
    known_regies = all_regies()
    accounts = households_by_account(row.get("compte_facturation") for _, row in rows)
    blocks = []  # [first row, invoice, lines, {column: (row, value)}]
    current = None
    for done, (number, row) in enumerate(rows, start=1):
        checked = _check_row(number, row, known_regies, accounts, errors)
        if checked_rows is not None:
            checked_rows(done, len(rows))
        if checked is None:
            current = None  # the next rows of this invoice are checked alone
            continue
        invoice, values = checked["invoice"], checked["values"]
        key = (invoice["regie"], invoice["number"])
        if current is not None and current[1]["key"] == key:
            for name in INVOICE_COLUMNS:
                first_row, first_value = current[3][name]
                if values[name] != first_value:
                    errors.append(
                        _error(number, name, DIFFERS_IN_INVOICE, row=first_row)
                    )
            current[2].append(checked["line"])
            continue
        invoice["key"] = key
        current = [
            number,
            invoice,
            [checked["line"]],
            {name: (number, values[name]) for name in INVOICE_COLUMNS},
        ]
        blocks.append(current)
    invoices = {}
    for first_row, invoice, lines, _values in blocks:
        invoice["lines"] = lines
        invoice["total_cents"] = sum(line["total_cents"] for line in lines)
        invoice["row"] = first_row
        mapping = {"number": invoice["number"], "regie": invoice["regie"]}
        if invoice["total_cents"] < 0:
            errors.append(_error(first_row, "prix_unitaire", NEGATIVE_TOTAL, **mapping))
        earlier = invoices.get(invoice["key"])
        if earlier is None:
            invoices[invoice["key"]] = invoice
        elif not _same_block(earlier, invoice):
            errors.append(
                _error(first_row, "numero", DUPLICATE, row=earlier["row"], **mapping)
            )
    if errors:
        return [], errors
    stored = stored_invoices(set(invoices))
    plan = []
    for key, invoice in invoices.items():
        mapping = {"number": invoice["number"], "regie": invoice["regie"]}
        brain = stored.get(key)
        if brain is None:
            plan.append(("create", invoice, None))
            continue
        household_path = "/".join(invoice["household"].getPhysicalPath())
        if brain.getPath().rsplit("/", 1)[0] != household_path:
            errors.append(
                _error(invoice["row"], "compte_facturation", OTHER_HOUSEHOLD, **mapping)
            )
            continue
        obj = brain._unrestrictedGetObject()
        state = api.content.get_state(obj)
        same = _same_data(invoice, obj)
        if state == "paid":
            if not same or invoice["status"] == CANCELLED:
                errors.append(_error(invoice["row"], "numero", PAID, **mapping))
            else:
                plan.append(("unchanged", invoice, obj))
        elif state == "cancelled":
            if invoice["status"] == TO_PAY:
                errors.append(
                    _error(invoice["row"], "statut", WAS_CANCELLED, **mapping)
                )
            else:
                plan.append(("unchanged", invoice, obj))
        elif invoice["status"] == CANCELLED:
            plan.append(("cancel", invoice, obj))
        elif same:
            plan.append(("unchanged", invoice, obj))
        else:
            plan.append(("update", invoice, obj))
    return plan, errors


def _same_block(one, other):
    return all(
        one[name] == other[name]
        for name in (
            "account",
            "domain",
            "member_name",
            "period",
            "issue_date",
            "due_date",
            "status",
            "lines",
        )
    )


# writing ------------------------------------------------------------------


def invoice_id(regie, number):
    """``facture-<régie>-<number>``, as the demo invoices."""
    slug = re.sub(r"[^a-z0-9]+", "-", _key(number)).strip("-") or "sans-numero"
    return f"facture-{regie}-{slug}"


def _set_fields(obj, invoice):
    obj.number = invoice["number"]
    obj.regie = invoice["regie"]
    for name in FIELDS:
        setattr(obj, name, invoice[name])


def _create(invoice):
    """Add the invoice to its household without « container modified »:
    that event would re-read the household's relations and catalogue the
    household again, touching its entries in every index, scattered over
    the town's, for nothing an invoice changes in them (the household's
    data, its modification date included, are the citizen's and the
    town's; the invoices are found by their own entries)."""
    household = invoice["household"]
    name = base = invoice_id(invoice["regie"], invoice["number"])
    suffix = 1
    while name in household:
        suffix += 1
        name = f"{base}-{suffix}"
    obj = createContent("Invoice")
    obj.id = name
    _set_fields(obj, invoice)
    # indexed once, when added, with all its fields set
    return add_without_container_modified(household, obj)


def apply(plan, progress=None):
    """Write a checked plan (as Manager: only the import writes invoices);
    return the summary. ``progress(done, total)`` is called after each
    invoice."""
    summary = {"created": 0, "updated": 0, "cancelled": 0, "unchanged": 0}
    # household after household: the catalog's entries of a household (its
    # path, its holder's access) are written together, and those of
    # neighbouring households land in the same buckets of the indexes
    plan = sorted(plan, key=lambda item: item[1]["household"].getPhysicalPath())
    with api.env.adopt_roles(["Manager"]):
        for done, (action, invoice, obj) in enumerate(plan, start=1):
            if action == "create":
                obj = _create(invoice)
                summary["created"] += 1
                if invoice["status"] == CANCELLED:
                    api.content.transition(obj=obj, transition="cancel")
            elif action == "update":
                _set_fields(obj, invoice)
                obj.reindexObject()
                summary["updated"] += 1
            elif action == "cancel":
                if not _same_data(invoice, obj):
                    _set_fields(obj, invoice)
                    obj.reindexObject()
                api.content.transition(obj=obj, transition="cancel")
                summary["cancelled"] += 1
            else:
                summary["unchanged"] += 1
            if progress is not None:
                progress(done, len(plan))
    return summary


def import_rows(rows, progress=None, errors=(), checked_rows=None):
    """Check then import parsed rows; return the summary
    ``{"created", "updated", "cancelled", "unchanged", "invoices", "rows"}``.
    ``checked_rows(done, total)`` is called after each row checked,
    ``progress(done, total)`` after each invoice written.

    Raise InvoiceImportError (nothing written) when a row is wrong, and
    Unauthorized when the current user may not manage invoices.
    """
    portal = api.portal.get()
    if not api.user.has_permission(MANAGE_INVOICES, obj=portal):
        raise Unauthorized("Managing invoices")
    errors = list(errors)
    plan, check_errors = check(rows, checked_rows) if rows or not errors else ([], [])
    errors += check_errors
    if errors:
        raise InvoiceImportError(errors)
    summary = apply(plan, progress)
    summary["invoices"] = len(plan)
    summary["rows"] = len(rows)
    return summary


def parse(data, format_):
    """``(rows, errors)`` of a file in ``csv`` or ``json``."""
    return parse_json(data) if format_ == "json" else parse_csv(data)


def import_file(data, format_="csv", progress=None):
    """Parse, check and import a file (bytes or text); see import_rows."""
    rows, errors = parse(data, format_)
    return import_rows(rows, progress=progress, errors=errors)

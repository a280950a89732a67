"""The import of the billing software's invoices (billing/importer.py)."""

from AccessControl import Unauthorized
from illkirch.eservices.accounts import households
from illkirch.eservices.billing import importer
from illkirch.eservices.billing.importer import InvoiceImportError
from illkirch.eservices.content.household import IHousehold
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.site import use_mock_mailhost
from pathlib import Path
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from zope.component import getGlobalSiteManager
from zope.component import getUtility
from zope.container.interfaces import IContainerModifiedEvent
from zope.intid.interfaces import IIntIds

import datetime
import json
import re
import unittest


DOC = Path(__file__).parents[2] / "docs" / "invoices.md"
HEADER = (
    "regie;numero;compte_facturation;domaine;beneficiaire;periode;"
    "date_emission;date_echeance;libelle;quantite;prix_unitaire;statut"
)


def documented_example():
    return re.search(
        r"```csv\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL
    ).group(1)


def csv(*lines):
    return "\n".join((HEADER, *lines)) + "\n"


def line(
    number="V-2026-0601",
    account="ILK-000123",
    regie="ville",
    domain="Périscolaire",
    issued="01/06/2026",
    due="30/06/2026",
    label="Restauration scolaire",
    quantity="3",
    price="4,50",
    status="a_payer",
):
    return (
        f"{regie};{number};{account};{domain};Léo Lire;06/2026;{issued};{due};"
        f"{label};{quantity};{price};{status}"
    )


class TestInvoiceImport(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.household = households.household_of("amelie.lire")
        login(self.portal, "agent.regie")
        self.addCleanup(logout)

    def invoices(self):
        catalog = api.portal.get_tool("portal_catalog")
        return {
            brain.invoice_number
            if isinstance(getattr(brain, "invoice_number", None), str)
            else brain._unrestrictedGetObject().number: brain._unrestrictedGetObject()
            for brain in catalog.unrestrictedSearchResults(portal_type="Invoice")
        }

    def invoice(self, number):
        return next(
            obj
            for obj in self.household.objectValues()
            if getattr(obj, "portal_type", "") == "Invoice" and obj.number == number
        )

    def assert_refused(self, data, expected, format_="csv"):
        before = {
            n: (o.modified(), api.content.get_state(o))
            for n, o in self.invoices().items()
        }
        with self.assertRaises(InvoiceImportError) as caught:
            importer.import_file(data, format_)
        found = {(e["row"], e["column"]) for e in caught.exception.errors}
        self.assertTrue(set(expected) <= found, (expected, caught.exception.errors))
        after = {
            n: (o.modified(), api.content.get_state(o))
            for n, o in self.invoices().items()
        }
        self.assertEqual(before, after)
        return caught.exception.errors

    def test_documented_example_imports(self):
        summary = importer.import_file(documented_example().encode("utf-8-sig"))
        self.assertEqual(
            summary,
            {
                "created": 2,
                "updated": 0,
                "cancelled": 0,
                "unchanged": 0,
                "invoices": 2,
                "rows": 3,
            },
        )
        invoice = self.invoice("V-2026-0501")
        self.assertEqual(invoice.aq_parent, self.household)
        self.assertEqual(invoice.getId(), "facture-ville-v-2026-0501")
        self.assertEqual(invoice.regie, "ville")
        self.assertEqual(invoice.domain, "Périscolaire")
        self.assertEqual(invoice.member_name, "Léo Lire")
        self.assertEqual(invoice.issue_date, datetime.date(2026, 5, 31))
        self.assertEqual(invoice.due_date, datetime.date(2026, 6, 30))
        self.assertEqual(invoice.total_cents, 7600)
        self.assertEqual(
            invoice.lines[0],
            {
                "label": "Restauration scolaire",
                "quantity": 12,
                "unit_price_cents": 450,
                "total_cents": 5400,
            },
        )
        self.assertEqual(api.content.get_state(invoice), "unpaid")
        self.assertEqual(self.invoice("C-2026-0120").total_cents, 6200)
        catalog = api.portal.get_tool("portal_catalog")
        self.assertEqual(
            len(
                catalog.unrestrictedSearchResults(
                    invoice_number="C-2026-0120", invoice_regie="ccas"
                )
            ),
            1,
        )

    def test_reimport_changes_nothing(self):
        data = documented_example()
        importer.import_file(data)
        count = len(self.invoices())
        stamps = {n: o.modified() for n, o in self.invoices().items()}
        summary = importer.import_file(data)
        self.assertEqual(summary["unchanged"], 2)
        self.assertEqual(
            summary["created"] + summary["updated"] + summary["cancelled"], 0
        )
        self.assertEqual(len(self.invoices()), count)
        self.assertEqual({n: o.modified() for n, o in self.invoices().items()}, stamps)

    def test_household_not_modified_by_an_import(self):
        """No « container modified »: the household is neither catalogued
        again nor marked modified (docs/invoices.md)."""
        modified = []
        stamp = self.household.modified()

        def seen(obj, event):
            modified.append(obj)

        gsm = getGlobalSiteManager()
        gsm.registerHandler(seen, (IHousehold, IContainerModifiedEvent))
        self.addCleanup(
            gsm.unregisterHandler, seen, (IHousehold, IContainerModifiedEvent)
        )
        summary = importer.import_file(
            csv(line("V-2026-0701"), line("V-2026-0702"), line("V-2026-0703"))
        )
        self.assertEqual(summary["created"], 3)
        self.assertEqual(modified, [])
        self.assertEqual(self.household.modified(), stamp)
        # added with all the events but that one: owned, in its workflow,
        # catalogued, with an intid
        invoice = self.invoice("V-2026-0702")
        self.assertEqual(api.content.get_state(invoice), "unpaid")
        self.assertEqual(self.invoices()["V-2026-0702"], invoice)
        catalog = api.portal.get_tool("portal_catalog")
        self.assertEqual(len(catalog.unrestrictedSearchResults(UID=invoice.UID())), 1)
        self.assertEqual(invoice.getOwner().getId(), "agent.regie")
        self.assertIsNotNone(getUtility(IIntIds).queryId(invoice))
        self.assertIn(
            "V-2026-0702",
            [
                o.number
                for o in self.household.objectValues()
                if getattr(o, "portal_type", "") == "Invoice"
            ],
        )

    def test_json_like_csv(self):
        rows = [
            dict(
                zip(
                    HEADER.split(";"),
                    line(quantity=2, price=1.5).split(";"),
                    strict=True,
                )
            )
        ]
        rows[0]["quantite"] = 2
        summary = importer.import_file(json.dumps(rows), "json")
        self.assertEqual(summary["created"], 1)
        self.assertEqual(self.invoice("V-2026-0601").total_cents, 300)

    def test_totals_in_cents_from_comma_decimals(self):
        importer.import_file(
            csv(
                line(label="Repas", quantity="1,5", price="0,33"),
                line(label="Garderie", quantity="3", price="12,10"),
                line(label="Réduction", quantity="1", price="-1,05"),
            )
        )
        invoice = self.invoice("V-2026-0601")
        # 1.5 × 33 = 49.5 → 50 (half up); 3 × 1210 = 3630; -105
        self.assertEqual([ln["total_cents"] for ln in invoice.lines], [50, 3630, -105])
        self.assertEqual(invoice.lines[0]["quantity"], "1.5")
        self.assertEqual(invoice.total_cents, 3575)
        self.assertIsInstance(invoice.total_cents, int)

    def test_every_bad_row_reported_nothing_imported(self):
        errors = self.assert_refused(
            csv(
                line(number="A1"),  # 2: fine
                line(number="A2", account="ILK-999999"),  # 3
                line(number="A3", regie="piscine"),  # 4
                line(number="A4", price="4,5,0"),  # 5
                line(number="A5", quantity="deux"),  # 6
                line(number="A6", issued="31/02/2026"),  # 7
                line(number="A7", status="payee"),  # 8
                line(number="A8", label=""),  # 9
                line(number="A9", domain="Piscine"),  # 10
                line(number="A1", price="9"),  # 11: other data
                line(number="A10", issued="2026-06-10", due="2026-06-01"),  # 12
                line(number="A11"),  # 13
                line(number="A11", issued="02/06/2026"),  # 14: differs
            ),
            [
                (3, "compte_facturation"),
                (4, "regie"),
                (5, "prix_unitaire"),
                (6, "quantite"),
                (7, "date_emission"),
                (8, "statut"),
                (9, "libelle"),
                (10, "domaine"),
                (11, "numero"),
                (12, "date_echeance"),
                (14, "date_emission"),
            ],
        )
        self.assertNotIn(2, {e["row"] for e in errors})
        self.assertEqual(errors, sorted(errors, key=lambda e: e["row"]))
        message = next(e["message"] for e in errors if e["row"] == 3)
        self.assertEqual(message, "error_import_unknown_household")
        self.assertEqual(message.mapping, {"value": "ILK-999999"})
        self.assertNotIn("A1", {o.number for o in self.invoices().values()})

    def test_header_and_file_errors(self):
        self.assert_refused(
            "regie;numero\nville;A1\n",
            [(1, "compte_facturation"), (1, "prix_unitaire")],
        )
        self.assert_refused(
            HEADER + ";couleur\n" + line() + ";rouge\n", [(1, "couleur")]
        )
        self.assert_refused(b"\xff\xfe" + "é".encode("latin-1"), [(0, "")])
        self.assert_refused(HEADER + "\n", [(0, "")])
        self.assert_refused("{", [(0, "")], "json")
        self.assert_refused(json.dumps([{"regie": "ville"}]), [(1, "numero")], "json")

    def test_same_invoice_twice_is_fine(self):
        summary = importer.import_file(
            csv(line(number="B1"), line(number="B2"), line(number="B1"))
        )
        self.assertEqual(summary["created"], 2)

    def test_update_of_unpaid_invoice(self):
        importer.import_file(csv(line()))
        invoice = self.invoice("V-2026-0601")
        before = invoice.modified()
        summary = importer.import_file(
            csv(line(quantity="4"), line(label="Goûter", quantity="2", price="1"))
        )
        self.assertEqual(summary["updated"], 1)
        self.assertEqual(invoice.total_cents, 4 * 450 + 200)
        self.assertEqual(len(invoice.lines), 2)
        self.assertGreaterEqual(invoice.modified(), before)
        self.assertEqual(api.content.get_state(invoice), "unpaid")

    def test_cancellation(self):
        importer.import_file(csv(line()))
        summary = importer.import_file(csv(line(status="annulee")))
        self.assertEqual(summary["cancelled"], 1)
        invoice = self.invoice("V-2026-0601")
        self.assertEqual(api.content.get_state(invoice), "cancelled")
        # again: nothing to do; billing it again is refused
        self.assertEqual(
            importer.import_file(csv(line(status="annulee")))["unchanged"], 1
        )
        self.assert_refused(csv(line()), [(2, "statut")])

    def test_paid_invoice_never_changed(self):
        importer.import_file(csv(line()))
        invoice = self.invoice("V-2026-0601")
        with api.env.adopt_roles(["Manager"]):
            api.content.transition(obj=invoice, transition="pay")
        stamp = invoice.modified()
        self.assert_refused(csv(line(quantity="5")), [(2, "numero")])
        self.assert_refused(csv(line(status="annulee")), [(2, "numero")])
        self.assertEqual(importer.import_file(csv(line()))["unchanged"], 1)
        self.assertEqual(invoice.total_cents, 3 * 450)
        self.assertEqual(invoice.modified(), stamp)
        self.assertEqual(api.content.get_state(invoice), "paid")

    def test_other_household_refused(self):
        importer.import_file(csv(line()))
        jerome = households.household_of("jerome.attente")
        with api.env.adopt_roles(["Manager"]):
            jerome.billing_account = "ILK-000777"
            jerome.reindexObject()
        self.assert_refused(
            csv(line(account="ILK-000777")), [(2, "compte_facturation")]
        )

    def as_agent(self, function, *args):
        """``function(*args)`` as an agent of the town's front desk."""
        login(self.portal, "agent.accueil")
        try:
            return function(*args)
        finally:
            login(self.portal, "agent.regie")

    def test_account_number_changed_by_the_town(self):
        """The import finds a household by the number the town gave it last
        (the ``household_billing_account`` index follows the edits), with
        spaces around the number ignored."""
        jerome = households.household_of("jerome.attente")
        mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.as_agent(
            households.update_household, jerome, {"billing_account": "ILK-000888"}
        )
        catalog = api.portal.get_tool("portal_catalog")
        self.assertEqual(
            [
                b.getPath()
                for b in catalog.unrestrictedSearchResults(
                    household_billing_account="ILK-000888"
                )
            ],
            ["/".join(jerome.getPhysicalPath())],
        )
        self.assertEqual(
            importer.households_by_account([" ILK-000888", "ILK-404"]),
            {"ILK-000888": jerome},
        )
        self.assertEqual(
            importer.import_file(csv(line(number="V-2026-0888", account="ILK-000888")))[
                "created"
            ],
            1,
        )
        self.assertEqual(self.invoices()["V-2026-0888"].aq_parent, jerome)
        self.as_agent(
            households.update_household, jerome, {"billing_account": "ILK-000999"}
        )
        self.assert_refused(
            csv(line(number="V-2026-0889", account="ILK-000888")),
            [(2, "compte_facturation")],
        )

    def test_only_finance_imports(self):
        logout()
        login(self.portal, "agent.accueil")
        with self.assertRaises(Unauthorized):
            importer.import_file(csv(line()))


class TestImportCommand(unittest.TestCase):
    """``eservices-import-invoices`` once the instance is open (cli/)."""

    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        login(self.portal, "agent.regie")
        self.addCleanup(logout)

    def run_command(self, data):
        from illkirch.eservices.cli import import_invoices

        import io

        out, err = io.StringIO(), io.StringIO()
        code = import_invoices.run(self.portal, data.encode("utf-8"), "csv", out, err)
        return code, out.getvalue(), err.getvalue()

    def test_summary_and_progress(self):
        code, out, err = self.run_command(documented_example())
        self.assertEqual(code, 0)
        self.assertIn("2 créée(s)", out)
        self.assertIn("Import", err)

    def test_errors_by_row_and_column(self):
        code, out, _err = self.run_command(csv(line(account="ILK-999999")))
        self.assertEqual(code, 1)
        self.assertIn("rien n'a été importé", out)
        self.assertIn("ligne 2, colonne compte_facturation : ", out)

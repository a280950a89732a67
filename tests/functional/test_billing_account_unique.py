"""A billing account number belongs to one household (issue 13, item 4).

- Agents cannot give a number another household holds, whatever the path
  (the household's REST ``PATCH``, its edit form, « Comptes à valider »):
  the French error names the other household's identifier, none of its data.
- Only those allowed to manage billing accounts (permission ``Manage billing
  account``: the agents who validate accounts) set them.
- The invoice import (REST and command) refuses, all or nothing, a file whose
  account is held by more than one household (numbers given before the rule).
"""

from illkirch.eservices.accounts import households
from illkirch.eservices.content.billing_accounts import households_with_account
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import EDITOR
from illkirch.eservices.testing.demo import REGIE
from illkirch.eservices.testing.sessions import rest_session
from plone import api

import io
import lxml.html
import re
import requests
import transaction
import unittest


TAKEN = "ILK-000123"  # the demo's validated household (Amélie Lire)
# Amélie's data: none of it may appear in the refusal.
AMELIE_DATA = ("Amélie", "amelie", "amélie", "Lire", "example.org", "Léo")
HEADER = (
    "regie;numero;compte_facturation;domaine;beneficiaire;periode;"
    "date_emission;date_echeance;libelle;quantite;prix_unitaire;statut"
)


def row(number, account):
    return (
        f"ville;{number};{account};Périscolaire;Léo;07/2026;01/07/2026;"
        "31/07/2026;Restauration scolaire;10;4,50;a_payer"
    )


class BillingAccountTestCase(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.amelie = households.household_of("amelie.lire")
        self.jerome = households.household_of("jerome.attente")
        self.jerome_url = self.jerome.absolute_url()

    def session(self, account=None):
        session = rest_session(self.url, *(account or ()))
        self.addCleanup(session.close)
        return session

    def account_of(self, household):
        transaction.begin()  # see what the server committed
        return household.billing_account

    def assert_refusal_names_the_household(self, text):
        self.assertIn(
            f"Le numéro de compte de facturation {TAKEN} est déjà celui "
            f"du foyer {self.amelie.getId()}",
            text,
        )
        for data in AMELIE_DATA:
            self.assertNotIn(data, text)


class TestUniqueForAgents(BillingAccountTestCase):
    def test_rest_patch_refuses_a_number_of_another_household(self):
        agent = self.session(AGENT)
        for number in (TAKEN, f"  {TAKEN} "):
            response = agent.patch(self.jerome_url, json={"billing_account": number})
            self.assertEqual(response.status_code, 400, response.text)
            self.assert_refusal_names_the_household(response.json()["message"])
            self.assertIsNone(self.account_of(self.jerome))
        # the household keeps its own number; a free number is accepted
        response = agent.patch(
            self.amelie.absolute_url(),
            json={"billing_account": TAKEN, "phone": "0388000000"},
        )
        self.assertEqual(response.status_code, 204, response.text)
        response = agent.patch(self.jerome_url, json={"billing_account": "ILK-000777"})
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(self.account_of(self.jerome), "ILK-000777")

    def test_accounts_queue_refuses_a_number_of_another_household(self):
        browser = requests.Session()
        self.addCleanup(browser.close)
        browser.auth = AGENT
        page = browser.get(f"{self.url}/@@comptes-a-valider").text
        token = re.search(r'name="_authenticator"\s+value="([^"]+)"', page).group(1)
        response = browser.post(
            f"{self.url}/@@comptes-a-valider",
            data={
                "_authenticator": token,
                "action": "validate",
                "household": self.jerome.UID(),
                "billing_account": TAKEN,
            },
        )
        self.assertEqual(response.status_code, 200)
        message = lxml.html.fromstring(response.text).xpath(
            "string(//*[contains(@class, 'portalMessage')])"
        )
        self.assert_refusal_names_the_household(message)
        transaction.begin()
        self.assertEqual(api.content.get_state(self.jerome), "pending")
        self.assertIsNone(self.jerome.billing_account)

    def test_edit_form_refuses_a_number_of_another_household(self):
        browser = requests.Session()
        self.addCleanup(browser.close)
        browser.auth = AGENT
        page = browser.get(f"{self.jerome_url}/@@edit")
        self.assertEqual(page.status_code, 200)
        form = next(
            f
            for f in lxml.html.fromstring(page.text).forms
            if "form.widgets.billing_account" in f.fields
        )
        values = [
            (name, value)
            for name, value in form.form_values()
            if name != "form.widgets.billing_account"
        ]
        response = browser.post(
            f"{self.jerome_url}/@@edit",
            data=[
                *values,
                ("form.widgets.billing_account", TAKEN),
                ("form.buttons.save", "Enregistrer"),
            ],
        )
        error = lxml.html.fromstring(response.text).xpath(
            "string(//*[@id='formfield-form-widgets-billing_account'])"
        )
        self.assert_refusal_names_the_household(error)
        self.assertIsNone(self.account_of(self.jerome))


class TestOnlyWhoMayManageBillingAccounts(BillingAccountTestCase):
    def revoke_from_agents(self):
        """A site that keeps billing accounts to its managers."""
        permission = "illkirch.eservices: Manage billing account"
        original = [
            r["name"]
            for r in self.portal.rolesOfPermission(permission)
            if r["selected"]
        ]
        self.portal.manage_permission(
            permission, ["Manager", "Site Administrator"], acquire=False
        )
        transaction.commit()

        def restore():
            self.portal.manage_permission(permission, original, acquire=False)
            transaction.commit()

        self.addCleanup(restore)

    def test_agents_without_the_permission_set_no_billing_account(self):
        self.revoke_from_agents()
        agent = self.session(AGENT)
        agent.patch(self.jerome_url, json={"billing_account": "ILK-000555"})
        self.assertIsNone(self.account_of(self.jerome))
        browser = requests.Session()
        self.addCleanup(browser.close)
        browser.auth = AGENT
        page = browser.get(f"{self.url}/@@comptes-a-valider").text
        token = re.search(r'name="_authenticator"\s+value="([^"]+)"', page).group(1)
        browser.post(
            f"{self.url}/@@comptes-a-valider",
            data={
                "_authenticator": token,
                "action": "validate",
                "household": self.jerome.UID(),
                "billing_account": "ILK-000556",
            },
        )
        self.assertIsNone(self.account_of(self.jerome))

    def test_finance_and_editors_set_no_billing_account(self):
        for account in (REGIE, EDITOR):
            self.session(account).patch(
                self.jerome_url, json={"billing_account": "ILK-000557"}
            )
            self.assertIsNone(self.account_of(self.jerome), account[0])


class TestImportRefusesAnAmbiguousAccount(BillingAccountTestCase):
    def setUp(self):
        super().setUp()
        # numbers given before they were unique: two households hold TAKEN
        self.jerome.billing_account = TAKEN
        self.jerome.reindexObject(idxs=["household_billing_account"])
        transaction.commit()

    def test_rest_import_refuses_the_file(self):
        data = (
            "\n".join(
                (
                    HEADER,
                    row("V-2026-0901", "ILK-000123"),
                    row("V-2026-0902", "ILK-000123"),
                )
            )
            + "\n"
        )
        response = self.session(REGIE).post(
            f"{self.url}/@invoices-import",
            data=data.encode("utf-8"),
            headers={"Content-Type": "text/csv"},
        )
        self.assertEqual(response.status_code, 400, response.text)
        errors = response.json()["error"]["errors"]
        self.assertEqual(
            [(e["row"], e["column"]) for e in errors],
            [(2, "compte_facturation"), (3, "compte_facturation")],
        )
        self.assertIn(
            "Le compte de facturation « ILK-000123 » est celui de 2 foyers",
            errors[0]["message"],
        )
        transaction.begin()
        catalog = api.portal.get_tool("portal_catalog")
        numbers = {
            b._unrestrictedGetObject().number
            for b in catalog.unrestrictedSearchResults(portal_type="Invoice")
        }
        self.assertFalse({"V-2026-0901", "V-2026-0902"} & numbers)

    def test_command_refuses_the_file(self):
        from illkirch.eservices.cli import import_invoices
        from plone.app.testing import login
        from plone.app.testing import logout

        login(self.portal, "agent.regie")
        self.addCleanup(logout)
        data = "\n".join((HEADER, row("V-2026-0903", "ILK-000123"))) + "\n"
        out, err = io.StringIO(), io.StringIO()
        code = import_invoices.run(self.portal, data.encode("utf-8"), "csv", out, err)
        self.assertEqual(code, 1)
        self.assertIn(
            "ligne 2, colonne compte_facturation : Le compte de facturation "
            "« ILK-000123 » est celui de 2 foyers",
            out.getvalue() + err.getvalue(),
        )
        transaction.abort()


class TestConcurrentPatches(BillingAccountTestCase):
    def test_two_agents_at_once_give_a_number_to_one_household_only(self):
        """The index entry both transactions write conflicts: Zope retries
        the second, which then finds the number taken."""
        from concurrent.futures import ThreadPoolExecutor

        agents = [self.session(AGENT), self.session(AGENT)]
        urls = [self.jerome_url, self.amelie.absolute_url()]
        for attempt in range(5):
            number = f"ILK-CONC-{attempt}"
            with ThreadPoolExecutor(2) as pool:
                answers = list(
                    pool.map(
                        lambda i, number=number: agents[i].patch(
                            urls[i], json={"billing_account": number}
                        ),
                        range(2),
                    )
                )
            codes = sorted(answer.status_code for answer in answers)
            self.assertEqual(codes, [204, 400], [a.text[:200] for a in answers])
            transaction.begin()
            self.assertEqual(len(households_with_account(number)), 1)
